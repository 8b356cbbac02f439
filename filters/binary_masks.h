// Operations on 0/1 masks (io::Volume, voxels > 0 are inside) that the anatomy filters share.
#pragma once

#include <array>
#include <optional>
#include <vector>

#include "io/volume.h"

namespace leptoscan::filters {

// A 0/1 mask on `geometry` holding the voxel indices i for which inside(i) is true.
template <typename Inside>
io::Volume MaskWhere(const io::VolumeGeometry& geometry, Inside inside) {
  io::Volume mask;
  mask.geometry = geometry;
  mask.voxels.resize(geometry.VoxelCount());
  mask.integer_valued = true;
  for (std::size_t i = 0; i < mask.voxels.size(); ++i)
    mask.voxels[i] = inside(i) ? 1.0f : 0.0f;
  return mask;
}

// Calls visit(w) for each voxel w of the (up to 26) around voxel v of the grid, v itself left out.
template <typename Visit>
void ForEachNeighbour(const io::VolumeGeometry& g, std::size_t v, Visit visit) {
  const auto index = g.VoxelIndex(v);
  for (int c = -1; c <= 1; ++c)
    for (int b = -1; b <= 1; ++b)
      for (int a = -1; a <= 1; ++a) {
        const std::size_t i = index[0] + a, j = index[1] + b, k = index[2] + c;
        if ((a == 0 && b == 0 && c == 0) || i >= g.size[0] || j >= g.size[1] || k >= g.size[2]) continue;
        visit((k * g.size[1] + j) * g.size[0] + i);
      }
}

// The 26-connected components of `mask`: per voxel its component number 1..count (0 outside the mask),
// numbered in raster order of each component's first voxel.
std::vector<unsigned> LabelComponents(const io::Volume& mask, unsigned* count);

// Voxels per component of LabelComponents' labels: entry c for component c (1..count), entry 0 left 0.
std::vector<std::size_t> ComponentSizes(const std::vector<unsigned>& component, unsigned count);

// The voxels of `mask` in its largest 26-connected component (an empty mask stays empty).
io::Volume LargestComponent(const io::Volume& mask);

// The 26-connected components of `mask` that hold at least one voxel of `seeds` (same grid).
io::Volume ComponentsTouching(const io::Volume& mask, const io::Volume& seeds);

// `mask` with every background region that does not reach the volume's border filled in.
io::Volume FillHoles(const io::Volume& mask);

// `mask` with the holes of each 2-D slice across `axis` (0, 1 or 2) filled: a cavity that reaches the
// outside in 3-D only through a narrow opening in other slices is filled in these.
io::Volume FillHolesInSlices(const io::Volume& mask, unsigned axis);

// A box of a grid's voxel indices (inclusive at both ends): work on a small region of a large grid.
struct VoxelBox {
  std::array<std::size_t, 3> lo, hi;
  // The box as a grid of its own (the first voxel's centre its origin).
  io::VolumeGeometry Geometry(const io::VolumeGeometry& grid) const;
  // The index on `grid` of voxel `box_voxel` of the box's grid.
  std::size_t GridVoxel(const io::VolumeGeometry& grid, std::size_t box_voxel) const;
  // The index on the box's grid of voxel `grid_voxel` of `grid`, which must lie in the box.
  std::size_t BoxVoxel(const io::VolumeGeometry& grid, std::size_t grid_voxel) const;
};

// The box of `mask`'s voxels grown by at least `margin_mm` each way (clipped to the grid); none for an
// empty mask.
std::optional<VoxelBox> MaskBox(const io::Volume& mask, double margin_mm);

// The box of the voxels `voxels` (indices on `grid`) grown the same way; none for no voxels.
std::optional<VoxelBox> VoxelsBox(const io::VolumeGeometry& grid, const std::vector<std::size_t>& voxels,
                                  double margin_mm);

// The part of `volume` inside `box`, on the box's grid.
io::Volume Crop(const io::Volume& volume, const VoxelBox& box);

// Dice overlap 2|A n B| / (|A| + |B|) of two masks on the same grid; 1 for two empty masks.
double Dice(const io::Volume& a, const io::Volume& b);

}  // namespace leptoscan::filters
