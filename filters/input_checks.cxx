#include "filters/input_checks.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace leptoscan::filters {

std::string ProblemFor3D(const io::Volume& volume) {
  const auto& size = volume.geometry.size;
  // Four voxels per axis is the least that survives a shrink-by-4 pyramid level.
  if (*std::min_element(size.begin(), size.end()) < 4) {
    return fmt::format(
        "is 2-D or too thin ({}x{}x{} voxels); a 3-D volume with at least 4 voxels along every "
        "axis is needed",
        size[0], size[1], size[2]);
  }
  const auto [lo, hi] = std::minmax_element(volume.voxels.begin(), volume.voxels.end());
  if (*lo == *hi) return fmt::format("is flat (every voxel is {})", *lo);
  return {};
}

bool SameGrid(const io::VolumeGeometry& a, const io::VolumeGeometry& b) {
  const auto close = [](double x, double y) { return std::abs(x - y) < 1e-3; };
  return a.size == b.size &&
         std::equal(a.spacing_mm.begin(), a.spacing_mm.end(), b.spacing_mm.begin(), close) &&
         std::equal(a.origin_mm.begin(), a.origin_mm.end(), b.origin_mm.begin(), close) &&
         std::equal(a.direction.begin(), a.direction.end(), b.direction.begin(), close);
}

}  // namespace leptoscan::filters
