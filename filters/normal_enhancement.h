// Suppression of normal enhancement: of the voxels that enhance, which are vessels, dura, choroid plexus
// or pituitary (domain.md section 1: they enhance in every patient and must never be reported as LM),
// and which remain as candidates for the LM detectors.
#pragma once

#include "filters/enhancing_regions.h"
#include "filters/falx.h"
#include "filters/template_priors.h"
#include "io/volume.h"

namespace leptoscan::filters {

enum EnhancementClass : unsigned char {
  kNotEnhancing = 0,
  kCandidate,  // left for the LM and parenchymal detectors
  kVesselEnhancement,
  kDuralEnhancement,
  kChoroidPlexusEnhancement,
  kPituitaryEnhancement,
  kExtracranialEnhancement,  // outside the inner skull: scalp, marrow, mucosa
  // In the choroid plexus's place but without a mirror image across the mid-sagittal plane: the plexus is
  // paired, so this is more than plexus, a nodule lying against it if the nodule detector finds one there,
  // else plexus still (never given to the linear detectors).
  kUnpairedPlexusEnhancement,
};

struct NormalEnhancementOptions {
  // Enhancement (white-matter units, filters/enhancement.h) from which a voxel counts as enhancing: five
  // noise sigmas of a difference of two scans at SNR 25.
  double threshold = 0.3;
  // Vesselness (filters/vesselness.h) above which an enhancing voxel is a vessel.
  double vessel_threshold = 0.15;
  // Cortical veins are at most 3 mm across: enhancement that holds a ball of this radius is no vein,
  // whatever its vesselness (an elongated nodule reads as a short thick tube), nor is enhancement within
  // this radius around such a ball (the nodule's tapering ends).
  double max_vessel_radius_mm = 2.0;
  // The falx (filters/falx.h): enhancement within this of the mid-sagittal plane, no deeper in the brain
  // than falx.max_depth_mm and clear of the ventricles, the basal cisterns and the posterior fossa, is dura
  // (a 1 mm sheet with partial volume either side, and the fit's error).
  double falx_half_width_mm = 2.0;
  FalxOptions falx;  // its threshold is the one above
  // Plexus enhancement is paired when an enhancing voxel lies within this of its mirror image (the two
  // sides' plexus differ by a voxel or two).
  double plexus_pair_mm = 1.5;
  // Within a cranial nerve's prior region, enhancement this near the inner table is the dura lining the
  // nerve's foramen (in a normal head it made a "nerve" of the dura); the nerve is judged on the rest of
  // its cisternal course.
  double foramen_dura_mm = 2.0;
};

// What the classification looks at, all on the grid of the enhancement map.
struct EnhancementAnatomy {
  const io::Volume* pial_distance = nullptr;         // PialDistanceMap: > 0 in the brain
  const io::Volume* inner_skull_distance = nullptr;  // SignedDistanceMm(inner skull): < 0 inside
  const io::Volume* ependymal_distance = nullptr;    // EpendymalDistanceMap: < 0 in the ventricles
  const SubjectPriors* priors = nullptr;
  const io::Volume* vesselness = nullptr;  // optional: without it, no voxel is called a vessel
};

// An EnhancementClass per voxel. The falx is found on the enhancement map itself (FindFalxPlane). Throws
// std::invalid_argument for a missing or mis-gridded input.
io::Volume ClassifyEnhancement(const io::Volume& enhancement, const EnhancementAnatomy& anatomy,
                               const NormalEnhancementOptions& options = {});

// The share (0..1) of a region's voxels with a voxel of class `of` among their 26 neighbours in `classes`
// (ClassifyEnhancement's map, same grid). Along dural enhancement runs the fringe of the dura or of a sinus
// that partial volume left unclassified; LM lining a sulcus mostly lies deeper than the dura reaches.
double ShareTouchingClass(const EnhancingRegion& region, const io::Volume& classes, EnhancementClass of);

// Whether a 26-connected piece of the region, of at least `min_piece_mm3`, has a voxel centre `reach_mm` or
// farther from the surface of the voxels of class `of` (as SignedDistanceMm measures). Dural enhancement
// runs along the inner skull and does not enter the sulci: its fringe stays within a few millimetres of it,
// while LM lining the sulci at the vertex, where the subarachnoid space is thin, touches it and reaches
// down into them. The minimum piece keeps out small pieces of dura that `classes` left unclassified (the
// tentorium inside the brain mask), far from the voxels it did classify.
bool ReachesBeyondClass(const EnhancingRegion& region, const io::Volume& classes, EnhancementClass of,
                        double reach_mm, double min_piece_mm3);

}  // namespace leptoscan::filters
