#include "filters/ependymal_enhancement.h"

namespace leptoscan::filters {

std::vector<EnhancingRegion> DetectEpendymalEnhancement(const io::Volume& candidates,
                                                        const io::Volume& ependymal_distance,
                                                        const EpendymalEnhancementOptions& options) {
  std::vector<int> region_of(candidates.voxels.size(), -1);
  for (std::size_t v = 0; v < region_of.size(); ++v) {
    if (candidates.voxels[v] > 0 && ependymal_distance.voxels[v] < options.outer_margin_mm) region_of[v] = 0;
  }
  return GroupEnhancingRegions(candidates.geometry, region_of, {"ependymal"}, options.grouping);
}

}  // namespace leptoscan::filters
