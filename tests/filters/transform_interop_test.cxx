// Transform files written by ITK (through leptoscan register's writer) read by the scoring library's
// own parser map points exactly as ITK does: the two implementations check each other.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "filters/rigid_registration.h"
#include "scoring/itk_transform.h"

namespace leptoscan::filters {
namespace {

void ExpectSameMapping(const SpatialTransform& transform, const std::string& name) {
  const auto path = std::filesystem::path(::testing::TempDir()) / name;
  WriteTransformFile(transform, path);
  const scoring::AffineMap parsed = scoring::ReadItkTransform(path);
  for (const std::array<double, 3>& p : {std::array<double, 3>{0, 0, 0}, {40, -25, 60}, {-70, 90, -30}}) {
    const auto itk = transform.TransformPoint(p);
    const auto ours = parsed.Apply({p[0], p[1], p[2]});
    EXPECT_NEAR(ours[0], itk[0], 1e-9) << name;
    EXPECT_NEAR(ours[1], itk[1], 1e-9) << name;
    EXPECT_NEAR(ours[2], itk[2], 1e-9) << name;
  }
}

TEST(TransformInterop, ScoringReadsItkWrittenRigidTransforms) {
  SpatialTransform rigid = SpatialTransform::Identity(TransformKind::kRigid, {12, -8, 20});
  // Versor of 9 degrees about a tilted axis, then a translation.
  const double half = 9.0 / 2 * M_PI / 180, norm = std::sqrt(1 + 4 + 0.25);
  rigid.parameters = {
      std::sin(half) / norm, 2 * std::sin(half) / norm, 0.5 * std::sin(half) / norm, 3.5, -4, 2.25};
  ExpectSameMapping(rigid, "rigid.tfm");
}

TEST(TransformInterop, ScoringReadsItkWrittenAffineTransforms) {
  SpatialTransform affine = SpatialTransform::Identity(TransformKind::kAffine, {5, 5, -10});
  affine.parameters = {1.05, 0.02, -0.03, -0.01, 0.97, 0.04, 0.02, -0.05, 1.01, -6, 2, 9};
  ExpectSameMapping(affine, "affine.tfm");
}

}  // namespace
}  // namespace leptoscan::filters
