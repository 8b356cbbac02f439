// The analytic head: scalp, skull, dura (with falx and tentorium), subarachnoid CSF, a cerebrum folded by
// wavy sulci, cerebellum with folia, brainstem, lateral/third/fourth ventricles with choroid plexus,
// basal cisterns, cisternal cranial nerves III, V and VII/VIII, dural sinuses, cortical veins lying in
// sulci, and the pituitary. Built from implicit surfaces, so it is evaluated at any point without data
// files, and every distance the truth needs (to the pia, to the ependyma) is known exactly.
#pragma once

#include <string>
#include <vector>

#include "testdata/phantom/labels.h"
#include "testdata/phantom/vec3.h"

namespace leptoscan::phantom {

enum class Side { kLeft, kRight };
std::string SideSuffix(Side side);  // "L" or "R"

struct Sulcus {
  std::string name;  // e.g. "central"
  std::string lobe;  // frontal, parietal, temporal, occipital
  Side side = Side::kLeft;
  Vec3 radial;            // unit direction from the cerebrum centre to the middle of the sulcus
  Vec3 run;               // unit tangent along the sulcus on the surface
  Vec3 normal;            // unit normal of the sulcal plane (radial x run)
  double half_angle = 0;  // half its length, as an angle seen from the centre (rad)
  double depth_mm = 0;    // from the outer brain surface
  double width_mm = 0;    // CSF gap between the two banks
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
  double ventricle_scale = 1.0;  // lateral and third ventricle width; > 1 gives hydrocephalus
};

class AnalyticHead {
 public:
  explicit AnalyticHead(HeadShape shape = {});

  Label LabelAt(const Vec3& p) const;

  // Distance (mm) from p to the nearest pial surface: the outer cortex, sulcal banks, the
  // interhemispheric fissure, cerebellar folia and the brainstem. Positive inside brain tissue,
  // negative in the subarachnoid space.
  double PialDistance(const Vec3& p) const;
  // Signed distance to the ventricle walls (ependyma); negative inside the ventricles.
  double VentricleDistance(const Vec3& p) const;
  // Signed distance to the outer cerebral surface (ignoring sulci); negative inside.
  double CerebrumDistance(const Vec3& p) const;
  // Signed distance to the inner surface of the skull; negative inside the cranium.
  double InnerSkullDistance(const Vec3& p) const;
  double CerebellumDistance(const Vec3& p) const;
  double BrainstemDistance(const Vec3& p) const;

  // Where sulcus s is at p: true when p lies within the sulcus's angular extent and depth; `along`
  // runs from -1 to 1 along its length, `offset` is the signed distance (mm) from its mid-plane.
  bool SulcusFrame(const Sulcus& s, const Vec3& p, double* along, double* offset) const;
  // A point on the outer cerebral surface in a direction from the cerebrum centre.
  Vec3 CerebralSurfacePoint(const Vec3& direction) const;

  const std::vector<Sulcus>& sulci() const { return sulci_; }
  const std::vector<NerveSegment>& nerves() const { return nerves_; }
  const HeadShape& shape() const { return shape_; }
  Vec3 cerebrum_centre() const { return kCerebrumCentre; }
  // Box (head coordinates) that holds the whole head.
  static Vec3 BoxMin() { return {-90, -106, -92}; }
  static Vec3 BoxMax() { return {90, 106, 94}; }

 private:
  struct Vein {
    Vec3 a, b;
    double radius_mm;
  };
  double SulcusOffset(const Sulcus& s, const Vec3& q) const;
  // Terms that provably exceed `cutoff` are skipped (labelling needs only the cortical ribbon).
  double CerebralPialDistance(const Vec3& p, double cerebrum, double cutoff) const;
  double FoliumDistance(const Vec3& p, double cerebellum) const;
  double VentricleDistanceScaled(const Vec3& p) const;
  bool InChoroidPlexus(const Vec3& p) const;
  // Signed distance to the basal cisterns and the CSF sheaths of the cisternal nerves; exact below
  // `cutoff`, a lower bound above it.
  double CisternDistance(const Vec3& p, double cutoff) const;
  double TissuePialDistance(const Vec3& p, double cerebrum, double cerebellum, double cutoff) const;
  bool InVenousSinus(const Vec3& p, double inner_skull) const;
  bool InVein(const Vec3& p) const;
  double TentoriumZ(double y) const;

  static constexpr Vec3 kCerebrumCentre{0, 0, 10};
  HeadShape shape_;
  std::vector<Sulcus> sulci_;
  std::vector<NerveSegment> nerves_;
  std::vector<Vein> veins_;
};

}  // namespace leptoscan::phantom
