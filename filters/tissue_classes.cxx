#include "filters/tissue_classes.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "filters/input_checks.h"

namespace leptoscan::filters {

TissueClasses ClassifyTissues(const io::Volume& t1, const io::Volume& mask) {
  if (!SameGrid(mask.geometry, t1.geometry))
    throw std::invalid_argument("tissue classes: the mask is not on the image's grid");
  std::vector<float> values;
  for (std::size_t i = 0; i < t1.voxels.size(); ++i) {
    if (mask.voxels[i] > 0) values.push_back(t1.voxels[i]);
  }
  if (values.size() < 3) throw std::invalid_argument("tissue classes: the mask holds fewer than 3 voxels");
  std::sort(values.begin(), values.end());

  // Lloyd's iterations on the sorted intensities: each class is a contiguous run, so a pass is a
  // search for two boundaries and three sums (prefix sums make it exact and fast).
  std::vector<double> prefix(values.size() + 1, 0.0);
  for (std::size_t i = 0; i < values.size(); ++i)
    prefix[i + 1] = prefix[i] + values[i];
  const auto at = [&](double fraction) {
    return static_cast<double>(values[fraction * (values.size() - 1)]);
  };
  std::array<double, 3> means{at(0.05), at(0.5), at(0.95)};
  std::array<std::size_t, 2> cut{};
  for (int iteration = 0; iteration < 200; ++iteration) {
    std::array<std::size_t, 2> next{};
    for (int c = 0; c < 2; ++c) {
      const float boundary = static_cast<float>((means[c] + means[c + 1]) / 2);
      next[c] = std::upper_bound(values.begin(), values.end(), boundary) - values.begin();
    }
    const std::array<std::size_t, 4> edges{0, next[0], std::max(next[0], next[1]), values.size()};
    for (int c = 0; c < 3; ++c) {
      if (edges[c + 1] > edges[c])
        means[c] = (prefix[edges[c + 1]] - prefix[edges[c]]) / (edges[c + 1] - edges[c]);
    }
    if (next == cut) break;
    cut = next;
  }

  TissueClasses out;
  out.means = means;
  out.labels.geometry = t1.geometry;
  out.labels.integer_valued = true;
  out.labels.voxels.resize(t1.voxels.size());
  const double low = (means[0] + means[1]) / 2, high = (means[1] + means[2]) / 2;
  for (std::size_t i = 0; i < t1.voxels.size(); ++i) {
    const float v = t1.voxels[i];
    out.labels.voxels[i] = mask.voxels[i] <= 0 ? kOutside
                           : v <= low          ? kCsf
                           : v <= high         ? kGreyMatter
                                               : kWhiteMatter;
  }
  return out;
}

}  // namespace leptoscan::filters
