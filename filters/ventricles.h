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
  // With a ventricle prior: the ventricles grow outside the brain mask no farther than this from the
  // prior, so they cannot leak into the fissures and cisterns beside them (a Colin27 phantom with its own
  // template: 1 mm took in 7 ml of partial-volume grey matter and fissure CSF, Dice 0.81 against 0.98).
  double prior_margin_mm = 0.0;
  // With a ventricle prior, brain-mask voxels nearer the mask's surface than this join only near the
  // prior: a mask that left the ventricles out has its surface on their walls, and from there the dark
  // partial-volume voxels along the pia led the ventricles into the sulci.
  double pial_clearance_mm = 2.0;
  // With a ventricle prior: enlarged ventricles (hydrocephalus) grow past it as far as the shells around
  // it are three quarters CSF, up to this distance (the hydrocephalus of a Colin27 phantom with Evans index
  // 0.36 reaches 8 mm past the normal template's prior).
  double max_widening_mm = 15.0;
};

// Where a template places the ventricles (template_priors.h), mapped onto the scan: 0/1 masks.
struct VentriclePriors {
  io::Volume ventricles;       // the lateral and third ventricles (PriorRegion::kVentricles)
  io::Volume posterior_fossa;  // the cerebellum and the fourth ventricle (PriorRegion::kInfratentorial)
};

// 0/1 ventricle mask on the grid of `t1`. `brain_mask` holds the brain with its ventricles (ExtractBrain);
// `classes` are the tissue classes of `t1`. With `priors`, CSF in the ventricle prior seeds the ventricles
// and they grow within it (widened by as much as they are enlarged), or deep in the brain mask within the
// posterior fossa (the fourth ventricle): a brain mask may fail to enclose them (on a Colin27 phantom the
// mask left them out: no ventricles found, the pipeline's Evans index 0.132 against 0.243).
// Throws std::invalid_argument for inputs on other grids.
io::Volume VentricleMask(const io::Volume& t1, const io::Volume& brain_mask, const TissueClasses& classes,
                         const VentricleOptions& options = {}, const VentriclePriors* priors = nullptr);

}  // namespace leptoscan::filters
