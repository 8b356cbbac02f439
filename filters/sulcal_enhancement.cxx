#include "filters/sulcal_enhancement.h"

namespace leptoscan::filters {

std::vector<EnhancingRegion> DetectSulcalEnhancement(
    const io::Volume& candidates, const io::Volume& pial_distance, const io::Volume& ependymal_distance,
    const io::Volume& nerve_courses, const SubjectPriors& priors, const SulcalEnhancementOptions& options) {
  enum { kSulcal, kFolia, kCisterns };
  std::vector<int> region_of(candidates.voxels.size(), -1);
  for (std::size_t v = 0; v < region_of.size(); ++v) {
    if (candidates.voxels[v] <= 0 || pial_distance.voxels[v] > options.max_depth_mm ||
        ependymal_distance.voxels[v] < options.ependymal_margin_mm || nerve_courses.voxels[v] > 0)
      continue;
    const bool cistern = priors.Has(v, PriorRegion::kBasalCisterns);
    if (!cistern && pial_distance.voxels[v] < -options.max_distance_mm) continue;
    region_of[v] = cistern ? kCisterns : priors.Has(v, PriorRegion::kInfratentorial) ? kFolia : kSulcal;
  }
  return GroupEnhancingRegions(candidates.geometry, region_of,
                               {"sulcal", "cerebellar_folia", "basal_cisterns"}, options.grouping);
}

}  // namespace leptoscan::filters
