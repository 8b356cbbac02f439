// The ventricles, told apart from the subarachnoid CSF: CSF that lies deep inside the brain mask seeds
// them, they grow through every voxel darker than midway between CSF and grey matter, and take in the
// partial-volume rim (darker than midway between CSF and white matter, next to them) and so the choroid
// plexus, but stop at the walls.
#pragma once

#include "filters/tissue_classes.h"
#include "io/volume.h"

namespace leptoscan::filters {

struct VentricleOptions {
  // CSF deeper than this under the pial surface (brain mask boundary) is ventricular: sulci and
  // fissures reach about this deep only as thin partial-volume clefts.
  double seed_depth_mm = 10.0;
  // The partial-volume rim: voxels darker than midway between CSF and white matter this near the
  // ventricles grown through what is darker than grey matter.
  double rim_mm = 1.5;
};

// 0/1 ventricle mask on the grid of `t1`. `brain_mask` holds the brain with its ventricles (ExtractBrain);
// `classes` are the tissue classes of `t1`. Throws std::invalid_argument for inputs on other grids.
io::Volume VentricleMask(const io::Volume& t1, const io::Volume& brain_mask, const TissueClasses& classes,
                         const VentricleOptions& options = {});

}  // namespace leptoscan::filters
