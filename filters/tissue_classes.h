// Tissue classes (CSF, grey matter, white matter) of a T1 volume inside a mask: three-class k-means on
// the intensities, which is deterministic (started from fixed percentiles) and needs no prior.
#pragma once

#include <array>

#include "io/volume.h"

namespace leptoscan::filters {

enum TissueClass : unsigned char { kOutside = 0, kCsf = 1, kGreyMatter = 2, kWhiteMatter = 3 };

struct TissueClasses {
  io::Volume labels;              // TissueClass per voxel, kOutside outside the mask
  std::array<double, 3> means{};  // class mean intensities: CSF, grey, white (T1: rising)
};

// Classifies the voxels of `t1` inside `mask` (> 0, same grid); use a bias-corrected volume, since one
// class must have one intensity across the head. Throws std::invalid_argument for a mask on another
// grid or with fewer than 3 voxels.
TissueClasses ClassifyTissues(const io::Volume& t1, const io::Volume& mask);

}  // namespace leptoscan::filters
