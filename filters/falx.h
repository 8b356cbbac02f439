// The falx cerebri: the fold of dura in the interhemispheric fissure, a thin enhancing sheet along the
// mid-sagittal plane, joined to the dura of the vertex and carrying the superior sagittal and straight
// sinuses. It enhances in every patient and is no LM (domain.md section 1). Where the fissure is narrower
// than two voxels the brain mask closes over it, so the falx lies on or just inside the mask's surface and
// looks like enhancement along the pia; a template prior carried over by an affine fit misses it by the
// fit's error. The plane is therefore found on the subject's own enhancement.
#pragma once

#include <array>
#include <cstddef>
#include <optional>

#include "io/volume.h"

namespace leptoscan::filters {

// A plane in LPS millimetres: the points p with normal . p = offset_mm.
struct MidSagittalPlane {
  std::array<double, 3> normal{1, 0, 0};  // unit; within a few degrees of the left-right axis
  double offset_mm = 0;
  double support_mm2 = 0;  // area of enhancing sheet found on the plane
  double SignedDistanceMm(const std::array<double, 3>& point) const {
    return normal[0] * point[0] + normal[1] * point[1] + normal[2] * point[2] - offset_mm;
  }
  // The point's mirror image on the other side.
  std::array<double, 3> Mirror(const std::array<double, 3>& point) const {
    const double d = 2 * SignedDistanceMm(point);
    return {point[0] - d * normal[0], point[1] - d * normal[1], point[2] - d * normal[2]};
  }
};

struct FalxOptions {
  // Enhancement (white-matter units) from which a voxel counts as enhancing (as in normal_enhancement).
  double threshold = 0.3;
  // The head may be turned and tilted in the scanner: the plane's normal is searched up to this far
  // from the left-right axis, and its position up to max_offset_mm either side of the brain's centre.
  double max_tilt_deg = 20;
  double max_offset_mm = 25;
  // Enhancement nearer the inner table than this is convexity dura, and deeper in the brain than
  // max_depth_mm it is parenchyma: neither is fitted.
  double min_below_skull_mm = 5;
  double max_depth_mm = 2;
  // Half the thickness of the slab whose enhancing voxels count as lying on a candidate plane.
  double band_mm = 1;
  // A plane carrying less enhancing sheet than this is no falx (sulcal LM along one sulcus is smaller; the
  // falx of a Colin27 phantom shows 948 mm2 between these depths, and missed at 1000 it became 1811 mm2
  // of "sulcal LM").
  double min_support_mm2 = 800;
};

// The mid-sagittal plane as the largest enhancing sheet near the left-right midline of the brain, or none
// when no such sheet is found (no falx enhancement seen). `pial_distance` is PialDistanceMap (> 0 in the
// brain), `inner_skull_distance` SignedDistanceMm of the inner skull (< 0 inside), `ependymal_distance`
// EpendymalDistanceMap (< 0 in the ventricles): all on the enhancement map's grid. Deterministic: an
// exhaustive search over tilts (1 degree steps) and positions (0.5 mm), refined by least squares.
std::optional<MidSagittalPlane> FindFalxPlane(const io::Volume& enhancement, const io::Volume& pial_distance,
                                              const io::Volume& inner_skull_distance,
                                              const io::Volume& ependymal_distance,
                                              const FalxOptions& options = {});

}  // namespace leptoscan::filters
