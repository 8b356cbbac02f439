// The Colin27 head (Debian package mricron-data: ch2 = T1 with skull, ch2bet = the brain alone, aal = the
// AAL atlas drawn on this brain; 1 mm, MNI space): a real brain's tissue classes, sulci, ventricles and
// cisterns, with the phantom's label set and look-alikes painted in.
//
// Derived on the 1 mm grid: tissue classes by intensity inside ch2bet (three-class k-means); the
// ventricles as the CSF grown from deep seeds in the middle of the brain, and the fourth ventricle; the
// outer cerebral surface as ch2bet closed by 3 mm; the brainstem as unlabelled AAL tissue around the
// midline below the thalami, the cerebellum from AAL; sulci as CSF inside the cerebral surface between
// two named AAL gyri (the central sulcus lies between precentral and postcentral gyrus); cisterns as CSF
// near the brainstem and the sella. Every surface is kept as a signed distance map on that grid and
// interpolated, so labels at finer spacing (the phantom rasterises at 0.5 mm) and the distances the
// truth needs agree. Outside the brain: subarachnoid CSF and dura as shells over the cerebral surface,
// then skull, diploe and scalp by intensity. Painted in at their MNI positions: the falx, tentorium,
// superior sagittal, straight and transverse sinuses, cortical veins in two sulci, choroid plexus in the
// atria and the roof of the third ventricle, the cisternal cranial nerves III, V and VII/VIII on both
// sides, and the pituitary with its stalk. Head coordinates are MNI millimetres in LPS.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "testdata/phantom/anatomy.h"

namespace leptoscan::phantom {

class Colin27Head : public Anatomy {
 public:
  // Reads ch2.nii.gz, ch2bet.nii.gz and aal.nii.gz from `folder`; throws io::InputError naming a missing
  // or unreadable file. Takes about a second on two cores.
  explicit Colin27Head(const std::filesystem::path& folder = DefaultFolder());
  static std::filesystem::path DefaultFolder();  // /usr/share/mricron/templates

  std::string Name() const override { return "colin27"; }
  // Hydrocephalus grows the ventricles into the surrounding tissue by the margin that widens the
  // frontal horns by the scale.
  std::unique_ptr<Anatomy> WithShape(const HeadShape& shape) const override;
  Label LabelAt(const Vec3& p) const override;

  double PialDistance(const Vec3& p) const override;
  double VentricleDistance(const Vec3& p) const override;
  double CerebrumDistance(const Vec3& p) const override;
  double InnerSkullDistance(const Vec3& p) const override;
  double CerebellumDistance(const Vec3& p) const override;
  double BrainstemDistance(const Vec3& p) const override;

  // `along` is the position along the sulcus's principal axis, `offset` the distance from its CSF
  // (0 inside it); false further than 8 mm from it.
  bool SulcusFrame(const Sulcus& s, const Vec3& p, double* along, double* offset) const override;
  Box SulcusBox(const Sulcus& s, double from, double to) const override;
  Vec3 AtriumCentre(Side side) const override;

  struct Data;  // the derived maps, shared by every shape of the head

 private:
  Colin27Head(const Colin27Head& head, HeadShape shape);  // shares the derived maps
  double VentricleGrowthMm() const;

  std::shared_ptr<const Data> data_;
};

}  // namespace leptoscan::phantom
