// Spinal LM painted into a spine label map (spine_anatomy.h): linear enhancement coating the cord
// (kCordSurface), thickened enhancing cauda equina roots (kNerveRoots), and subarachnoid nodules on the
// cord's surface or among the roots (kSpinalNodule), with the truth measured from what was painted.
#pragma once

#include <vector>

#include "testdata/phantom/lesions.h"
#include "testdata/phantom/spine_anatomy.h"

namespace leptoscan::phantom {

// An enhancing root's radius over the normal one.
inline constexpr double kRootSwelling = 2.0;

// Lesion n is painted as kFirstLesion + first_index + n, so that a visit's brain and spine lesions share
// one numbering. Throws std::invalid_argument for a kind that is not the spine's or a lesion that paints
// nothing.
std::vector<PaintedLesion> PaintSpineLesions(const SpineAnatomy& spine, const std::vector<LesionSpec>& specs,
                                             std::size_t first_index, LabelMap& map);

// Position of p in a spinal nodule's ellipsoid, axes left-right, front-back and along the canal at its
// centre, scaled so that the surface is at |q| = 1.
Vec3 SpinalNoduleFrame(const SpineAnatomy& spine, const LesionSpec& spec, const Vec3& p);

// Whether a label lies inside the thecal sac (CSF, cord, roots): where spinal LM grows.
bool InThecalSac(Label label);

}  // namespace leptoscan::phantom
