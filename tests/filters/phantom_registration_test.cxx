// Registration of phantom heads against their truth: each moved head is a second acquisition rendered anew
// (its own noise and partial volume), not the first series resampled, and the target registration error is
// measured over the truth brain mask.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <vector>

#include "filters/rigid_registration.h"
#include "tests/filters/colin27.h"
#include "tests/filters/phantom_scans.h"

namespace leptoscan::filters {
namespace {

using testing::PhantomScan;

struct TargetErrors {
  double median = 0, max = 0;
};

// Registers `fixed` to each moved acquisition of `scan` (`sequence`, noise seeds from 100) and returns the
// target registration errors over the truth brain mask.
TargetErrors RecoverMotions(const PhantomScan& scan, const io::Volume& fixed, phantom::Sequence sequence,
                            int count) {
  const io::Volume brain = scan.Truth(testing::InBrainMask);
  std::vector<double> errors;
  std::uint64_t seed = 100;
  for (const SpatialTransform& motion :
       testing::RandomRigidMotions(count, testing::GridCenter(fixed.geometry))) {
    const io::Volume moving = testing::RenderMoved(scan, sequence, motion, seed++);
    const RegistrationResult result = Register(fixed, moving);
    EXPECT_TRUE(result.converged);
    errors.push_back(testing::MeanTargetError(result.transform, motion, brain));
  }
  return {testing::Median(errors), *std::max_element(errors.begin(), errors.end())};
}

TEST(PhantomRegistration, RecoversRandomMotionsOfAPhantomHead) {
  const PhantomScan& scan = testing::NormalPhantom();
  const TargetErrors tre = RecoverMotions(scan, scan.t1, phantom::Sequence::kT1Pre, 20);
  // Printed for bench/RESULTS.md.
  std::printf("phantom head, TRE over 20 motions: median %.3f mm, max %.3f mm\n", tre.median, tre.max);
  EXPECT_LT(tre.median, 0.3);
  EXPECT_LT(tre.max, 1.0);
}

// Pre-contrast onto post-contrast, as the pipeline registers a visit: the lesions, vessels, dura and plexus
// enhance in the fixed image only.
TEST(PhantomRegistration, RecoversPreToPostAcrossTheContrastOfAVisit) {
  const PhantomScan& scan = testing::LesionPhantom();
  const TargetErrors tre = RecoverMotions(scan, scan.t1_post, phantom::Sequence::kT1Pre, 5);
  std::printf("phantom visit, pre to post, TRE over 5 motions: median %.3f mm, max %.3f mm\n", tre.median,
              tre.max);
  EXPECT_LT(tre.median, 0.3);
  EXPECT_LT(tre.max, 1.0);
}

}  // namespace
}  // namespace leptoscan::filters
