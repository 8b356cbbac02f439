// The head a phantom subject is made of, as the lesion painter, the scenario planner, the renderer and the
// template see it: a label at every point, signed distances to the surfaces lesions are placed against
// (pia, ependyma, the outer cerebral surface, cerebellum, brainstem, inner skull), and the named places
// where lesions go (sulci, cisternal cranial nerves, ventricles). Implemented by the analytic head
// (analytic_head.h) and by the Colin27 head (colin27_head.h); head coordinates are LPS millimetres.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "testdata/phantom/labels.h"
#include "testdata/phantom/vec3.h"

namespace leptoscan::phantom {

enum class Side { kLeft, kRight };
std::string SideSuffix(Side side);  // "L" or "R"

struct Box {
  Vec3 lo, hi;
};

// The half of a box on one side of the midsagittal plane x = 0 (left is +x).
Box HalfBox(const Box& box, Side side);

struct Sulcus {
  std::string name;  // e.g. "central"
  std::string lobe;  // frontal, parietal, temporal, occipital
  Side side = Side::kLeft;
  double width_mm = 0;  // CSF gap between the two banks
  // The analytic head's geometry of the sulcus; the Colin27 head keeps its sulci's voxels instead.
  Vec3 radial;            // unit direction from the cerebrum centre to the middle of the sulcus
  Vec3 run;               // unit tangent along the sulcus on the surface
  Vec3 normal;            // unit normal of the sulcal plane (radial x run)
  double half_angle = 0;  // half its length, as an angle seen from the centre (rad)
  double depth_mm = 0;    // from the outer brain surface
};

struct NerveSegment {
  std::string nerve;  // "III", "V", "VII_VIII"
  Side side = Side::kLeft;
  Vec3 from;  // brainstem exit
  Vec3 to;    // skull-base foramen
  double radius_mm = 1;
  std::string Name() const { return nerve + "_" + SideSuffix(side); }
};

// Parameters that change between subjects and visits.
struct HeadShape {
  double ventricle_scale = 1.0;  // width of the frontal horns; > 1 gives hydrocephalus
};

// Where things are in one head: boxes that hold a structure (lesion painting visits only those) and the
// reference points the scenario planner places lesions by.
struct Landmarks {
  Box head;                // the whole head
  Box cerebrum_interior;   // parenchymal metastases are drawn with their centres in here
  Box posterior_fossa;     // cerebellum and its folia
  Box basal_cisterns;      // the cisterns around the brainstem
  Box ventricles;          // the lateral ventricles
  Vec3 cerebellum_centre;  // the folia run around it (sagittal angle)
  // Front-to-back extent (y) of the lateral ventricles: ependymal lesions cover a part of it.
  double ventricle_front = 0, ventricle_back = 0;
  double evans_index = 0;  // at ventricle scale 1
};

class Anatomy {
 public:
  virtual ~Anatomy() = default;

  virtual std::string Name() const = 0;  // "analytic", "colin27"
  // The same head with other ventricles.
  virtual std::unique_ptr<Anatomy> WithShape(const HeadShape& shape) const = 0;

  virtual Label LabelAt(const Vec3& p) const = 0;

  // Distance (mm) from p to the nearest pial surface (outer cortex, sulcal banks, cerebellum, brainstem).
  // Positive inside brain tissue, negative in the subarachnoid space.
  virtual double PialDistance(const Vec3& p) const = 0;
  // Signed distance to the ventricle walls (ependyma); negative inside the ventricles.
  virtual double VentricleDistance(const Vec3& p) const = 0;
  // Signed distance to the outer cerebral surface (ignoring sulci); negative inside.
  virtual double CerebrumDistance(const Vec3& p) const = 0;
  // Signed distance to the inner surface of the skull; negative inside the cranium.
  virtual double InnerSkullDistance(const Vec3& p) const = 0;
  virtual double CerebellumDistance(const Vec3& p) const = 0;
  virtual double BrainstemDistance(const Vec3& p) const = 0;

  // Where sulcus s is at p: true when p lies within the sulcus's extent; `along` runs from -1 to 1 along
  // its length, `offset` is the distance (mm) from its mid-surface (signed where the head knows a side).
  virtual bool SulcusFrame(const Sulcus& s, const Vec3& p, double* along, double* offset) const = 0;
  // A box holding the part from..to (of -1..1) of sulcus s and the surface beside it.
  virtual Box SulcusBox(const Sulcus& s, double from, double to) const = 0;
  // A point on the outer cerebral surface (CerebrumDistance zero) in a direction from the cerebrum centre.
  Vec3 CerebralSurfacePoint(const Vec3& direction) const;
  // Centre of the atrium of one lateral ventricle, where ventricular nodules are placed.
  virtual Vec3 AtriumCentre(Side side) const = 0;

  const std::vector<Sulcus>& sulci() const { return sulci_; }
  // The sulci scenarios draw sulcal LM from, in drawing order.
  const std::vector<std::string>& lesion_sulci() const { return lesion_sulci_; }
  const std::vector<NerveSegment>& nerves() const { return nerves_; }
  const HeadShape& shape() const { return shape_; }
  const Landmarks& landmarks() const { return landmarks_; }
  Vec3 cerebrum_centre() const { return cerebrum_centre_; }

 protected:
  explicit Anatomy(HeadShape shape) : shape_(shape) {}
  Anatomy(const Anatomy&) = default;

  HeadShape shape_;
  Vec3 cerebrum_centre_;
  Landmarks landmarks_;
  std::vector<Sulcus> sulci_;
  std::vector<std::string> lesion_sulci_;
  std::vector<NerveSegment> nerves_;
};

}  // namespace leptoscan::phantom
