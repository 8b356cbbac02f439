// Lesion matching by position: nearest baseline lesion of the same kind within the distance, ambiguities
// reported, and follow-up coordinates mapped into the baseline frame by an ITK transform file.
#include "scoring/matching.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>

#include "scoring/errors.h"
#include "scoring/itk_transform.h"
#include "tests/scoring/findings_builder.h"

namespace leptoscan::scoring {
namespace {

using testing::Baseline;
using ::testing::ElementsAre;
using testing::FollowUp;
using ::testing::HasSubstr;

constexpr double kPi = 3.14159265358979323846;

void ExpectNear(const Point3& actual, const Point3& expected) {
  for (int i = 0; i < 3; ++i)
    EXPECT_NEAR(actual[i], expected[i], 1e-9) << "coordinate " << i;
}

TEST(LesionMatching, AttributesEachFollowupLesionToTheNearestBaselineLesion) {
  const Findings bl = Baseline().Nodule("A", {0, 0, 0}, 10, 8).Nodule("B", {30, 0, 0}, 10, 8).Build();
  const Findings fu = FollowUp().Nodule("X", {28, 1, 0}, 10, 8).Nodule("Y", {2, 0, 0}, 10, 8).Build();
  const LesionMatching m = MatchLesions(bl, fu, AffineMap(), 10);
  ASSERT_EQ(m.links.size(), 2u);
  EXPECT_EQ(m.links[0].followup_id, "X");
  EXPECT_EQ(m.links[0].baseline_id, "B");
  EXPECT_NEAR(m.links[0].distance_mm, std::sqrt(5.0), 1e-12);
  EXPECT_EQ(m.links[1].baseline_id, "A");
  EXPECT_TRUE(m.new_lesions.empty());
  EXPECT_TRUE(m.ambiguities.empty());
}

TEST(LesionMatching, DistanceLimitIsInclusive) {
  const Findings bl = Baseline().Nodule("A", {0, 0, 0}, 10, 8).Build();
  EXPECT_TRUE(MatchLesions(bl, FollowUp().Nodule("X", {0, 6, 8}, 10, 8).Build(), AffineMap(), 10)
                  .new_lesions.empty());
  EXPECT_THAT(
      MatchLesions(bl, FollowUp().Nodule("X", {0, 6, 8.01}, 10, 8).Build(), AffineMap(), 10).new_lesions,
      ElementsAre("X"));
  EXPECT_TRUE(MatchLesions(bl, FollowUp().Nodule("X", {0, 6, 8.01}, 10, 8).Build(), AffineMap(), 12)
                  .new_lesions.empty());
}

TEST(LesionMatching, OnlyLesionsOfTheSameKindAndCompartmentMatch) {
  const Findings bl = Baseline()
                          .Nodule("N", {0, 0, 0}, 10, 8)
                          .Linear("E", {50, 0, 0}, 100)
                          .Nodule("P", {100, 0, 0}, 10, 8, "parenchymal")
                          .Build();
  const Findings fu = FollowUp()
                          .Linear("E'", {0, 0, 0}, 100)
                          .Nodule("N'", {50, 0, 0}, 10, 8)
                          .Nodule("S'", {100, 0, 0}, 10, 8)
                          .Build();
  const LesionMatching m = MatchLesions(bl, fu, AffineMap(), 10);
  EXPECT_TRUE(m.links.empty());
  EXPECT_THAT(m.new_lesions, ElementsAre("E'", "N'", "S'"));
}

TEST(LesionMatching, ReportsAFollowupLesionNearTwoBaselineLesions) {
  const Findings bl = Baseline().Nodule("A", {0, 0, 0}, 10, 8).Nodule("B", {8, 0, 0}, 10, 8).Build();
  const Findings fu = FollowUp().Nodule("X", {3, 0, 0}, 10, 8).Build();
  const LesionMatching m = MatchLesions(bl, fu, AffineMap(), 10);
  ASSERT_EQ(m.ambiguities.size(), 1u);
  EXPECT_EQ(m.ambiguities[0].lesion, "X");
  EXPECT_EQ(m.ambiguities[0].timepoint, "followup");
  EXPECT_THAT(m.ambiguities[0].candidates, ElementsAre("A", "B"));
  EXPECT_THAT(m.ambiguities[0].resolution, HasSubstr("attributed to the nearest, A"));
  EXPECT_EQ(m.links.at(0).baseline_id, "A");
}

TEST(LesionMatching, ReportsABaselineLesionThatSplit) {
  const Findings bl = Baseline().Nodule("A", {0, 0, 0}, 10, 8).Build();
  const Findings fu = FollowUp().Nodule("X", {4, 0, 0}, 6, 5).Nodule("Y", {-2, 0, 0}, 6, 5).Build();
  const LesionMatching m = MatchLesions(bl, fu, AffineMap(), 10);
  ASSERT_EQ(m.ambiguities.size(), 1u);
  EXPECT_EQ(m.ambiguities[0].timepoint, "baseline");
  EXPECT_THAT(m.ambiguities[0].candidates, ElementsAre("Y", "X"));  // nearest first
  EXPECT_THAT(m.ambiguities[0].resolution, HasSubstr("sizes summed"));
  ASSERT_EQ(m.LinksTo("A").size(), 2u);
}

TEST(LesionMatching, EquidistantCandidatesGoToTheSmallerIdWhateverTheOrder) {
  const Findings bl1 = Baseline().Nodule("B", {4, 0, 0}, 10, 8).Nodule("A", {-4, 0, 0}, 10, 8).Build();
  const Findings bl2 = Baseline().Nodule("A", {-4, 0, 0}, 10, 8).Nodule("B", {4, 0, 0}, 10, 8).Build();
  const Findings fu = FollowUp().Nodule("X", {0, 0, 0}, 10, 8).Build();
  EXPECT_EQ(MatchLesions(bl1, fu, AffineMap(), 10).links.at(0).baseline_id, "A");
  EXPECT_EQ(MatchLesions(bl2, fu, AffineMap(), 10).links.at(0).baseline_id, "A");
}

// Angles written with full precision, as ITK writes them.
std::string Number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.17g", value);
  return text;
}

std::string TransformFile(const std::string& type, const std::string& parameters, const std::string& fixed) {
  return "#Insight Transform File V1.0\n#Transform 0\nTransform: " + type + "\nParameters: " + parameters +
         "\nFixedParameters: " + fixed + "\n";
}

TEST(MatchingItkTransform, AffineWithCentreFollowsMatrixOffsetTransformBase) {
  // y = M (x - c) + c + t with M = diag(2, 1, 1), c = (1, 0, 0), t = (0, 3, 0): (2, 0, 0) -> (3, 3, 0).
  const AffineMap map = ParseItkTransform(
      TransformFile("AffineTransform_double_3_3", "2 0 0 0 1 0 0 0 1 0 3 0", "1 0 0"), "t.tfm");
  ExpectNear(map.Apply({2, 0, 0}), {3, 3, 0});
  ExpectNear(map.Inverse().Apply({3, 3, 0}), {2, 0, 0});
}

TEST(MatchingItkTransform, Euler3DRotatesAboutTheCentre) {
  // 90 degrees about z around (10, 0, 0), then t = (0, 0, 5): (11, 0, 0) -> (10, 1, 5).
  const std::string angle = Number(kPi / 2);
  const AffineMap map = ParseItkTransform(
      TransformFile("Euler3DTransform_double_3_3", "0 0 " + angle + " 0 0 5", "10 0 0"), "e.tfm");
  ExpectNear(map.Apply({11, 0, 0}), {10, 1, 5});
}

TEST(MatchingItkTransform, Euler3DAngleOrderZxyByDefaultAndZyxWhenFlagged) {
  // Rx(90) then Ry(90) differ by order: Z*X*Y applies Y first, Z*Y*X applies X first.
  const std::string a = Number(kPi / 2);
  const AffineMap zxy = ParseItkTransform(
      TransformFile("Euler3DTransform_double_3_3", a + " " + a + " 0 0 0 0", "0 0 0 0"), "e");
  const AffineMap zyx = ParseItkTransform(
      TransformFile("Euler3DTransform_double_3_3", a + " " + a + " 0 0 0 0", "0 0 0 1"), "e");
  // X*Y: (1,0,0) -Ry-> (0,0,-1) -Rx-> (0,1,0).  Y*X: (1,0,0) -Rx-> (1,0,0) -Ry-> (0,0,-1).
  ExpectNear(zxy.Apply({1, 0, 0}), {0, 1, 0});
  ExpectNear(zyx.Apply({1, 0, 0}), {0, 0, -1});
}

TEST(MatchingItkTransform, VersorRigidIsAUnitQuaternion) {
  // Versor (0, 0, sin 45deg): 90 degrees about z; (1, 0, 0) -> (0, 1, 0), plus translation (1, 2, 3).
  const std::string s = Number(std::sin(kPi / 4));
  const AffineMap map = ParseItkTransform(
      TransformFile("VersorRigid3DTransform_float_3_3", "0 0 " + s + " 1 2 3", "0 0 0"), "v");
  for (int i = 0; i < 3; ++i)
    EXPECT_NEAR(map.Apply({1, 0, 0})[i], (Point3{1, 3, 3})[i], 1e-9);
}

TEST(MatchingItkTransform, InverseUndoesAGeneralAffine) {
  const AffineMap map = ParseItkTransform(
      TransformFile("AffineTransform_double_3_3", "1.1 0.2 -0.1 0.05 0.9 0.3 -0.2 0.1 1.2 4 -5 6", "3 2 1"),
      "a");
  const Point3 p = {12.5, -40, 18};
  ExpectNear(map.Inverse().Apply(map.Apply(p)), p);
}

struct BadTransform {
  const char* name;
  std::string text;
  const char* problem;
};

class MatchingTransformErrors : public ::testing::TestWithParam<BadTransform> {};

TEST_P(MatchingTransformErrors, AreNamedWithTheFile) {
  try {
    ParseItkTransform(GetParam().text, "bad.tfm");
    FAIL() << "accepted " << GetParam().name;
  } catch (const DocumentError& e) {
    EXPECT_THAT(e.what(), HasSubstr("bad.tfm: "));
    EXPECT_THAT(e.what(), HasSubstr(GetParam().problem));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Issue5, MatchingTransformErrors,
    ::testing::Values(
        BadTransform{"NoHeader", "Transform: AffineTransform_double_3_3\n", "not an ITK transform file"},
        BadTransform{"Composite",
                     TransformFile("AffineTransform_double_3_3", "1 0 0 0 1 0 0 0 1 0 0 0", "0 0 0") +
                         "#Transform 1\nTransform: AffineTransform_double_3_3\n",
                     "expected exactly one transform, found 2"},
        BadTransform{"Unsupported", TransformFile("BSplineTransform_double_3_3", "1", "0 0 0"),
                     "is not supported"},
        BadTransform{"TwoDimensional", TransformFile("AffineTransform_double_2_2", "1 0 0 1 0 0", "0 0"),
                     "is not supported"},
        BadTransform{"TooFewParameters", TransformFile("Euler3DTransform_double_3_3", "0 0 0 1 2", "0 0 0"),
                     "needs 6 parameters, found 5"},
        BadTransform{"NotANumber", TransformFile("Euler3DTransform_double_3_3", "0 0 x 1 2 3", "0 0 0"),
                     "\"x\" is not a number"},
        BadTransform{"NoCentre", TransformFile("AffineTransform_double_3_3", "1 0 0 0 1 0 0 0 1 0 0 0", ""),
                     "expected the centre of rotation"},
        BadTransform{"VersorTooLong",
                     TransformFile("VersorRigid3DTransform_double_3_3", "1 1 0 0 0 0", "0 0 0"),
                     "norm above 1"}),
    [](const ::testing::TestParamInfo<BadTransform>& info) { return std::string(info.param.name); });

TEST(MatchingItkTransform, SingularMatrixCannotMapFollowupToBaseline) {
  const auto file = std::filesystem::temp_directory_path() / "leptoscan_singular.tfm";
  std::ofstream(file) << TransformFile("AffineTransform_double_3_3", "1 0 0 0 0 0 0 0 1 0 0 0", "0 0 0");
  EXPECT_THROW(ReadFollowupToBaseline(file), DocumentError);
  std::filesystem::remove(file);
}

TEST(LesionMatching, UsesTheInverseOfTheRegistrationTransform) {
  // The registration (baseline fixed, follow-up moving) maps baseline points 20 mm along x in the follow-up.
  const auto file = std::filesystem::temp_directory_path() / "leptoscan_shift.tfm";
  std::ofstream(file) << TransformFile("Euler3DTransform_double_3_3", "0 0 0 20 0 0", "0 0 0");
  const Findings bl = Baseline().Nodule("A", {0, 0, 0}, 10, 8).Build();
  const Findings fu = FollowUp().Nodule("X", {20, 0, 0}, 10, 8).Build();
  EXPECT_THAT(MatchLesions(bl, fu, AffineMap(), 10).new_lesions, ElementsAre("X"));
  const LesionMatching m = MatchLesions(bl, fu, ReadFollowupToBaseline(file), 10);
  EXPECT_TRUE(m.new_lesions.empty());
  ASSERT_EQ(m.links.size(), 1u);
  EXPECT_NEAR(m.links[0].distance_mm, 0, 1e-9);
  std::filesystem::remove(file);
}

}  // namespace
}  // namespace leptoscan::scoring
