// Phantom spines rendered in-process as the sagittal spine study renders them (2-D TSE, 1 x 1 x 3 mm, 15
// sagittal slices planned on the spine): a T1 before and after contrast, the patient moving a little
// between them, with their truth on the post-contrast grid. Rasterising a spine takes seconds: the label map
// is shared by every scan of a test executable.
#pragma once

#include <functional>
#include <vector>

#include "io/volume.h"
#include "testdata/phantom/lesions.h"
#include "testdata/phantom/mr_render.h"
#include "testdata/phantom/spine_anatomy.h"

namespace leptoscan::testing {

struct SpineScan {
  phantom::LabelMap map;                         // 0.5 mm, body coordinates, lesions painted
  phantom::RigidMotion post_motion, pre_motion;  // body to scanner, per series
  io::Volume pre, post;                          // the post grid is the planned one; pre moved a little
  std::vector<phantom::PaintedLesion> lesions;   // label kFirstLesion + index in the map

  // The body coordinates of a voxel centre of the post-contrast series.
  phantom::Vec3 BodyPoint(std::size_t voxel) const;
  // 0/1 mask on the post-contrast grid: the label map's label at each voxel centre satisfies `in`.
  io::Volume Truth(const std::function<bool(phantom::Label)>& in) const;
};

const phantom::SpineAnatomy& PhantomSpine();

// A spine with these lesions (none: a normal spine), SNR 25, a bias field of 0.1, the post-contrast series
// fat-suppressed when asked (as Philips' is). Same seed, same scan.
SpineScan MakeSpineScan(const std::vector<phantom::LesionSpec>& lesions, bool fat_suppressed = false,
                        std::uint64_t seed = 5);

}  // namespace leptoscan::testing
