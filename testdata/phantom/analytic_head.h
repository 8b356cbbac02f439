// The analytic head: scalp, skull, dura (with falx and tentorium), subarachnoid CSF, a cerebrum folded by
// wavy sulci, cerebellum with folia, brainstem, lateral/third/fourth ventricles with choroid plexus,
// basal cisterns, cisternal cranial nerves III, V and VII/VIII, dural sinuses, cortical veins lying in
// sulci, and the pituitary. Built from implicit surfaces, so it is evaluated at any point without data
// files, and every distance the truth needs (to the pia, to the ependyma) is known exactly.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "testdata/phantom/anatomy.h"

namespace leptoscan::phantom {

class AnalyticHead : public Anatomy {
 public:
  explicit AnalyticHead(HeadShape shape = {});

  std::string Name() const override { return "analytic"; }
  std::unique_ptr<Anatomy> WithShape(const HeadShape& shape) const override;
  Label LabelAt(const Vec3& p) const override;

  // The analytic head's pial distance is exact: the outer cortex, sulcal banks, the interhemispheric
  // fissure, cerebellar folia and the brainstem.
  double PialDistance(const Vec3& p) const override;
  double VentricleDistance(const Vec3& p) const override;
  double CerebrumDistance(const Vec3& p) const override;
  double InnerSkullDistance(const Vec3& p) const override;
  double CerebellumDistance(const Vec3& p) const override;
  double BrainstemDistance(const Vec3& p) const override;

  // `offset` is the signed distance from the sulcus's (wavy) mid-plane.
  bool SulcusFrame(const Sulcus& s, const Vec3& p, double* along, double* offset) const override;
  Box SulcusBox(const Sulcus& s, double from, double to) const override;
  Vec3 AtriumCentre(Side side) const override;

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
  std::vector<Vein> veins_;
};

}  // namespace leptoscan::phantom
