#include "filters/intensity_normalization.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "filters/input_checks.h"

namespace leptoscan::filters {

double WhiteMatterPeak(const io::Volume& t1, const io::Volume& brain_mask) {
  if (!SameGrid(brain_mask.geometry, t1.geometry))
    throw std::invalid_argument("white-matter normalisation: the brain mask is not on the image's grid");
  std::vector<float> brain;
  for (std::size_t i = 0; i < t1.voxels.size(); ++i) {
    if (brain_mask.voxels[i] > 0) brain.push_back(t1.voxels[i]);
  }
  if (brain.empty()) throw std::invalid_argument("white-matter normalisation: the brain mask is empty");

  // Above the median of the brain, T1 white matter is the dominant class, and it lies below twice the
  // median; fixing the range to [median, 2 median] keeps enhancement and vessels from stretching the bins.
  const auto median = brain.begin() + brain.size() / 2;
  std::nth_element(brain.begin(), median, brain.end());
  const double lo = *median, hi = 2 * lo;
  if (lo <= 0)
    throw std::invalid_argument("white-matter normalisation: the brain's median intensity is not positive");

  // A fine histogram smoothed by a Gaussian of 3% of the median: wide enough to erase the comb that
  // integer-valued scans leave in fine bins, and proportional to the scale, so the peak scales with it.
  constexpr int kBins = 512;
  constexpr double kSigmaBins = 0.03 * kBins;
  std::vector<double> histogram(kBins, 0.0);
  const double width = (hi - lo) / kBins;
  for (auto v = median; v != brain.end(); ++v) {
    if (*v < hi) ++histogram[std::min(kBins - 1, static_cast<int>((*v - lo) / width))];
  }
  const int reach = static_cast<int>(3 * kSigmaBins);
  std::vector<double> smooth(kBins, 0.0);
  for (int b = 0; b < kBins; ++b) {
    for (int d = -reach; d <= reach; ++d) {
      if (b + d >= 0 && b + d < kBins)
        smooth[b] += histogram[b + d] * std::exp(-0.5 * d * d / (kSigmaBins * kSigmaBins));
    }
  }
  const int peak = static_cast<int>(std::max_element(smooth.begin(), smooth.end()) - smooth.begin());
  // Parabolic refinement gives the peak to a fraction of a bin.
  double shift = 0;
  if (peak > 0 && peak < kBins - 1) {
    const double left = smooth[peak - 1], centre = smooth[peak], right = smooth[peak + 1];
    const double curvature = left - 2 * centre + right;
    if (curvature < 0) shift = 0.5 * (left - right) / curvature;
  }
  return lo + (peak + 0.5 + shift) * width;
}

io::Volume NormalizeToWhiteMatter(const io::Volume& t1, const io::Volume& brain_mask) {
  const double peak = WhiteMatterPeak(t1, brain_mask);
  io::Volume out;
  out.geometry = t1.geometry;
  out.voxels.resize(t1.voxels.size());
  std::transform(t1.voxels.begin(), t1.voxels.end(), out.voxels.begin(),
                 [scale = 1.0 / peak](float v) { return static_cast<float>(v * scale); });
  return out;
}

}  // namespace leptoscan::filters
