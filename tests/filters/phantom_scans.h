// Phantom heads (normal, hydrocephalic, one with LM lesions) with a rendered 1 mm axial T1 pre-contrast
// series each (and post-contrast for the lesion head), built once per test executable, and their truth on
// the series grid.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "filters/rigid_registration.h"
#include "io/volume.h"
#include "testdata/phantom/analytic_head.h"
#include "testdata/phantom/label_map.h"
#include "testdata/phantom/lesions.h"
#include "testdata/phantom/mr_render.h"

namespace leptoscan::testing {

struct PhantomScan {
  phantom::AnalyticHead head;
  phantom::LabelMap map;  // 0.5 mm, head coordinates
  phantom::RigidMotion head_to_scanner;
  double bias_amplitude = 0;                    // 0.1 (0 for LesionPhantom, as after N4)
  io::Volume t1;                                // SNR 25, the bias field above, a small motion
  io::Volume t1_post;                           // LesionPhantom only
  std::vector<phantom::PaintedLesion> lesions;  // label kFirstLesion + index in the map

  // The head coordinates of a voxel centre of the series.
  phantom::Vec3 HeadPoint(std::size_t i, std::size_t j, std::size_t k) const;
  // The label map's label at each voxel centre of the series, in voxel order.
  std::vector<phantom::Label> Labels() const;
  // 0/1 mask on the series grid: the label map's label at each voxel centre satisfies `in`.
  io::Volume Truth(const std::function<bool(phantom::Label)>& in) const;
};

// The scan's head in a second acquisition, moved by `applied` (a rigid transform in the terms of
// MeanTargetError: the new series at x shows what the scan's series showed at applied(x)), rendered anew
// on the same grid (its own noise and partial volume; the bias field stays with the scanner).
io::Volume RenderMoved(const PhantomScan& scan, phantom::Sequence sequence,
                       const filters::SpatialTransform& applied, std::uint64_t seed);

// The labels a brain mask holds: brain tissue, the ventricles and the choroid plexus.
bool InBrainMask(phantom::Label label);

const PhantomScan& NormalPhantom();
const PhantomScan& HydrocephalicPhantom();  // ventricle_scale 1.35
// Sulcal, folia and nodular LM (subarachnoid and ventricular); pre and post contrast on the same grid and
// position (a perfectly registered pair), no bias field (as after N4), independent noise.
const PhantomScan& LesionPhantom();

}  // namespace leptoscan::testing
