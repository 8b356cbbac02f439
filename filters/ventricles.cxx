#include "filters/ventricles.h"

#include <stdexcept>

#include "filters/binary_masks.h"
#include "filters/input_checks.h"
#include "filters/surface_distance.h"

namespace leptoscan::filters {

io::Volume VentricleMask(const io::Volume& t1, const io::Volume& brain_mask, const TissueClasses& classes,
                         const VentricleOptions& options) {
  if (!SameGrid(brain_mask.geometry, t1.geometry) || !SameGrid(classes.labels.geometry, t1.geometry))
    throw std::invalid_argument(
        "ventricles: the brain mask or the tissue classes are not on the image's grid");
  const float wall = static_cast<float>((classes.means[0] + classes.means[2]) / 2);
  const io::Volume depth = SignedDistanceMm(brain_mask);
  const io::Volume dark =
      MaskWhere(t1.geometry, [&](std::size_t i) { return brain_mask.voxels[i] > 0 && t1.voxels[i] < wall; });
  const io::Volume seeds = MaskWhere(t1.geometry, [&](std::size_t i) {
    return classes.labels.voxels[i] == kCsf && depth.voxels[i] < -options.seed_depth_mm;
  });
  return ComponentsTouching(dark, seeds);
}

}  // namespace leptoscan::filters
