#include "filters/intensity_normalization.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>
#include <vector>

#include "tests/filters/colin27.h"

namespace leptoscan::filters {
namespace {

using testing::Colin27;
using testing::Colin27BrainMask;

io::Volume Scaled(io::Volume volume, float factor) {
  for (float& v : volume.voxels)
    v *= factor;
  return volume;
}

double BrainPercentile(const io::Volume& image, double fraction) {
  std::vector<float> brain;
  for (std::size_t i = 0; i < image.voxels.size(); ++i) {
    if (Colin27BrainMask().voxels[i] > 0) brain.push_back(image.voxels[i]);
  }
  const auto at = brain.begin() + static_cast<std::ptrdiff_t>(fraction * (brain.size() - 1));
  std::nth_element(brain.begin(), at, brain.end());
  return *at;
}

TEST(IntensityNormalization, WhiteMatterPeakIsTheBrightTissueMode) {
  const double peak = WhiteMatterPeak(Colin27(), Colin27BrainMask());
  EXPECT_GT(peak, BrainPercentile(Colin27(), 0.5));
  EXPECT_LT(peak, BrainPercentile(Colin27(), 0.99));
  // White matter is the largest class: over a quarter of the brain lies within 10% of its peak.
  std::size_t near = 0, brain = 0;
  for (std::size_t i = 0; i < Colin27().voxels.size(); ++i) {
    if (Colin27BrainMask().voxels[i] <= 0) continue;
    ++brain;
    near += std::abs(Colin27().voxels[i] / peak - 1) < 0.1;
  }
  EXPECT_GT(near, brain / 4);
}

TEST(IntensityNormalization, TwoScansThatDifferByAGainNormaliseAlike) {
  const io::Volume a = NormalizeToWhiteMatter(Colin27(), Colin27BrainMask());
  const io::Volume b = NormalizeToWhiteMatter(Scaled(Colin27(), 2.7f), Colin27BrainMask());
  for (std::size_t i = 0; i < a.voxels.size(); i += 997)
    ASSERT_NEAR(a.voxels[i], b.voxels[i], 1e-3 * std::max(1.0f, a.voxels[i])) << i;
}

TEST(IntensityNormalization, EnhancementDoesNotMoveTheScale) {
  // Every 30th bright brain voxel (vessels, dura, lesions) enhanced 2.5x: the top percentiles move a
  // lot, the white-matter peak must not.
  io::Volume post = Colin27();
  const double median = BrainPercentile(Colin27(), 0.5);
  std::size_t bright = 0;
  for (std::size_t i = 0; i < post.voxels.size(); ++i) {
    if (Colin27BrainMask().voxels[i] > 0 && post.voxels[i] > median && ++bright % 30 == 0)
      post.voxels[i] *= 2.5f;
  }
  ASSERT_GT(BrainPercentile(post, 0.995) / BrainPercentile(Colin27(), 0.995), 1.5);
  EXPECT_NEAR(WhiteMatterPeak(post, Colin27BrainMask()) / WhiteMatterPeak(Colin27(), Colin27BrainMask()), 1.0,
              0.02);
}

TEST(IntensityNormalization, RefusesAnEmptyOrMisplacedMask) {
  io::Volume empty = Colin27BrainMask();
  std::fill(empty.voxels.begin(), empty.voxels.end(), 0.0f);
  EXPECT_THAT([&] { WhiteMatterPeak(Colin27(), empty); },
              ::testing::ThrowsMessage<std::invalid_argument>(::testing::HasSubstr("brain mask is empty")));
  io::Volume other = Colin27BrainMask();
  other.geometry.spacing_mm[2] = 2;
  EXPECT_THAT(
      [&] { WhiteMatterPeak(Colin27(), other); },
      ::testing::ThrowsMessage<std::invalid_argument>(::testing::HasSubstr("not on the image's grid")));
}

}  // namespace
}  // namespace leptoscan::filters
