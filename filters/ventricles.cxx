#include "filters/ventricles.h"

#include <algorithm>
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
  // The ventricles grow through what is darker than grey matter, then take in their partial-volume rim
  // against white matter: grown through the rim's brightness directly, they leaked through grey matter
  // as dark as that into every sulcus (a Colin27 phantom: 120 ml of "ventricles").
  const float below_grey = static_cast<float>((classes.means[0] + classes.means[1]) / 2);
  const float below_white = static_cast<float>((classes.means[0] + classes.means[2]) / 2);
  const io::Volume depth = SignedDistanceMm(brain_mask);
  const io::Volume dark = MaskWhere(
      t1.geometry, [&](std::size_t i) { return brain_mask.voxels[i] > 0 && t1.voxels[i] < below_grey; });
  const io::Volume seeds = MaskWhere(t1.geometry, [&](std::size_t i) {
    return classes.labels.voxels[i] == kCsf && depth.voxels[i] < -options.seed_depth_mm;
  });
  const io::Volume core = ComponentsTouching(dark, seeds);
  if (std::none_of(core.voxels.begin(), core.voxels.end(), [](float v) { return v > 0; })) return core;
  const io::Volume from_core = SignedDistanceMm(core);
  return MaskWhere(t1.geometry, [&](std::size_t i) {
    return core.voxels[i] > 0 ||
           (brain_mask.voxels[i] > 0 && t1.voxels[i] < below_white && from_core.voxels[i] <= options.rim_mm);
  });
}

}  // namespace leptoscan::filters
