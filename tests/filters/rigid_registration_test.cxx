#include "filters/rigid_registration.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "io/errors.h"
#include "tests/filters/colin27.h"

namespace leptoscan::filters {
namespace {

using testing::Colin27;
using testing::Colin27BrainMask;
using testing::GridCenter;
using testing::MeanTargetError;
using testing::Median;
using testing::RigidMotion;

// Moves Colin27 by `motion` (and remaps its intensities), registers it back and returns the TRE over
// the brain mask (mm).
double RecoveryError(const SpatialTransform& motion, float (*remap)(float) = nullptr,
                     const RegistrationOptions& options = {}) {
  io::Volume moving = ResampleOnto(Colin27(), Colin27().geometry, motion);
  if (remap) std::transform(moving.voxels.begin(), moving.voxels.end(), moving.voxels.begin(), remap);
  const RegistrationResult result = Register(Colin27(), moving, options);
  EXPECT_TRUE(result.converged);
  EXPECT_LT(result.final_metric, 0);
  EXPECT_GT(result.overlap, 0.8);
  return MeanTargetError(result.transform, motion, Colin27BrainMask());
}

std::vector<SpatialTransform> RandomMotions(int count) {
  return testing::RandomRigidMotions(count, GridCenter(Colin27().geometry));
}

TEST(RigidRegistration, RecoversRandomMotionsOfColin27) {
  std::vector<double> errors;
  for (const auto& motion : RandomMotions(20)) {
    errors.push_back(RecoveryError(motion));
  }
  // Printed for bench/RESULTS.md.
  std::cout << "TRE over 20 motions: median " << Median(errors) << " mm, max "
            << *std::max_element(errors.begin(), errors.end()) << " mm\n";
  EXPECT_LT(Median(errors), 0.3);
  EXPECT_LT(*std::max_element(errors.begin(), errors.end()), 1.0);
}

// Pre- vs post-contrast and different sequences: a non-monotonic intensity remap (mid-grey tissue
// brightest) must not matter to mutual information.
float ContrastChange(float v) {
  const float u = v / 255.0f;
  return 800.0f * std::pow(u, 0.6f) + 500.0f * std::sin(3.14159f * u);
}

TEST(RigidRegistration, RecoversMotionAcrossAContrastChange) {
  std::vector<double> errors;
  for (const auto& motion : RandomMotions(3))
    errors.push_back(RecoveryError(motion, ContrastChange));
  EXPECT_LT(Median(errors), 0.3);
  EXPECT_LT(*std::max_element(errors.begin(), errors.end()), 1.0);
}

TEST(RigidRegistration, AffineRecoversScalingAndShear) {
  auto applied = SpatialTransform::Identity(TransformKind::kAffine, GridCenter(Colin27().geometry));
  applied.parameters = {1.05, 0.02, 0.0, -0.03, 0.97, 0.01, 0.0, 0.02, 1.03, 4.0, -3.0, 2.0};
  const io::Volume moving = ResampleOnto(Colin27(), Colin27().geometry, applied);
  RegistrationOptions options;
  options.kind = TransformKind::kAffine;
  const RegistrationResult result = Register(Colin27(), moving, options);
  EXPECT_EQ(result.transform.kind, TransformKind::kAffine);
  EXPECT_LT(MeanTargetError(result.transform, applied, Colin27BrainMask()), 0.3);
  // A rigid registration cannot absorb the scaling: the affine stage is doing the work.
  EXPECT_GT(MeanTargetError(Register(Colin27(), moving).transform, applied, Colin27BrainMask()), 1.0);
}

TEST(RigidRegistration, IsDeterministic) {
  const io::Volume moving = ResampleOnto(Colin27(), Colin27().geometry, RandomMotions(1)[0]);
  const RegistrationResult first = Register(Colin27(), moving);
  const RegistrationResult second = Register(Colin27(), moving);
  EXPECT_EQ(first.transform.parameters, second.transform.parameters);
  EXPECT_EQ(first.final_metric, second.final_metric);
  EXPECT_EQ(first.iterations, second.iterations);
}

// A 24^3 volume with a bright off-centre block, for the fast error-path tests.
io::Volume Block() {
  io::Volume volume;
  volume.geometry.size = {24, 24, 24};
  volume.voxels.assign(24 * 24 * 24, 0.0f);
  for (std::size_t k = 6; k < 14; ++k) {
    for (std::size_t j = 8; j < 18; ++j) {
      for (std::size_t i = 4; i < 16; ++i)
        volume.voxels[(k * 24 + j) * 24 + i] = 100.0f;
    }
  }
  return volume;
}

::testing::AssertionResult RefusedAs(const io::Volume& fixed, const io::Volume& moving,
                                     RegistrationInputError::Image image, const std::string& words) {
  try {
    Register(fixed, moving);
  } catch (const RegistrationInputError& e) {
    if (e.image() != image) return ::testing::AssertionFailure() << "blamed the wrong image: " << e.what();
    if (std::string(e.what()).find(words) == std::string::npos)
      return ::testing::AssertionFailure() << "message lacks \"" << words << "\": " << e.what();
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << "registration did not refuse";
}

TEST(RigidRegistration, RefusesAFlatImage) {
  io::Volume flat = Block();
  std::fill(flat.voxels.begin(), flat.voxels.end(), 7.0f);
  EXPECT_TRUE(RefusedAs(flat, Block(), RegistrationInputError::Image::kFixed, "fixed image is flat"));
  EXPECT_TRUE(RefusedAs(Block(), flat, RegistrationInputError::Image::kMoving, "moving image is flat"));
}

TEST(RigidRegistration, RefusesA2DImage) {
  io::Volume slice = Block();
  slice.geometry.size[2] = 1;
  slice.voxels.resize(24 * 24);
  slice.voxels[0] = 1.0f;
  EXPECT_TRUE(RefusedAs(Block(), slice, RegistrationInputError::Image::kMoving, "moving image is 2-D"));
}

TEST(RigidRegistration, RefusesImagesThatDoNotOverlap) {
  io::Volume far = Block();
  far.geometry.origin_mm = {0, 0, 500};
  EXPECT_TRUE(RefusedAs(Block(), far, RegistrationInputError::Image::kBoth, "do not overlap"));
}

TEST(RigidRegistration, ReportsNonConvergenceWithTheFinalMetric) {
  RegistrationOptions options;
  options.max_iterations_per_level = 2;
  const io::Volume moving = ResampleOnto(Colin27(), Colin27().geometry, RandomMotions(1)[0]);
  try {
    Register(Colin27(), moving, options);
    FAIL() << "a registration stopped by the iteration limit was returned as a result";
  } catch (const RegistrationNotConverged& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("did not converge after 6 iterations"));
    EXPECT_THAT(e.what(), ::testing::HasSubstr("final Mattes MI -0."));
    EXPECT_FALSE(e.result().converged);
    EXPECT_EQ(e.result().iterations, 6u);
  }
}

TEST(TransformFile, RoundTripsRigidAndAffine) {
  const auto dir = std::filesystem::temp_directory_path() / ("leptoscan_tfm_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto rigid = RigidMotion({1, 2, 3}, 7.5, {3, -4, 2}, {1.5, -20, 33});
  auto affine = SpatialTransform::Identity(TransformKind::kAffine, {1, 2, 3});
  affine.parameters = {1.1, 0.1, 0.0, -0.05, 0.9, 0.0, 0.0, 0.0, 1.0 / 3.0, 1e-7, 2.5, -3.25};
  for (const auto& transform : {rigid, affine}) {
    const auto path = dir / "t.tfm";
    WriteTransformFile(transform, path);
    std::ifstream in(path);
    std::string first_line;
    std::getline(in, first_line);
    EXPECT_EQ(first_line, "#Insight Transform File V1.0");
    const SpatialTransform back = ReadTransformFile(path);
    EXPECT_EQ(back.kind, transform.kind);
    EXPECT_EQ(back.center, transform.center);
    ASSERT_EQ(back.parameters.size(), transform.parameters.size());
    for (std::size_t i = 0; i < back.parameters.size(); ++i)
      EXPECT_NEAR(back.parameters[i], transform.parameters[i], 1e-15) << i;
  }
  std::filesystem::remove_all(dir);
}

TEST(TransformFile, RefusesOtherFilesNamingThem) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("leptoscan_tfm_bad_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto garbage = dir / "garbage.tfm", euler = dir / "euler.tfm";
  std::ofstream(garbage) << "not a transform\n";
  std::ofstream(euler)
      << "#Insight Transform File V1.0\n#Transform 0\nTransform: Euler3DTransform_double_3_3\n"
         "Parameters: 0 0 0 1 2 3\nFixedParameters: 0 0 0\n";
  for (const auto& [path, words] :
       {std::pair{garbage, "not a readable ITK transform file"},
        std::pair{euler, "expected a VersorRigid3DTransform or an AffineTransform"}}) {
    try {
      ReadTransformFile(path);
      ADD_FAILURE() << path << " was read";
    } catch (const io::InputError& e) {
      EXPECT_THAT(e.what(), ::testing::StartsWith(path.string() + ": "));
      EXPECT_THAT(e.what(), ::testing::HasSubstr(words));
    }
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace leptoscan::filters
