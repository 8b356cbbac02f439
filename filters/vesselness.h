// Vesselness: which bright voxels belong to a tube (cortical vein) rather than to a sheet (sulcal LM
// lining a sulcus) or a blob (nodule), from the Hessian at several scales (Frangi et al. 1998), with two
// checks the Hessian alone cannot make: a tube is dark on every side of its cross-section, and it stays
// bright along its axis.
#pragma once

#include <vector>

#include "io/volume.h"

namespace leptoscan::filters {

struct VesselnessOptions {
  // Scales (mm) at which tubes are sought: cortical veins are 1-2 mm across. Dural sinuses (5-10 mm) are
  // left out on purpose: at their scale a whole LM-coated sulcus is a long tube too.
  std::vector<double> sigmas_mm{0.75, 1.0, 1.5};
  // Larger scales at which only blobs and sheets are measured, so that a nodule of up to ~10 mm, which is
  // a short fat tube at the tube scales, loses to its blob measure.
  std::vector<double> blob_sigmas_mm{2.5};
  double alpha = 0.5;  // tube against sheet: tolerance of |l2|/|l3|
  double beta = 0.5;   // tube against blob: tolerance of |l1|/sqrt(|l2 l3|)
  // Structureness (Frobenius norm of the scale-normalised Hessian) below which shapes fade, in image
  // units; 0.1 suits images divided by the white-matter intensity, where veins enhance by ~1 and noise
  // (SNR 25) reads ~0.03 at the smallest scale.
  double gamma = 0.1;
  // How far (in sigmas) the sides and the axis of a tube candidate are sampled: a sheet's edge is bright
  // on one side, a blob's rim is dark along one way of its axis.
  double side_reach = 2.5;
  // Along its axis a tube keeps at least this fraction of its contrast over its brightest side.
  double axial_continuity = 0.5;
  // A tube centre flags the voxels within spread_radius sigmas of its axis and spread_length sigmas along
  // it, so that the vessel's partial-volume wall and its ends are flagged, not only its centreline.
  double spread_radius = 1.5, spread_length = 3;
};

// Multi-scale tubularity of bright tubes on a dark background, 0..1 per voxel: the score of the tube
// centre that claims the voxel (0 if none). Meant for an enhancement map (post - pre contrast, both divided
// by the white-matter intensity); threshold 0.1. With a `mask` (voxels > 0, same grid) only the mask's
// voxels are computed and the rest are 0. Throws std::invalid_argument for a 2-D or flat image, a mask on
// another grid, an empty mask, no scale or a scale that is not positive.
io::Volume Vesselness(const io::Volume& image, const VesselnessOptions& options = {},
                      const io::Volume* mask = nullptr);

// Vesselness and the Frangi-style sheet and blob measures (largest over all scales, 0..1) it competes with:
// a tube centre counts only where it beats both.
struct HessianShapes {
  io::Volume vessel, sheet, blob;
};
HessianShapes MeasureShapes(const io::Volume& image, const VesselnessOptions& options = {},
                            const io::Volume* mask = nullptr);

}  // namespace leptoscan::filters
