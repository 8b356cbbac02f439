#include "filters/sulcal_enhancement.h"

namespace leptoscan::filters {

bool OnCisternalNerve(const SubjectPriors& priors, const io::Volume& pial_distance, std::size_t voxel,
                      double clearance_mm, int* nerve_index) {
  if (pial_distance.voxels[voxel] > -clearance_mm) return false;
  for (std::size_t n = 0; n < kNerveRegions.size(); ++n) {
    if (priors.Has(voxel, kNerveRegions[n])) {
      if (nerve_index) *nerve_index = static_cast<int>(n);
      return true;
    }
  }
  return false;
}

std::vector<EnhancingRegion> DetectSulcalEnhancement(const io::Volume& candidates,
                                                     const io::Volume& pial_distance,
                                                     const io::Volume& ependymal_distance,
                                                     const SubjectPriors& priors,
                                                     const SulcalEnhancementOptions& options) {
  enum { kSulcal, kFolia, kCisterns };
  std::vector<int> region_of(candidates.voxels.size(), -1);
  for (std::size_t v = 0; v < region_of.size(); ++v) {
    if (candidates.voxels[v] <= 0 || pial_distance.voxels[v] > options.max_depth_mm ||
        ependymal_distance.voxels[v] < options.ependymal_margin_mm ||
        OnCisternalNerve(priors, pial_distance, v, options.nerve_clearance_mm))
      continue;
    const bool cistern = priors.Has(v, PriorRegion::kBasalCisterns);
    if (!cistern && pial_distance.voxels[v] < -options.max_distance_mm) continue;
    region_of[v] = cistern ? kCisterns : priors.Has(v, PriorRegion::kInfratentorial) ? kFolia : kSulcal;
  }
  return GroupEnhancingRegions(candidates.geometry, region_of,
                               {"sulcal", "cerebellar_folia", "basal_cisterns"}, options.grouping);
}

}  // namespace leptoscan::filters
