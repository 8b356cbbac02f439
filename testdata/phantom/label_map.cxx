#include "testdata/phantom/label_map.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>

#include "testdata/phantom/anatomy.h"

namespace leptoscan::phantom {

void LabelMap::ForEachIn(const Vec3& box_min, const Vec3& box_max,
                         const std::function<void(std::size_t, const Vec3&)>& visit) const {
  std::array<std::size_t, 3> first{}, last{};
  const double lo[3] = {box_min.x, box_min.y, box_min.z}, hi[3] = {box_max.x, box_max.y, box_max.z};
  for (int a = 0; a < 3; ++a) {
    const double from = std::ceil((lo[a] - geometry.origin_mm[a]) / geometry.spacing_mm[a]);
    const double to = std::floor((hi[a] - geometry.origin_mm[a]) / geometry.spacing_mm[a]);
    first[a] = static_cast<std::size_t>(std::clamp(from, 0.0, static_cast<double>(geometry.size[a])));
    last[a] = static_cast<std::size_t>(std::clamp(to + 1, 0.0, static_cast<double>(geometry.size[a])));
    if (first[a] >= last[a]) return;
  }
  tbb::parallel_for(first[2], last[2], [&](std::size_t k) {
    for (std::size_t j = first[1]; j < last[1]; ++j) {
      for (std::size_t i = first[0]; i < last[0]; ++i)
        visit(Index(i, j, k), Centre(i, j, k));
    }
  });
}

LabelMap Rasterize(const Box& box, double spacing_mm, const std::function<Label(const Vec3&)>& label_at) {
  LabelMap map;
  const Vec3 lo = box.lo, hi = box.hi;
  map.geometry.origin_mm = lo.ToArray();
  map.geometry.spacing_mm = {spacing_mm, spacing_mm, spacing_mm};
  map.geometry.size = {static_cast<std::size_t>(std::floor((hi.x - lo.x) / spacing_mm)) + 1,
                       static_cast<std::size_t>(std::floor((hi.y - lo.y) / spacing_mm)) + 1,
                       static_cast<std::size_t>(std::floor((hi.z - lo.z) / spacing_mm)) + 1};
  map.labels.resize(map.geometry.VoxelCount());
  map.ForEachIn(lo, hi, [&](std::size_t index, const Vec3& p) { map.labels[index] = label_at(p); });
  return map;
}

LabelMap RasterizeHead(const Anatomy& head, double spacing_mm) {
  return Rasterize(head.landmarks().head, spacing_mm, [&head](const Vec3& p) { return head.LabelAt(p); });
}

}  // namespace leptoscan::phantom
