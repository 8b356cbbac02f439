// Sulcal / pial (leptomeningeal linear) enhancement: enhancing voxels in the subarachnoid space along the
// pia, grouped into lesions with a sub-region (sulcal, cerebellar_folia or basal_cisterns) and their
// enhancing surface.
#pragma once

#include "filters/enhancing_regions.h"
#include "filters/template_priors.h"

namespace leptoscan::filters {

struct SulcalEnhancementOptions {
  // A voxel up to this deep inside the brain mask still lies on the pia (partial volume of a 1 mm layer).
  double max_depth_mm = 1.0;
  // LM lines the pia: outside the basal cisterns, enhancement farther out than this is dura or vessel.
  double max_distance_mm = 4.0;
  // Nearer than this to the ventricle walls is ependymal (sulcal_enhancement leaves it to that detector).
  double ependymal_margin_mm = 2.0;
  RegionGrouping grouping;
};

// `candidates`: 0/1 mask of enhancing voxels left after suppression and after the nodules are taken out.
// Distance maps as filters/surface_distance.h makes them; the cisternal nerve courses (left to the nerve
// detector) as filters/cranial_nerves.h makes them; all on one grid.
std::vector<EnhancingRegion> DetectSulcalEnhancement(const io::Volume& candidates,
                                                     const io::Volume& pial_distance,
                                                     const io::Volume& ependymal_distance,
                                                     const io::Volume& nerve_courses,
                                                     const SubjectPriors& priors,
                                                     const SulcalEnhancementOptions& options = {});

}  // namespace leptoscan::filters
