// Helpers the phantom tests share: lesion specifications and the voxels a lesion painted.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "testdata/phantom/label_map.h"
#include "testdata/phantom/lesions.h"

namespace leptoscan::phantom {

// A linear lesion (or nerve) 1.5 mm thick along the part from..to of its sulcus or structure.
inline LesionSpec Linear(std::string id, LesionKind kind, Side side, std::string sulcus, double from,
                         double to) {
  LesionSpec spec;
  spec.id = std::move(id);
  spec.kind = kind;
  spec.side = side;
  spec.sulcus = std::move(sulcus);
  spec.from = from;
  spec.to = to;
  spec.thickness_mm = 1.5;
  return spec;
}

struct PaintedVoxel {
  Vec3 point;
  Label was;  // the label of the anatomy before painting
  std::size_t index;
};

// Every voxel of `painted` that holds lesion n (label kFirstLesion + n), with what `anatomy` held there.
inline std::vector<PaintedVoxel> VoxelsOf(const LabelMap& painted, const LabelMap& anatomy, std::size_t n) {
  std::vector<PaintedVoxel> voxels;
  const auto& g = painted.geometry;
  for (std::size_t index = 0; index < painted.labels.size(); ++index) {
    if (painted.labels[index] != kFirstLesion + n) continue;
    voxels.push_back(
        {painted.Centre(index % g.size[0], index / g.size[0] % g.size[1], index / (g.size[0] * g.size[1])),
         anatomy.labels[index], index});
  }
  return voxels;
}

}  // namespace leptoscan::phantom
