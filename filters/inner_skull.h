// The inner skull: everything inside the inner table (brain, CSF spaces, dura, vessels), the box that
// Evans index divides by and the outer bound of the subarachnoid space.
#pragma once

#include "filters/brain_mask.h"
#include "io/volume.h"

namespace leptoscan::filters {

struct InnerSkullOptions {
  // On T1, cortical bone gives no signal and CSF a little: the inner table is darker than this fraction
  // of the white-matter intensity, CSF and dura are brighter.
  double bone_fraction = 0.13;
  // How far the inner table may lie from the brain (the basal cisterns are the widest gap).
  double reach_mm = 20.0;
  // Voxels this close to bright tissue outside the brain (marrow, scalp) are taken for bone.
  double bright_margin_mm = 1.5;
  // Bright voxels within this distance of the brain mask are brain (its partial-volume rim), not marrow:
  // the marrow lies beyond the CSF, the dura and the inner table, 5 mm or more from the pia.
  double brain_rim_mm = 2.0;
};

// Grows the brain mask outwards through voxels between bone and brain tissue in brightness (CSF,
// dura), read on a 3x3x3 median that silences noise but keeps a 2-voxel inner table, and fills holes.
// Bright non-brain tissue (marrow, scalp) stops the growth as bone does.
io::Volume InnerSkullMask(const io::Volume& t1, const BrainMasks& masks,
                          const InnerSkullOptions& options = {}, const BrainMaskOptions& brain_options = {});

}  // namespace leptoscan::filters
