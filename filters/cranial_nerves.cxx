#include "filters/cranial_nerves.h"

#include "filters/sulcal_enhancement.h"

namespace leptoscan::filters {

std::vector<EnhancingRegion> DetectCranialNerveEnhancement(const io::Volume& candidates,
                                                           const io::Volume& pial_distance,
                                                           const SubjectPriors& priors,
                                                           const CranialNerveOptions& options) {
  std::vector<int> region_of(candidates.voxels.size(), -1);
  for (std::size_t v = 0; v < region_of.size(); ++v) {
    int nerve = -1;
    if (candidates.voxels[v] > 0 && OnCisternalNerve(priors, pial_distance, v, options.clearance_mm, &nerve))
      region_of[v] = nerve;
  }
  std::vector<std::string> names;
  for (PriorRegion region : kNerveRegions)
    names.emplace_back(PriorRegionName(region));
  return GroupEnhancingRegions(candidates.geometry, region_of, names, options.grouping);
}

}  // namespace leptoscan::filters
