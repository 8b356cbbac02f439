#include "filters/ventricles.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "filters/binary_masks.h"
#include "filters/input_checks.h"
#include "filters/surface_distance.h"

namespace leptoscan::filters {

namespace {

// How far enlarged ventricles reach past the prior: the outer edge of the last of the 1 mm shells around
// it, counted outward, in which three voxels in four are darker than `below_grey`. Normal ventricles stop
// at 0 (a Colin27 phantom: its first shell 43% dark, the next 10%); ventricles widened by 8 mm give 8
// (shells 99% dark, then 48%).
double WideningMm(const io::Volume& t1, const io::Volume& from_prior, float below_grey, double max_mm) {
  const auto shells = static_cast<std::size_t>(max_mm);
  std::vector<std::size_t> voxels(shells + 1), dark(shells + 1);
  for (std::size_t i = 0; i < t1.voxels.size(); ++i) {
    const double d = from_prior.voxels[i];
    if (d <= 0 || d > static_cast<double>(shells)) continue;
    const auto shell = static_cast<std::size_t>(std::ceil(d));
    ++voxels[shell];
    dark[shell] += t1.voxels[i] < below_grey;
  }
  std::size_t widening = 0;
  while (widening < shells && 4 * dark[widening + 1] > 3 * voxels[widening + 1])
    ++widening;
  return static_cast<double>(widening);
}

}  // namespace

io::Volume VentricleMask(const io::Volume& t1, const io::Volume& brain_mask, const TissueClasses& classes,
                         const VentricleOptions& options, const VentriclePriors* priors) {
  if (!SameGrid(brain_mask.geometry, t1.geometry) || !SameGrid(classes.labels.geometry, t1.geometry) ||
      (priors && (!SameGrid(priors->ventricles.geometry, t1.geometry) ||
                  !SameGrid(priors->posterior_fossa.geometry, t1.geometry))))
    throw std::invalid_argument(
        "ventricles: the brain mask, the tissue classes or the priors are not on the image's grid");
  // The ventricles grow through what is darker than grey matter, then take in their partial-volume rim
  // against white matter: grown through the rim's brightness directly, they leaked through grey matter
  // as dark as that into every sulcus (a Colin27 phantom: 120 ml of "ventricles").
  const float below_grey = static_cast<float>((classes.means[0] + classes.means[1]) / 2);
  const float below_white = static_cast<float>((classes.means[0] + classes.means[2]) / 2);
  // Where the ventricles may lie: the brain mask; with priors, the ventricle prior (widened as far as they
  // are enlarged) and, for the fourth ventricle, the brain mask in the posterior fossa away from its
  // surface (which may run along the ventricle's walls when the mask left it out). Above the tentorium the
  // brain mask may enclose fissure CSF (a Colin27 phantom's: 6 ml that joined the lateral ventricles).
  io::Volume near_prior;
  if (priors) {
    const io::Volume from_prior = SignedDistanceMm(priors->ventricles);
    const double reach_mm =
        std::max(options.prior_margin_mm, WideningMm(t1, from_prior, below_grey, options.max_widening_mm));
    near_prior = MaskWhere(t1.geometry, [&](std::size_t i) { return from_prior.voxels[i] <= reach_mm; });
  }
  const io::Volume depth = SignedDistanceMm(brain_mask);
  const auto allowed = [&](std::size_t i) {
    if (!priors) return brain_mask.voxels[i] > 0;
    return near_prior.voxels[i] > 0 ||
           (priors->posterior_fossa.voxels[i] > 0 && depth.voxels[i] < -options.pial_clearance_mm);
  };
  const io::Volume dark =
      MaskWhere(t1.geometry, [&](std::size_t i) { return allowed(i) && t1.voxels[i] < below_grey; });
  const io::Volume seeds = MaskWhere(t1.geometry, [&](std::size_t i) {
    if (classes.labels.voxels[i] != kCsf) return false;
    if (priors && priors->ventricles.voxels[i] > 0) return true;
    return depth.voxels[i] < -options.seed_depth_mm && (!priors || priors->posterior_fossa.voxels[i] > 0);
  });
  const io::Volume core = ComponentsTouching(dark, seeds);
  if (std::none_of(core.voxels.begin(), core.voxels.end(), [](float v) { return v > 0; })) return core;
  const io::Volume from_core = SignedDistanceMm(core);
  return MaskWhere(t1.geometry, [&](std::size_t i) {
    return core.voxels[i] > 0 ||
           (allowed(i) && t1.voxels[i] < below_white && from_core.voxels[i] <= options.rim_mm);
  });
}

}  // namespace leptoscan::filters
