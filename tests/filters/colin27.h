// Colin27 from mricron-data (installed by scripts/setup), read once per test executable, and the
// geometry helpers the filter tests share.
#pragma once

#include <array>
#include <vector>

#include "filters/rigid_registration.h"
#include "io/volume.h"

namespace leptoscan::testing {

const io::Volume& Colin27();           // ch2.nii.gz: T1 with skull, 181x217x181, 1 mm
const io::Volume& Colin27BrainMask();  // ch2bet.nii.gz > 0 as 0/1

// The LPS centre of a volume's grid.
std::array<double, 3> GridCenter(const io::VolumeGeometry& geometry);

// A rigid transform about `center`: a rotation of `degrees` about `axis` (any length), then `translation_mm`.
filters::SpatialTransform RigidMotion(std::array<double, 3> axis, double degrees,
                                      const std::array<double, 3>& translation_mm,
                                      const std::array<double, 3>& center);

// `count` random rigid motions about `center` (fixed seed): a rotation of up to 10 degrees about a random
// axis, then a translation of up to 15 mm in a random direction.
std::vector<filters::SpatialTransform> RandomRigidMotions(int count, const std::array<double, 3>& center);

double Median(std::vector<double> values);

// Target registration error (mm) of `recovered` when `applied` made the moving image (moving(x) =
// fixed(applied(x))): the mean over the mask voxels p of |applied(recovered(p)) - p|. For a rigid
// `applied` this equals the mean distance between `recovered` and the true inverse of `applied`.
double MeanTargetError(const filters::SpatialTransform& recovered, const filters::SpatialTransform& applied,
                       const io::Volume& mask);

}  // namespace leptoscan::testing
