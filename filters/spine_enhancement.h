// Spinal LM on a sagittal spine study (domain.md section 1): enhancement inside the thecal sac, sorted
// into linear enhancement along the cord's surface, thickened enhancing nerve roots of the cauda equina
// below the conus, and nodules (subarachnoid, or intramedullary when deep in the cord). Enhancement outside
// the sac is the normal epidural venous plexus and dura, and is never a finding.
#pragma once

#include <string>
#include <vector>

#include "filters/enhancing_regions.h"
#include "filters/nodules.h"
#include "filters/spine_anatomy.h"
#include "io/volume.h"

namespace leptoscan::filters {

// Post minus the registered pre-contrast spine series (on the post grid) in units of the cord's signal
// before contrast, after the brain's differential bias correction (filters/enhancement.h) fitted to the
// tissue around the canal (muscle, marrow, discs, the cord: what is neither CSF nor fat). A fat-suppressed
// post series darkens fat and marrow: the fit leaves them out as outliers, and they read below 0.
io::Volume SpineEnhancementMap(const io::Volume& post, const io::Volume& pre_on_post,
                               const SpineMasks& anatomy);

struct SpineEnhancementOptions {
  double enhancing = 0.3;  // cord units: CSF and the cord read about 0, LM 0.5 and more
  // Candidates lie this deep inside the sac, and off its outer voxel layer: those voxels share their volume
  // with the dura and the anterior venous plexus, which enhance normally.
  double sac_margin_mm = 1.0;
  // Nodules: voxels that enhance this much and were tissue before contrast (brighter than this on a scale
  // from the CSF, 0, to the cord, 1: the dura and the veins around the sac read 0.15, a linear coat reads as
  // CSF), thicker than a root in the sagittal plane, grouped; a group this large whose longest principal
  // spread is at most max_nodule_spread_mm (a nodule of 16 mm has 3.6) is a nodule, a longer one a bundle
  // of roots. Such voxels count up to nodule_reach_mm outside the sac, whose CSF-dark region leaves out
  // what fills it against its wall.
  double nodule_enhancing = 0.75;
  double nodule_tissue = 0.5;
  double min_nodule_mm3 = 20;
  double max_nodule_spread_mm = 4;
  unsigned max_core_erosions = 3;  // a longer group is eroded again (a nodule among swollen roots)
  // ... and not flat: the spread along its thinnest axis over that along its longest at least this (the
  // part of a linear coat that shares voxels with the cord is a thin shell).
  double min_nodule_compactness = 0.3;
  double nodule_reach_mm = 3;
  // A nodule whose outer edge lies deeper in the cord than this is intramedullary (the 2 mm rule).
  double leptomeningeal_mm = 2.0;
  // The rest within this of the cord's surface, and nearer the cord than the sac's wall, is linear
  // enhancement of the cord (the dura's enhancement reaches a voxel into the sac where the CSF around the
  // cord is thin); below the conus, what lies this deep in the sac (and off its outer layer) is nerve roots
  // of the cauda equina (the roots lie in the back of the sac, the veins in front of it).
  double cord_surface_mm = 2.5;
  double root_depth_mm = 1.0;
  // ... and whose voxels were tissue before contrast (median above this on the CSF-to-cord scale; enhancing
  // roots read 0.7, the veins and dura that partial volume brings into the sac 0.15).
  double root_tissue = 0.35;
  // Linear enhancement of the cord covering less than this off the sac's outer layer (mm2, half its
  // boundary: a layer has two faces) is not reported, as in the brain, nor roots with less surface than
  // min_root_extent_mm2 there (a root of 3 mm enhancing over 10 mm has about 100). What enhances in the
  // sac's outermost slice then joins them, beside the cord or, below the conus, where it was tissue before
  // contrast (root_tissue): on 3 mm slices the coat on the cord's side and the roots against the sac's side
  // lie there, but so do the dura beside a tight cord and the roots that do not enhance, in partial volume
  // with the dura, which make nothing alone.
  double min_linear_extent_mm2 = 100;
  double min_root_extent_mm2 = 100;
  RegionGrouping grouping;
};

struct SpineEnhancement {
  std::vector<DetectedNodule> nodules;        // location "subarachnoid" or "intramedullary"
  std::vector<EnhancingRegion> cord_surface;  // region "cord_surface"
  std::vector<EnhancingRegion> nerve_roots;   // region "cauda_equina"
  io::Volume normal;  // 0/1: enhancement outside the sac or on its outer layer (dura, epidural veins)
};

// `enhancement` from SpineEnhancementMap, `pre_on_post` and `anatomy` on the same (post) grid.
SpineEnhancement DetectSpineEnhancement(const io::Volume& enhancement, const io::Volume& pre_on_post,
                                        const SpineMasks& anatomy,
                                        const SpineEnhancementOptions& options = {});

}  // namespace leptoscan::filters
