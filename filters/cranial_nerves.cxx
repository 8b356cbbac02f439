#include "filters/cranial_nerves.h"

#include <algorithm>
#include <set>

#include "filters/binary_masks.h"
#include "filters/surface_distance.h"

namespace leptoscan::filters {

io::Volume CisternalNerveCourses(const SubjectPriors& priors, const io::Volume& pial_distance,
                                 const CranialNerveOptions& options) {
  const auto& g = pial_distance.geometry;
  const auto nerve_at = [&](std::size_t v) {
    for (std::size_t n = 0; n < kNerveRegions.size(); ++n)
      if (priors.Has(v, kNerveRegions[n])) return static_cast<int>(n);
    return -1;
  };
  io::Volume courses = MaskWhere(g, [&](std::size_t v) { return nerve_at(v) >= 0; });
  // Whether a voxel is far enough out of the bulk is decided within the priors' box grown by that far:
  // the nearest core voxel of one that is not lies within it.
  const double spacing = *std::max_element(g.spacing_mm.begin(), g.spacing_mm.end());
  const std::optional<VoxelBox> box =
      MaskBox(courses, options.bulk_depth_mm + options.clearance_mm + spacing);
  if (!box) return courses;
  const io::Volume local = Crop(pial_distance, *box);
  const io::Volume core =
      MaskWhere(local.geometry, [&](std::size_t b) { return local.voxels[b] > options.bulk_depth_mm; });
  const bool any_core = std::any_of(core.voxels.begin(), core.voxels.end(), [](float v) { return v > 0; });
  // From the core's surface: the bulk's surface lies `bulk_depth_mm` farther out.
  const io::Volume from_core = any_core ? SignedDistanceMm(core) : io::Volume{};
  for (std::size_t b = 0; b < local.voxels.size(); ++b) {
    const std::size_t v = box->GridVoxel(g, b);
    if (courses.voxels[v] <= 0) continue;
    const bool clear = !any_core || from_core.voxels[b] - options.bulk_depth_mm >= options.clearance_mm;
    courses.voxels[v] = clear ? static_cast<float>(nerve_at(v) + 1) : 0.0f;
  }
  return courses;
}

std::vector<EnhancingRegion> DetectCranialNerveEnhancement(const io::Volume& candidates,
                                                           const io::Volume& nerve_courses,
                                                           const CranialNerveOptions& options) {
  std::vector<int> region_of(candidates.voxels.size(), -1);
  for (std::size_t v = 0; v < region_of.size(); ++v) {
    if (candidates.voxels[v] > 0) region_of[v] = static_cast<int>(nerve_courses.voxels[v]) - 1;
  }
  std::vector<std::string> names;
  for (PriorRegion region : kNerveRegions)
    names.emplace_back(PriorRegionName(region));
  std::vector<EnhancingRegion> nerves =
      GroupEnhancingRegions(candidates.geometry, region_of, names, options.grouping);
  if (nerves.empty()) return nerves;
  unsigned count = 0;
  const std::vector<unsigned> component = LabelComponents(candidates, &count);
  const std::vector<std::size_t> sizes = ComponentSizes(component, count);
  const auto too_small_a_share = [&](const EnhancingRegion& nerve) {
    std::set<unsigned> touched;
    for (std::size_t v : nerve.voxels)
      touched.insert(component[v]);
    std::size_t connected = 0;
    for (unsigned c : touched)
      connected += sizes[c];
    return static_cast<double>(nerve.voxels.size()) <
           options.min_connected_share * static_cast<double>(connected);
  };
  nerves.erase(std::remove_if(nerves.begin(), nerves.end(), too_small_a_share), nerves.end());
  return nerves;
}

void ReturnNerveEnhancement(NoduleDetection& nodules, const io::Volume& nerve_courses,
                            const CranialNerveOptions& options) {
  const auto is_nerve = [&](const DetectedNodule& nodule) {
    const auto on_course = std::count_if(nodule.voxels.begin(), nodule.voxels.end(),
                                         [&](std::size_t v) { return nerve_courses.voxels[v] > 0; });
    return 2 * static_cast<std::size_t>(on_course) >= nodule.voxels.size() &&
           PrincipalSpreads(nerve_courses.geometry, nodule.voxels)[1] <= options.max_nerve_spread_mm;
  };
  for (const DetectedNodule& nodule : nodules.nodules) {
    if (!is_nerve(nodule)) continue;
    for (std::size_t v : nodule.voxels)
      nodules.remainder.voxels[v] = 1;
  }
  nodules.nodules.erase(std::remove_if(nodules.nodules.begin(), nodules.nodules.end(), is_nerve),
                        nodules.nodules.end());
}

}  // namespace leptoscan::filters
