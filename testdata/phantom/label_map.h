// A structure label per voxel on a regular grid in head coordinates (axis-aligned): the anatomy and the
// lesions of one visit, rasterised once and then sampled by every series of that visit.
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

#include "io/volume.h"
#include "testdata/phantom/labels.h"
#include "testdata/phantom/vec3.h"

namespace leptoscan::phantom {

class Anatomy;

struct LabelMap {
  io::VolumeGeometry geometry;  // identity direction
  std::vector<Label> labels;    // i fastest

  std::size_t Index(std::size_t i, std::size_t j, std::size_t k) const {
    return (k * geometry.size[1] + j) * geometry.size[0] + i;
  }
  Vec3 Centre(std::size_t i, std::size_t j, std::size_t k) const {
    return {geometry.origin_mm[0] + i * geometry.spacing_mm[0],
            geometry.origin_mm[1] + j * geometry.spacing_mm[1],
            geometry.origin_mm[2] + k * geometry.spacing_mm[2]};
  }
  // Label of the voxel nearest to p; air outside the grid.
  Label At(const Vec3& p) const {
    const double fi = (p.x - geometry.origin_mm[0]) / geometry.spacing_mm[0] + 0.5;
    const double fj = (p.y - geometry.origin_mm[1]) / geometry.spacing_mm[1] + 0.5;
    const double fk = (p.z - geometry.origin_mm[2]) / geometry.spacing_mm[2] + 0.5;
    if (fi < 0 || fj < 0 || fk < 0) return kAir;
    const auto i = static_cast<std::size_t>(fi), j = static_cast<std::size_t>(fj),
               k = static_cast<std::size_t>(fk);
    if (i >= geometry.size[0] || j >= geometry.size[1] || k >= geometry.size[2]) return kAir;
    return labels[Index(i, j, k)];
  }
  // Calls visit(index, centre) for every voxel whose centre lies in the box, in parallel over slices.
  void ForEachIn(const Vec3& box_min, const Vec3& box_max,
                 const std::function<void(std::size_t, const Vec3&)>& visit) const;
};

struct Box;
// Rasterises label_at over a box at the given voxel size, in parallel.
LabelMap Rasterize(const Box& box, double spacing_mm, const std::function<Label(const Vec3&)>& label_at);
// Rasterises the head over its bounding box at the given voxel size.
LabelMap RasterizeHead(const Anatomy& head, double spacing_mm);

}  // namespace leptoscan::phantom
