#include "filters/bias_correction.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "filters/intensity_normalization.h"
#include "tests/filters/colin27.h"

namespace leptoscan::filters {
namespace {

using testing::Colin27;
using testing::Colin27BrainMask;

// Coefficient of variation of `values[i] / reference[i]` (or of values[i] alone) over the voxels of `mask`.
double CoefficientOfVariation(const io::Volume& values, const io::Volume& mask, const io::Volume* reference) {
  double sum = 0, squares = 0;
  std::size_t n = 0;
  for (std::size_t i = 0; i < values.voxels.size(); ++i) {
    if (mask.voxels[i] <= 0) continue;
    const double v = reference ? values.voxels[i] / reference->voxels[i] : values.voxels[i];
    sum += v;
    squares += v * v;
    ++n;
  }
  const double mean = sum / n;
  return std::sqrt(squares / n - mean * mean) / mean;
}

// Colin27 times a smooth field of about +-25% (a left-right ramp, an anterior-posterior bowl and a
// head-foot ramp), as a receive coil puts on a scan.
io::Volume WithBias(const io::Volume& image) {
  io::Volume biased = image;
  const auto& g = image.geometry;
  const auto c = testing::GridCenter(g);
  std::size_t index = 0;
  for (std::size_t k = 0; k < g.size[2]; ++k) {
    for (std::size_t j = 0; j < g.size[1]; ++j) {
      for (std::size_t i = 0; i < g.size[0]; ++i, ++index) {
        const auto p = g.IndexToPoint(i, j, k);
        const double x = (p[0] - c[0]) / 90, y = (p[1] - c[1]) / 100, z = (p[2] - c[2]) / 90;
        biased.voxels[index] *= static_cast<float>(std::exp(0.2 * x - 0.2 * y * y + 0.12 * z));
      }
    }
  }
  return biased;
}

// Brain voxels within 10% of the white-matter peak of the unbiased image.
io::Volume WhiteMatter() {
  io::Volume wm = Colin27BrainMask();
  const double peak = WhiteMatterPeak(Colin27(), Colin27BrainMask());
  for (std::size_t i = 0; i < wm.voxels.size(); ++i)
    wm.voxels[i] = wm.voxels[i] > 0 && std::abs(Colin27().voxels[i] / peak - 1) < 0.1 ? 1.0f : 0.0f;
  return wm;
}

void ExpectBiasRemoved(const io::Volume* mask) {
  const io::Volume biased = WithBias(Colin27());
  const BiasCorrectionResult result = CorrectBiasField(biased, mask);
  const io::Volume wm = WhiteMatter();
  const double original = CoefficientOfVariation(Colin27(), wm, nullptr);
  const double before = CoefficientOfVariation(biased, wm, nullptr);
  const double after = CoefficientOfVariation(result.corrected, wm, nullptr);
  ASSERT_GT(before, 1.5 * original) << "the synthetic bias should be visible in white matter";
  EXPECT_LT(after, original + 0.25 * (before - original))
      << "white-matter CV: original " << original << ", biased " << before << ", corrected " << after;
  // Residual bias: Colin27 has some bias of its own, so compare with the correction of the unbiased
  // scan; the ratio of the two is a constant wherever the applied field was removed exactly.
  const io::Volume reference = CorrectBiasField(Colin27(), mask).corrected;
  const double applied = CoefficientOfVariation(biased, Colin27BrainMask(), &Colin27());
  const double residual = CoefficientOfVariation(result.corrected, Colin27BrainMask(), &reference);
  EXPECT_LT(residual, 0.25 * applied)
      << "bias over the brain: applied " << applied << ", residual " << residual;
  EXPECT_EQ(result.field.geometry.size, Colin27().geometry.size);
}

TEST(BiasCorrection, RemovesASmoothBiasWithinTheBrainMask) {
  ExpectBiasRemoved(&Colin27BrainMask());
}

TEST(BiasCorrection, RemovesASmoothBiasWithinAnOtsuHeadMask) {
  ExpectBiasRemoved(nullptr);
}

TEST(BiasCorrection, RefusesBadInput) {
  io::Volume empty = Colin27BrainMask();
  std::fill(empty.voxels.begin(), empty.voxels.end(), 0.0f);
  EXPECT_THAT([&] { CorrectBiasField(Colin27(), &empty); },
              ::testing::ThrowsMessage<std::invalid_argument>(::testing::HasSubstr("mask holds no voxel")));
  io::Volume shifted = Colin27BrainMask();
  shifted.geometry.origin_mm[0] += 1;
  EXPECT_THAT(
      [&] { CorrectBiasField(Colin27(), &shifted); },
      ::testing::ThrowsMessage<std::invalid_argument>(::testing::HasSubstr("not on the image's grid")));
  io::Volume slice;
  slice.geometry.size = {64, 64, 1};
  slice.voxels.assign(64 * 64, 1.0f);
  slice.voxels[5] = 2.0f;
  EXPECT_THAT([&] { CorrectBiasField(slice); },
              ::testing::ThrowsMessage<std::invalid_argument>(::testing::HasSubstr("image is 2-D")));
}

}  // namespace
}  // namespace leptoscan::filters
