// Cranial nerve enhancement: enhancing voxels on the cisternal course of a cranial nerve (III, V, VII/VIII,
// each side, from the template priors), away from the brainstem it leaves, named as the findings
// contract names nerves ("V_L").
#pragma once

#include "filters/enhancing_regions.h"
#include "filters/template_priors.h"

namespace leptoscan::filters {

struct CranialNerveOptions {
  double clearance_mm = 2.0;            // see SulcalEnhancementOptions::nerve_clearance_mm
  RegionGrouping grouping{20.0, 20.0};  // one lesion per nerve; less is a vessel or dura grazing it
};

std::vector<EnhancingRegion> DetectCranialNerveEnhancement(const io::Volume& candidates,
                                                           const io::Volume& pial_distance,
                                                           const SubjectPriors& priors,
                                                           const CranialNerveOptions& options = {});

}  // namespace leptoscan::filters
