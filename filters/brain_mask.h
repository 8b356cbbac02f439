// Head and brain masks (skull stripping) of a T1 volume, before or after contrast.
//
// The brain mask holds the brain parenchyma (cerebral grey and white matter, cerebellum, brainstem) and
// the ventricles it encloses, and not the subarachnoid space: the subarachnoid space is where
// leptomeningeal disease lies, so it is measured against the pial surface this mask defines (the inner
// skull mask holds both).
#pragma once

#include "io/volume.h"

namespace leptoscan::filters {

struct BrainMaskOptions {
  // Brain tissue is brighter than this fraction of the white-matter intensity; CSF, dura and bone are
  // darker (T1 grey matter reads about 0.65, CSF about 0.2, dura about 0.35).
  double tissue_fraction = 0.45;
  // Erosion depth that cuts the thin tissue bridges (vessels, nerves, dura) joining the brain to
  // marrow, muscle and scalp before the largest component is chosen (on Colin27, 3 mm left a bridge into
  // the face: Dice 0.72 against ch2bet).
  double separation_mm = 3.5;
  // Tissue farther than this from the eroded brain never joins it: it bounds a leak through a bridge
  // the erosion missed (on Colin27, 15 mm let the brain reach into the face: Dice 0.85 against 0.95), but
  // must reach the crowns of gyri too thin to survive the erosion (a Colin27 phantom: 5 mm left out
  // 15% of its cortex, Dice 0.951 against 0.969 at 7 mm; ch2bet, itself tight on the gyri, 0.953).
  double reach_mm = 7.0;
  // Eroded components other than the largest (the cerebrum) that are brain too: the brainstem and the
  // cerebellum when the erosion cut them off (in phantom heads 2-7% of the largest, 8-16 mm from it). At
  // least this share of the largest's volume, within this gap of it, no nearer than the edge distance to
  // the field of view's faces (Colin27's neck, 18% and 3 mm away, runs out of it), and on average no
  // brighter than white matter (its orbital fat is 1.25 times as bright).
  double companion_share = 0.005;
  double companion_gap_mm = 20.0;
  double companion_edge_mm = 5.0;
  // A cavity of the brain mask that slices enclose, of at least this volume, is a ventricle and joins the
  // mask (a lateral ventricle holds 5-15 ml; the CSF of a sulcus that a slice closes over, far less).
  double min_ventricle_ml = 1.0;
  // The white-matter intensity is read deeper than this inside the head, where the brain is.
  double head_core_depth_mm = 20.0;
};

struct BrainMasks {
  io::Volume head;   // 0/1: the head, holes filled
  io::Volume brain;  // 0/1: parenchyma and ventricles
  double white_matter_intensity = 0;
};

// Throws std::invalid_argument naming the problem for a 2-D or flat volume, or a volume in which no
// brain is found.
BrainMasks ExtractBrain(const io::Volume& t1, const BrainMaskOptions& options = {});

}  // namespace leptoscan::filters
