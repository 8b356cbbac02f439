// Bias field correction (ITK's N4): removes the smooth multiplicative intensity drift that coil
// sensitivity puts on an MR volume, so that one tissue has one intensity across the head.
#pragma once

#include <vector>

#include "io/volume.h"

namespace leptoscan::filters {

struct BiasCorrectionOptions {
  // N4 runs on the volume shrunk by this factor per axis (the field is smooth; 4 keeps it to seconds).
  unsigned shrink_factor = 4;
  // Iterations per B-spline fitting level; the control-point mesh doubles at each level.
  std::vector<unsigned> iterations_per_level{50, 50, 50, 50};
  double convergence_threshold = 0.001;
};

struct BiasCorrectionResult {
  io::Volume corrected;  // input / field, on the input grid
  io::Volume field;      // multiplicative bias field on the input grid (about 1 in the mask)
};

// `mask` (voxels > 0, on the input grid) selects the voxels the field is fitted to; without one, the
// voxels above an Otsu threshold (the head) are used. Voxels <= 0 never count (N4 works on logs).
// Throws std::invalid_argument for a 2-D or flat volume, a mask on another grid, or an empty mask.
BiasCorrectionResult CorrectBiasField(const io::Volume& image, const io::Volume* mask = nullptr,
                                      const BiasCorrectionOptions& options = {});

}  // namespace leptoscan::filters
