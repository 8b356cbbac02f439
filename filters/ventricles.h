// The ventricles, told apart from the subarachnoid CSF: CSF that lies deep inside the brain mask seeds
// them, and they grow through every voxel darker than midway between CSF and white matter, which takes
// in the partial-volume rim and the choroid plexus but stops at the walls.
#pragma once

#include "filters/tissue_classes.h"
#include "io/volume.h"

namespace leptoscan::filters {

struct VentricleOptions {
  // CSF deeper than this under the pial surface (brain mask boundary) is ventricular: sulci and
  // fissures reach about this deep only as thin partial-volume clefts.
  double seed_depth_mm = 10.0;
};

// 0/1 ventricle mask on the grid of `t1`. `brain_mask` holds the brain with its ventricles (ExtractBrain);
// `classes` are the tissue classes of `t1`. Throws std::invalid_argument for inputs on other grids.
io::Volume VentricleMask(const io::Volume& t1, const io::Volume& brain_mask, const TissueClasses& classes,
                         const VentricleOptions& options = {});

}  // namespace leptoscan::filters
