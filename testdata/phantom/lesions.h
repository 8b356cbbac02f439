// LM lesions and their look-alike neighbours' counterpart, the parenchymal metastasis: painted into a
// visit's label map, with the truth measured from what was painted.
#pragma once

#include <array>
#include <functional>
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
  // The spine (spine_lesions.h):
  kCordSurface,   // linear enhancement coating the cord's surface
  kNerveRoots,    // thickened, enhancing cauda equina roots
  kSpinalNodule,  // subarachnoid nodule on the cord's surface or among the cauda equina roots
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
  // Spine lesions: from..to is the part of the canal they cover, in mm along it from the top of C1
  // (kCordSurface, kNerveRoots); a spinal nodule's diameters are across the canal (left-right, front-back)
  // and along it, and its site is "cord_surface" or "cauda_equina"; one on the cord points along `outward`.
  std::string site;
  Vec3 outward;
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

// Signals of the lesion kinds; enhancing thin layers are partial-volumed down by the renderer.
inline constexpr LesionSignal kLinearSignal{140, 880, 650};
inline constexpr LesionSignal kNerveSignal{560, 940, 560};
inline constexpr LesionSignal kNoduleSignal{480, 1000, 680};
inline constexpr LesionSignal kParenchymalSignal{470, 980, 700};

// Where a lesion is painted: a box to visit, a test per voxel (position, label there before painting), the
// location the truth names, and its signal.
struct LesionRegion {
  Vec3 lo, hi;
  std::function<bool(const Vec3&, Label)> inside;
  std::string location;
  LesionSignal signal;
};

// Paints a region as `label` and measures what was painted (voxels, centroid; in *surface_mm2 the surface of
// a layer that is layer_mm(p) thick at each painted voxel). Throws std::invalid_argument when nothing was
// painted.
PaintedLesion PaintRegion(const LesionSpec& spec, const LesionRegion& region, Label label,
                          const std::function<double(const Vec3&)>& layer_mm, LabelMap& map,
                          double* surface_mm2);

// Paints lesions (in order, later over earlier) as labels kFirstLesion + index. Throws
// std::invalid_argument for an unknown sulcus or nerve, or a lesion that paints nothing.
std::vector<PaintedLesion> PaintLesions(const Anatomy& head, const std::vector<LesionSpec>& specs,
                                        LabelMap& map);

// Evans index measured on the label map: the widest span of the frontal horns over the inner skull
// diameter on the same axial slice.
double MeasureEvansIndex(const LabelMap& map);

}  // namespace leptoscan::phantom
