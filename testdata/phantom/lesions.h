// LM lesions and their look-alike neighbours' counterpart, the parenchymal metastasis: painted into a
// visit's label map, with the truth measured from what was painted.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "testdata/phantom/anatomy.h"
#include "testdata/phantom/label_map.h"
#include "testdata/phantom/mr_render.h"

namespace leptoscan::phantom {

enum class LesionKind {
  kSulcal,        // linear enhancement lining a sulcus and the surface beside it
  kFolia,         // linear enhancement in cerebellar fissures
  kCistern,       // linear enhancement coating the brainstem in the basal cisterns
  kEpendymal,     // linear enhancement of a lateral ventricle wall
  kCranialNerve,  // thickened, enhancing cisternal nerve
  kNodule,        // subarachnoid or intraventricular nodule
  kParenchymal,   // metastasis more than 2 mm inside the brain: not LM
};

struct LesionSpec {
  std::string id;  // stable across visits, e.g. "N1", "L2"
  LesionKind kind = LesionKind::kNodule;
  Side side = Side::kLeft;
  // Linear lesions: which sulcus (kSulcal), the part of its length (-1..1) and the layer thickness.
  std::string sulcus;
  double from = -0.5, to = 0.5;
  double thickness_mm = 1.5;
  // kCranialNerve: "III", "V" or "VII_VIII".
  std::string nerve;
  // Nodules: centre (head coordinates), diameters along the in-plane axes and craniocaudally, and the
  // in-plane rotation of the first axis (degrees about z).
  Vec3 centre;
  std::array<double, 3> diameters_mm{0, 0, 0};
  double rotation_deg = 0;
  bool ventricular = false;
};

struct PaintedLesion {
  LesionSpec spec;
  std::size_t voxels = 0;
  Vec3 centroid;              // of the painted voxels, head coordinates
  double extent_mm2 = 0;      // enhancing surface of linear and nerve lesions
  double edge_to_pia_mm = 0;  // nodules: from the outer edge to the nearest pial surface, >= 0
  std::string location;       // sulcal, cerebellar_folia, basal_cisterns, ependymal, nerve name,
                              // subarachnoid, ventricular, parenchymal
  LesionSignal signal;
};

// Paints lesions (in order, later over earlier) as labels kFirstLesion + index. Throws
// std::invalid_argument for an unknown sulcus or nerve, or a lesion that paints nothing.
std::vector<PaintedLesion> PaintLesions(const Anatomy& head, const std::vector<LesionSpec>& specs,
                                        LabelMap& map);

// Evans index measured on the label map: the widest span of the frontal horns over the inner skull
// diameter on the same axial slice.
double MeasureEvansIndex(const LabelMap& map);

}  // namespace leptoscan::phantom
