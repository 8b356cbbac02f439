// The spinal canal's content on a sagittal T1 spine series before contrast (2-D turbo spin echo, about
// 1 x 1 x 3 mm): the spinal cord down to the conus, the thecal sac (the CSF space inside the dura, with the
// cord and the cauda equina in it) and the signed distance to the cord's surface, the pia the spinal
// detectors measure from (filters/spine_enhancement.h).
#pragma once

#include <array>

#include "filters/rigid_registration.h"
#include "io/volume.h"

namespace leptoscan::filters {

struct SpineAnatomyOptions {
  // A cord profile front to back: tissue between CSF in front and behind it, this deep. A cord is 6-9 mm
  // deep; a lamina (3 mm of marrow) is thinner, a vertebral body (12 mm and more) deeper.
  double min_cord_depth_mm = 4;
  double max_cord_depth_mm = 11;
  // The cord is the run of such profiles that spans the most of the canal top to bottom; below this
  // length there is no cord in the field of view.
  double min_cord_length_mm = 60;
  // Tissue this close to the cord's profiles is cord too (its edge, and planes where a profile broke).
  double cord_edge_mm = 1.5;
  // CSF of the thecal sac: darker than this fraction of the way from the CSF's intensity to the cord's.
  // The dura and the epidural veins in front of the sac read a little brighter than CSF on T1 (about 0.2
  // and 0.3 of the way), the cortex of the vertebral bodies darker: the sac grows through CSF only.
  double csf_fraction = 0.1;
  // The CSF's intensity: this quantile of the dark voxels within 2.5 mm of the cord.
  double csf_quantile = 0.25;
  // The sac's cross-section lies within this of the cord (the widest CSF space beside a cord is about 5
  // mm, in the upper cervical canal), and below the conus within sac_step_mm of the sac just above (a
  // little over one 3 mm slice, so that it can widen to the side).
  double max_sac_reach_mm = 7;
  double sac_step_mm = 3.1;
  double cord_rim_mm = 1.0;  // the cord's partial-volume rim, neither CSF nor cord, joins the sac
  // Below the conus the sac keeps what it held in the plane above (roots and nodules that fill its width
  // leave little CSF) while CSF still makes up this share of it; where the CSF runs out, the sac ends.
  double min_csf_share = 0.4;
  // The sac runs the length of the canal: what it reached that is thinner than this top to bottom is the
  // cortex of an endplate, CSF-dark and touching the sac through partial volume.
  double min_sac_run_mm = 5;
};

struct SpineMasks {
  io::Volume cord;           // 0/1
  io::Volume thecal_sac;     // 0/1: the CSF space inside the dura, the cord and the roots in it
  io::Volume cord_distance;  // mm to the cord's surface, negative inside the cord
  std::array<double, 3> conus_tip_mm{0, 0, 0};   // LPS: the cord's lowest (most caudal) voxel
  double cord_intensity = 0, csf_intensity = 0;  // medians, in the series' units
};

// The index axes of a grid nearest to the patient's left-right, front-back and foot-head axes (a sagittal
// series is planned a few degrees off the body's). Throws std::invalid_argument for a grid too oblique to
// tell them apart.
struct PatientAxes {
  unsigned lr = 0, ap = 1, si = 2;
};
PatientAxes NearestPatientAxes(const io::VolumeGeometry& grid);

// Segments the cord and the thecal sac of a sagittal T1 spine series (the pre-contrast one: gadolinium
// brightens the dura and the veins around the sac). Throws std::invalid_argument naming the problem for a
// volume unusable in 3-D or one in which no cord is found.
SpineMasks SegmentSpine(const io::Volume& t1, const SpineAnatomyOptions& options = {});

// The masks carried onto another grid (the post-contrast series'): `transform` maps its points to the
// masks' grid, as a registration with that grid fixed finds it. The cord distance and the conus are
// measured again there. Segmenting a 3 mm series on its own grid and moving the masks keeps the thin CSF
// layers that resampling the series first would blur into the cord and the dura.
SpineMasks MoveSpineMasks(const SpineMasks& masks, const io::VolumeGeometry& grid,
                          const SpatialTransform& transform);

}  // namespace leptoscan::filters
