#include "testdata/phantom/distance_transform.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace leptoscan::phantom {
namespace {

constexpr float kFar = 1e20f;

// One pass along lines of `count` samples `stride` apart: squared distances f become the lower envelope
// min_q (f(q) + (p - q)^2 s^2) in place.
void EnvelopePass(std::vector<float>& f, std::size_t count, std::size_t stride,
                  const std::vector<std::size_t>& starts, double spacing_mm) {
  const double s2 = spacing_mm * spacing_mm;
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, starts.size()), [&](const auto& lines) {
    std::vector<double> g(count), z(count + 1);
    std::vector<std::size_t> v(count);
    for (std::size_t line = lines.begin(); line != lines.end(); ++line) {
      const std::size_t start = starts[line];
      for (std::size_t q = 0; q < count; ++q)
        g[q] = f[start + q * stride];
      const auto meet = [&](std::size_t q, std::size_t r) {  // where the parabolas of q and r cross
        return ((g[q] + s2 * double(q) * q) - (g[r] + s2 * double(r) * r)) / (2 * s2 * (double(q) - r));
      };
      std::size_t k = 0;
      v[0] = 0;
      z[0] = -std::numeric_limits<double>::infinity();
      z[1] = std::numeric_limits<double>::infinity();
      for (std::size_t q = 1; q < count; ++q) {
        double s = meet(q, v[k]);
        while (s <= z[k]) {
          --k;
          s = meet(q, v[k]);
        }
        ++k;
        v[k] = q;
        z[k] = s;
        z[k + 1] = std::numeric_limits<double>::infinity();
      }
      k = 0;
      for (std::size_t q = 0; q < count; ++q) {
        while (z[k + 1] < double(q))
          ++k;
        const double d = double(q) - v[k];
        f[start + q * stride] = static_cast<float>(std::min(g[v[k]] + s2 * d * d, double(kFar)));
      }
    }
  });
}

std::vector<float> SquaredDistance(const std::vector<std::uint8_t>& mask, const std::array<std::size_t, 3>& n,
                                   double spacing_mm) {
  std::vector<float> f(mask.size());
  for (std::size_t i = 0; i < mask.size(); ++i)
    f[i] = mask[i] ? 0.0f : kFar;
  std::vector<std::size_t> starts;
  for (std::size_t k = 0; k < n[2]; ++k) {
    for (std::size_t j = 0; j < n[1]; ++j)
      starts.push_back((k * n[1] + j) * n[0]);
  }
  EnvelopePass(f, n[0], 1, starts, spacing_mm);
  starts.clear();
  for (std::size_t k = 0; k < n[2]; ++k) {
    for (std::size_t i = 0; i < n[0]; ++i)
      starts.push_back(k * n[1] * n[0] + i);
  }
  EnvelopePass(f, n[1], n[0], starts, spacing_mm);
  starts.clear();
  for (std::size_t j = 0; j < n[1]; ++j) {
    for (std::size_t i = 0; i < n[0]; ++i)
      starts.push_back(j * n[0] + i);
  }
  EnvelopePass(f, n[2], n[0] * n[1], starts, spacing_mm);
  return f;
}

}  // namespace

std::vector<float> DistanceToMask(const std::vector<std::uint8_t>& mask,
                                  const std::array<std::size_t, 3>& size, double spacing_mm) {
  std::vector<float> d = SquaredDistance(mask, size, spacing_mm);
  for (float& x : d)
    x = std::sqrt(x);
  return d;
}

std::vector<float> SignedDistanceToMask(const std::vector<std::uint8_t>& mask,
                                        const std::array<std::size_t, 3>& size, double spacing_mm) {
  std::vector<std::uint8_t> outside(mask.size());
  for (std::size_t i = 0; i < mask.size(); ++i)
    outside[i] = !mask[i];
  const std::vector<float> to_inside = DistanceToMask(mask, size, spacing_mm);
  const std::vector<float> to_outside = DistanceToMask(outside, size, spacing_mm);
  std::vector<float> d(mask.size());
  const auto half = static_cast<float>(spacing_mm / 2);
  for (std::size_t i = 0; i < mask.size(); ++i)
    d[i] = mask[i] ? half - to_outside[i] : to_inside[i] - half;
  return d;
}

}  // namespace leptoscan::phantom
