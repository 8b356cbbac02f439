// Ependymal enhancement: enhancing voxels lining the ventricle walls (the choroid plexus is suppressed
// before, filters/normal_enhancement.h), grouped into lesions with their enhancing surface.
#pragma once

#include "filters/enhancing_regions.h"

namespace leptoscan::filters {

struct EpendymalEnhancementOptions {
  // From the wall into the brain: partial volume of a 1-2 mm layer reaches this far out of the mask.
  double outer_margin_mm = 1.5;
  RegionGrouping grouping;
};

// `candidates`: 0/1 mask of enhancing voxels left after suppression and after the nodules are taken out;
// `ependymal_distance` from EpendymalDistanceMap (< 0 in the ventricles).
std::vector<EnhancingRegion> DetectEpendymalEnhancement(const io::Volume& candidates,
                                                        const io::Volume& ependymal_distance,
                                                        const EpendymalEnhancementOptions& options = {});

}  // namespace leptoscan::filters
