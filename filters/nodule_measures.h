// Size of one nodule as RANO-LM and RECIST readers measure it (domain.md section 2, findings.md
// `diameters_mm`): two orthogonal diameters on the axial slice of largest cross-section, in the patient's
// axial plane (LPS x-y) whatever the orientation of the scan's grid, plus the craniocaudal extent.
#pragma once

#include <array>

#include "io/volume.h"

namespace leptoscan::filters {

struct NoduleMeasures {
  std::array<double, 3> center_mm{0, 0, 0};  // LPS centroid, weighted by membership
  std::array<double, 2> diameters_mm{0, 0};  // longest in-plane diameter, longest perpendicular to it
  double craniocaudal_mm = 0;                // third extent, perpendicular to that plane (LPS z)
  double volume_ml = 0;                      // sum of membership x voxel volume
  double axial_level_mm = 0;                 // LPS z of the plane of largest cross-section
};

struct NoduleMeasureOptions {
  // The membership is resampled onto an LPS-aligned grid of this voxel size, fine enough that the edge
  // is located to a small fraction of a 1 mm scan voxel.
  double in_plane_mm = 0.25;
  double slice_mm = 0.5;
  // B-spline order of that resampling (1 is linear interpolation). Cubic follows a section's curvature
  // between scan slices, where linear cuts the pointed ends of flat nodules short.
  unsigned spline_order = 3;
  // The nodule's edge: where half of a voxel is nodule.
  double threshold = 0.5;
};

// `membership`: a fuzzy 0..1 map of one nodule (partial volume: the fraction of each voxel the nodule
// fills), on any grid (axial, sagittal, coronal, oblique, anisotropic). Throws std::invalid_argument
// for an empty one (no voxel above 0) and for options out of range. A nodule that nowhere reaches the
// threshold has a centre and a volume but zero diameters and extent, and its axial level is the centre's.
NoduleMeasures MeasureNodule(const io::Volume& membership, const NoduleMeasureOptions& options = {});

}  // namespace leptoscan::filters
