// Signed distance maps in millimetres (spacing-aware, exact Euclidean: ITK's Maurer transform) to the
// surfaces the detectors measure from: the pia (brain tissue against the subarachnoid CSF) and the
// ependyma (the ventricle walls).
#pragma once

#include <optional>

#include "io/volume.h"

namespace leptoscan::filters {

// Distance (mm) from each voxel centre to the boundary of `mask` (voxels > 0): negative inside,
// positive outside. Throws std::invalid_argument for an empty mask.
io::Volume SignedDistanceMm(const io::Volume& mask);

// Distance (mm) from each voxel centre to the core of `mask`: the voxels deeper inside it than `radius_mm`,
// where a ball of that radius fits. The mask opened by the ball is where this is below `radius_mm`. None
// when the ball fits nowhere (or the mask is empty).
std::optional<io::Volume> DistanceToCore(const io::Volume& mask, double radius_mm);

// Distance to the pial surface, positive inside the brain and negative in the subarachnoid space
// (the sign convention of the phantom's AnalyticHead::PialDistance). `brain_mask` holds the brain
// with its ventricles, so the ventricle walls do not count as pia.
io::Volume PialDistanceMap(const io::Volume& brain_mask);

// Distance to the ependymal surface (the ventricle walls), negative inside the ventricles.
io::Volume EpendymalDistanceMap(const io::Volume& ventricle_mask);

}  // namespace leptoscan::filters
