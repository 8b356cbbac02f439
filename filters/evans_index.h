// Evans index and ventricular volume (hydrocephalus, domain.md section 1): the widest span of the
// frontal horns over the widest inner-skull diameter on the same axial slice, measured in the patient's
// axial plane (LPS axes) whatever the orientation of the scan's grid.
#pragma once

#include "io/volume.h"

namespace leptoscan::filters {

struct VentricleMeasures {
  double evans_index = 0;
  double frontal_horn_width_mm = 0;  // left-right span of both frontal horns
  double inner_skull_width_mm = 0;   // widest left-right inner-skull diameter on that slice
  double axial_level_mm = 0;         // LPS z (superior positive) of that slice
  double ventricular_volume_ml = 0;
};

struct EvansOptions {
  // Both masks are resampled onto an LPS-aligned grid with this in-plane voxel size and slice spacing.
  double in_plane_mm = 0.5;
  double slice_mm = 1.0;
  // The frontal horns are the front part of the ventricles, this fraction of their anterior-posterior
  // extent: in front of the bodies and atria, which are as wide or wider.
  double frontal_fraction = 1.0 / 3;
};

// `ventricles` and `inner_skull` are 0/1 masks on one grid. Throws std::invalid_argument for masks on
// different grids or an empty mask.
VentricleMeasures MeasureVentricles(const io::Volume& ventricles, const io::Volume& inner_skull,
                                    const EvansOptions& options = {});

}  // namespace leptoscan::filters
