// The enhancement map: how much brighter each voxel is after gadolinium, in units of the white-matter
// signal, so that one threshold serves every scanner and visit. Non-enhancing tissue and CSF read about 0;
// vessels, dura, choroid plexus and LM read 0.5 to 1.5.
#pragma once

#include "io/volume.h"

namespace leptoscan::filters {

struct EnhancementOptions {
  // Brain voxels brighter than this fraction of white matter before contrast (tissue, not CSF, whose
  // noisy ratio says little) fit the differential bias field.
  double tissue_fraction = 0.5;
  // Voxels whose log ratio is this far from the fit are left out of the next fit (they enhance).
  double outlier_log_ratio = 0.12;
  unsigned fit_rounds = 3;
};

// Post minus the registered pre-contrast volume (on the post grid), after the post volume is brought to
// the pre volume's gain and coil field: a smooth quadratic field exp(p(x, y, z)) is fitted to post / pre
// over non-enhancing brain tissue (a differential bias correction, after Lewis and Fox 2004); the post
// volume divided by that field, minus the pre volume, over the pre volume's white matter. Throws
// std::invalid_argument for volumes on different grids or a mask with too few tissue voxels.
io::Volume EnhancementMap(const io::Volume& post, const io::Volume& pre_on_post_grid,
                          const io::Volume& brain_mask, const EnhancementOptions& options = {});

// Without a pre-contrast series: post / white matter - 1, what is brighter than white matter. Thin and
// partial-volume enhancement below that level is missed, so the detectors lose sensitivity (documented).
io::Volume PostOnlyEnhancementMap(const io::Volume& post, const io::Volume& brain_mask);

}  // namespace leptoscan::filters
