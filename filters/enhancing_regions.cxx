#include "filters/enhancing_regions.h"

#include <algorithm>
#include <unordered_set>

#include "filters/binary_masks.h"
#include "filters/surface_distance.h"

namespace leptoscan::filters {

std::vector<EnhancingRegion> GroupEnhancingRegions(const io::VolumeGeometry& geometry,
                                                   const std::vector<int>& region_of,
                                                   const std::vector<std::string>& region_names,
                                                   const RegionGrouping& grouping) {
  const double voxel_mm3 = geometry.VoxelVolumeMm3();
  std::vector<EnhancingRegion> groups;
  for (std::size_t r = 0; r < region_names.size(); ++r) {
    const io::Volume mask =
        MaskWhere(geometry, [&](std::size_t v) { return region_of[v] == static_cast<int>(r); });
    // Components of the mask grown by half the merge distance bridge gaps up to that distance; the growth
    // stays within the mask's box grown by that distance (and a voxel).
    const double spacing = *std::max_element(geometry.spacing_mm.begin(), geometry.spacing_mm.end());
    const std::optional<VoxelBox> box = MaskBox(mask, grouping.merge_mm / 2 + spacing);
    if (!box) continue;
    const io::Volume local = Crop(mask, *box);
    const io::Volume distance = SignedDistanceMm(local);
    const io::Volume grown =
        MaskWhere(local.geometry, [&](std::size_t b) { return distance.voxels[b] < grouping.merge_mm / 2; });
    unsigned count = 0;
    const std::vector<unsigned> labels = LabelComponents(grown, &count);
    std::vector<EnhancingRegion> found(count);
    // The box's raster order is the grid's: groups keep their order.
    for (std::size_t b = 0; b < local.voxels.size(); ++b) {
      if (local.voxels[b] > 0) found[labels[b] - 1].voxels.push_back(box->GridVoxel(geometry, b));
    }
    for (EnhancingRegion& group : found) {
      group.volume_mm3 = group.voxels.size() * voxel_mm3;
      if (group.voxels.empty() || group.volume_mm3 < grouping.min_volume_mm3) continue;
      group.region = region_names[r];
      for (std::size_t v : group.voxels) {
        const auto p = geometry.VoxelCentre(v);
        for (int a = 0; a < 3; ++a)
          group.center_mm[a] += p[a] / group.voxels.size();
      }
      group.surface_mm2 = BoundaryAreaMm2(geometry, group.voxels);
      groups.push_back(std::move(group));
    }
  }
  std::stable_sort(groups.begin(), groups.end(), [](const EnhancingRegion& a, const EnhancingRegion& b) {
    return a.voxels[0] < b.voxels[0];
  });
  return groups;
}

std::vector<std::vector<std::size_t>> RegionPieces(const io::VolumeGeometry& geometry,
                                                   const EnhancingRegion& region) {
  const std::optional<VoxelBox> box = VoxelsBox(geometry, region.voxels, 0);
  if (!box) return {};
  io::Volume local = MaskWhere(box->Geometry(geometry), [](std::size_t) { return false; });
  for (std::size_t v : region.voxels)
    local.voxels[box->BoxVoxel(geometry, v)] = 1;
  unsigned count = 0;
  const std::vector<unsigned> labels = LabelComponents(local, &count);
  std::vector<std::vector<std::size_t>> pieces(count);
  for (std::size_t b = 0; b < labels.size(); ++b) {
    if (labels[b] > 0) pieces[labels[b] - 1].push_back(box->GridVoxel(geometry, b));
  }
  return pieces;
}

double LargestPieceMm3(const io::VolumeGeometry& geometry, const EnhancingRegion& region) {
  std::size_t largest = 0;
  for (const std::vector<std::size_t>& piece : RegionPieces(geometry, region))
    largest = std::max(largest, piece.size());
  return static_cast<double>(largest) * geometry.VoxelVolumeMm3();
}

double BoundaryAreaMm2(const io::VolumeGeometry& g, const std::vector<std::size_t>& voxels) {
  const std::unordered_set<std::size_t> inside(voxels.begin(), voxels.end());
  const double face_mm2[3] = {g.spacing_mm[1] * g.spacing_mm[2], g.spacing_mm[0] * g.spacing_mm[2],
                              g.spacing_mm[0] * g.spacing_mm[1]};
  double area = 0;
  for (std::size_t v : voxels) {
    const auto index = g.VoxelIndex(v);
    for (int a = 0; a < 3; ++a) {
      if (index[a] == 0 || !inside.count(v - g.Stride(a))) area += face_mm2[a];
      if (index[a] + 1 == g.size[a] || !inside.count(v + g.Stride(a))) area += face_mm2[a];
    }
  }
  return area / 1.5;
}

}  // namespace leptoscan::filters
