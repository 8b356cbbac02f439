// Anatomy filters against the phantom's exact truth (brain, ventricles, inner skull, distances, Evans
// index) and against ch2bet on Colin27.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <stdexcept>
#include <tuple>

#include "filters/bias_correction.h"
#include "filters/binary_masks.h"
#include "filters/brain_mask.h"
#include "filters/evans_index.h"
#include "filters/inner_skull.h"
#include "filters/rigid_registration.h"
#include "filters/surface_distance.h"
#include "filters/template_priors.h"
#include "filters/tissue_classes.h"
#include "filters/ventricles.h"
#include "testdata/phantom/colin27_head.h"
#include "testdata/phantom/head_template.h"
#include "testdata/phantom/lesions.h"
#include "testdata/phantom/mr_render.h"
#include "tests/filters/colin27.h"
#include "tests/filters/phantom_scans.h"

namespace leptoscan::filters {
namespace {

using phantom::Label;
using testing::PhantomScan;

// The chain a case runs: brain, inner skull, bias correction inside the head, classes, ventricles.
struct Anatomy {
  BrainMasks masks;
  io::Volume inner_skull;
  TissueClasses classes;
  io::Volume ventricles;
};

Anatomy Segment(const io::Volume& t1) {
  Anatomy a;
  a.masks = ExtractBrain(t1);
  a.inner_skull = InnerSkullMask(t1, a.masks);
  const io::Volume corrected = CorrectBiasField(t1, &a.masks.head).corrected;
  a.classes = ClassifyTissues(corrected, a.inner_skull);
  a.ventricles = VentricleMask(corrected, a.masks.brain, a.classes);
  return a;
}

// Segmented once per process and only when asked for: ctest runs every test in its own process.
const Anatomy& Of(const PhantomScan& scan) {
  if (&scan == &testing::NormalPhantom()) {
    static const Anatomy normal = Segment(scan.t1);
    return normal;
  }
  static const Anatomy hydrocephalic = Segment(scan.t1);
  return hydrocephalic;
}

bool IsVentricle(Label l) {
  return l == phantom::kVentricleCsf || l == phantom::kChoroidPlexus;
}
// As MeasureEvansIndex counts it: everything inside the skull, dura included.
bool IsInsideSkull(Label l) {
  return l != phantom::kAir && l != phantom::kScalp && l != phantom::kSkull && l != phantom::kMarrow;
}

TEST(Anatomy, PhantomBrainMaskMatchesTruth) {
  for (const PhantomScan* scan : {&testing::NormalPhantom(), &testing::HydrocephalicPhantom()}) {
    const double dice = Dice(Of(*scan).masks.brain, scan->Truth(testing::InBrainMask));
    std::printf("phantom (ventricle scale %.2f) brain mask Dice %.4f\n", scan->head.shape().ventricle_scale,
                dice);
    EXPECT_GE(dice, 0.95);
  }
}

TEST(Anatomy, PhantomInnerSkullMatchesTruth) {
  const PhantomScan& scan = testing::NormalPhantom();
  const double dice = Dice(Of(scan).inner_skull, scan.Truth(IsInsideSkull));
  std::printf("phantom inner skull Dice %.4f\n", dice);
  EXPECT_GE(dice, 0.92);
}

TEST(Anatomy, PhantomVentriclesMatchTruth) {
  for (const PhantomScan* scan : {&testing::NormalPhantom(), &testing::HydrocephalicPhantom()}) {
    const double dice = Dice(Of(*scan).ventricles, scan->Truth(IsVentricle));
    std::printf("phantom (ventricle scale %.2f) ventricle Dice %.4f\n", scan->head.shape().ventricle_scale,
                dice);
    EXPECT_GE(dice, 0.90);
  }
}

// Away from partial volume (a voxel whose six neighbours share its truth tissue), k-means must give the
// truth tissue: CSF, grey or white matter (brainstem counts as white).
TEST(Anatomy, PhantomTissueClassesMatchTruthAwayFromEdges) {
  const PhantomScan& scan = testing::NormalPhantom();
  const io::Volume& classes = Of(scan).classes.labels;
  const auto tissue = [](Label l) -> unsigned char {
    if (l == phantom::kSubarachnoidCsf || l == phantom::kVentricleCsf || l == phantom::kCisternCsf)
      return kCsf;
    if (l == phantom::kGreyMatter || l == phantom::kCerebellarGrey) return kGreyMatter;
    if (l == phantom::kWhiteMatter || l == phantom::kCerebellarWhite || l == phantom::kBrainstem)
      return kWhiteMatter;
    return kOutside;
  };
  const auto& g = classes.geometry;
  std::array<std::size_t, 4> interior{}, agree{};
  for (std::size_t k = 1; k + 1 < g.size[2]; ++k) {
    for (std::size_t j = 1; j + 1 < g.size[1]; ++j) {
      for (std::size_t i = 1; i + 1 < g.size[0]; ++i) {
        const std::size_t index = (k * g.size[1] + j) * g.size[0] + i;
        if (classes.voxels[index] == kOutside) continue;
        const auto at = [&](std::size_t a, std::size_t b, std::size_t c) {
          return tissue(scan.map.At(scan.HeadPoint(a, b, c)));
        };
        const unsigned char t = at(i, j, k);
        if (t == kOutside || at(i - 1, j, k) != t || at(i + 1, j, k) != t || at(i, j - 1, k) != t ||
            at(i, j + 1, k) != t || at(i, j, k - 1) != t || at(i, j, k + 1) != t) {
          continue;
        }
        ++interior[t];
        agree[t] += classes.voxels[index] == t;
      }
    }
  }
  for (unsigned char t : {kCsf, kGreyMatter, kWhiteMatter}) {
    const double fraction = static_cast<double>(agree[t]) / static_cast<double>(interior[t]);
    std::printf("tissue class %d: %zu interior voxels, %.3f classified as truth\n", t, interior[t], fraction);
    EXPECT_GT(interior[t], 1000u);
    EXPECT_GT(fraction, 0.9) << "class " << int(t);
  }
}

TEST(Anatomy, EvansIndexAndVolumeMatchThePhantom) {
  double normal_volume = 0;
  for (const PhantomScan* scan : {&testing::NormalPhantom(), &testing::HydrocephalicPhantom()}) {
    const VentricleMeasures m = MeasureVentricles(Of(*scan).ventricles, Of(*scan).inner_skull);
    const double truth = phantom::MeasureEvansIndex(scan->map);
    std::size_t truth_voxels = 0;
    for (Label l : scan->map.labels)
      truth_voxels += IsVentricle(l);
    const double truth_ml = truth_voxels * 0.125 / 1000;
    std::printf(
        "phantom (ventricle scale %.2f): Evans %.4f (truth %.4f, error %+.4f), horns %.1f mm, skull %.1f mm "
        "at "
        "z %.0f; volume %.2f ml (truth %.2f ml)\n",
        scan->head.shape().ventricle_scale, m.evans_index, truth, m.evans_index - truth,
        m.frontal_horn_width_mm, m.inner_skull_width_mm, m.axial_level_mm, m.ventricular_volume_ml, truth_ml);
    EXPECT_NEAR(m.evans_index, truth, 0.01);
    EXPECT_NEAR(m.ventricular_volume_ml / truth_ml, 1.0, 0.1);
    if (normal_volume == 0) {
      normal_volume = m.ventricular_volume_ml;
      EXPECT_LT(m.evans_index, 0.3);
    } else {
      EXPECT_GT(m.evans_index, 0.3);
      EXPECT_GT(m.ventricular_volume_ml, 1.3 * normal_volume);
    }
  }
}

TEST(Anatomy, EvansIndexDoesNotDependOnTheSliceOrientation) {
  // The same masks on a sagittal grid (a scan whose slices are not axial) measure the same.
  const Anatomy& a = Of(testing::NormalPhantom());
  const auto sagittal = phantom::ScannerGrid(phantom::SliceOrientation::kSagittal, {1, 1, 1},
                                             phantom::AnalyticHead().landmarks().head);
  const auto identity = SpatialTransform::Identity(TransformKind::kRigid);
  const auto on_sagittal = [&](const io::Volume& mask) {
    io::Volume out = ResampleOnto(mask, sagittal, identity);
    for (float& v : out.voxels)
      v = v >= 0.5f;
    return out;
  };
  const double axial = MeasureVentricles(a.ventricles, a.inner_skull).evans_index;
  const double other = MeasureVentricles(on_sagittal(a.ventricles), on_sagittal(a.inner_skull)).evans_index;
  EXPECT_NEAR(other, axial, 0.005);
}

// Euclidean distance (mm) from p to the nearest voxel of the 0.5 mm label map outside the brain (up to
// `reach` mm), less half a map voxel: the distance the rasterised anatomy defines, without the analytic
// distance functions' approximations (wavy sulcal banks are measured along their mean normal).
double LabelMapPialDistance(const phantom::LabelMap& map, const phantom::Vec3& p, double reach) {
  double best = reach;
  for (double dz = -reach; dz <= reach; dz += 0.5) {
    for (double dy = -reach; dy <= reach; dy += 0.5) {
      for (double dx = -reach; dx <= reach; dx += 0.5) {
        const double d = std::sqrt(dx * dx + dy * dy + dz * dz);
        if (d < best && !testing::InBrainMask(map.At({p.x + dx, p.y + dy, p.z + dz}))) best = d;
      }
    }
  }
  return best - 0.25;
}

// Map values against truth over a set of voxels: the mean error and the fraction within one voxel (1 mm).
struct DistanceCheck {
  std::size_t voxels = 0, within_a_voxel = 0;
  double error_sum = 0;
  void Add(double map, double truth) {
    ++voxels;
    within_a_voxel += std::abs(map - truth) <= 1.0;
    error_sum += map - truth;
  }
  double Fraction() const { return voxels ? double(within_a_voxel) / voxels : 0; }
  double MeanError() const { return voxels ? error_sum / voxels : 0; }
};

TEST(Anatomy, DistanceMapsReadMillimetresFromThePiaAndTheEpendyma) {
  const PhantomScan& scan = testing::NormalPhantom();
  const io::Volume pial = PialDistanceMap(Of(scan).masks.brain);
  const io::Volume ependymal = EpendymalDistanceMap(Of(scan).ventricles);
  const auto& g = scan.t1.geometry;
  DistanceCheck pial_inside, pial_outside, ependymal_outside, ependymal_inside;
  for (std::size_t k = 0; k < g.size[2]; k += 3) {
    for (std::size_t j = 0; j < g.size[1]; j += 3) {
      for (std::size_t i = 0; i < g.size[0]; i += 3) {
        const std::size_t index = (k * g.size[1] + j) * g.size[0] + i;
        const phantom::Vec3 p = scan.HeadPoint(i, j, k);
        if (std::abs(p.z) > 40 || std::abs(p.y) > 50) continue;  // the cerebrum's middle: fast and typical
        const double d = scan.head.PialDistance(p);
        if (std::abs(d - 5) < 0.25) pial_inside.Add(pial.voxels[index], LabelMapPialDistance(scan.map, p, 7));
        if (std::abs(d + 2) < 0.25) pial_outside.Add(pial.voxels[index], d);
        // VentricleDistance is exact only inside the box of the ventricles (|x| < 40, -45 < y < 58, z < 30).
        if (std::abs(p.x) > 35 || std::abs(p.y) > 40 || std::abs(p.z - 14) > 12) continue;
        const double v = scan.head.VentricleDistance(p);
        if (std::abs(v - 3) < 0.25) ependymal_outside.Add(ependymal.voxels[index], v);
        if (std::abs(v + 2) < 0.25) ependymal_inside.Add(ependymal.voxels[index], v);
      }
    }
  }
  // Pial misses are sulci narrower than a voxel, which partial volume closes in the brain mask.
  for (const auto& [name, check, fraction] :
       {std::tuple{"pial +5 mm", &pial_inside, 0.75}, std::tuple{"pial -2 mm", &pial_outside, 0.75},
        std::tuple{"ependymal +3 mm", &ependymal_outside, 0.9},
        std::tuple{"ependymal -2 mm", &ependymal_inside, 0.9}}) {
    std::printf("%s: %zu voxels, mean error %+.2f mm, %.1f%% within one voxel\n", name, check->voxels,
                check->MeanError(), 100 * check->Fraction());
    EXPECT_GT(check->voxels, 50u) << name;
    EXPECT_LT(std::abs(check->MeanError()), 1.0) << name;
    EXPECT_GE(check->Fraction(), fraction) << name;
  }
}

TEST(Anatomy, Colin27BrainMaskMatchesCh2bet) {
  const BrainMasks masks = ExtractBrain(testing::Colin27());
  const double dice = Dice(masks.brain, testing::Colin27BrainMask());
  std::printf("Colin27 brain mask Dice vs ch2bet %.4f\n", dice);
  EXPECT_GE(dice, 0.92);
}

// A Colin27 phantom head at 1 mm, rendered as a cohort's scans are, and not moved: voxel centres are head
// coordinates. Segmented as Segment does, once per ventricle scale.
struct Colin27Case {
  phantom::LabelMap map;
  io::Volume t1;
  Anatomy anatomy;  // without ventricles: they need the template's prior
  io::Volume corrected;
  io::Volume Truth(bool (*in)(Label)) const {
    return MaskWhere(t1.geometry, [&](std::size_t v) {
      const auto p = t1.geometry.VoxelCentre(v);
      return in(map.At({p[0], p[1], p[2]}));
    });
  }
};
const Colin27Case& Colin27Phantom(double ventricle_scale) {
  static std::map<double, Colin27Case> cases;
  if (const auto found = cases.find(ventricle_scale); found != cases.end()) return found->second;
  const std::unique_ptr<phantom::Anatomy> head =
      phantom::Colin27Head().WithShape(phantom::HeadShape{ventricle_scale});
  Colin27Case c{phantom::RasterizeHead(*head, 0.5), {}, {}, {}};
  phantom::RenderSettings settings;
  settings.grid = phantom::ScannerGrid(phantom::SliceOrientation::kAxial, {1, 1, 1}, head->landmarks().head);
  settings.snr = 25;
  settings.bias_amplitude = 0.1;
  settings.seed = 7;
  c.t1 = phantom::RenderSeries(c.map, {}, settings, false).image;
  c.anatomy.masks = ExtractBrain(c.t1);
  c.anatomy.inner_skull = InnerSkullMask(c.t1, c.anatomy.masks);
  c.corrected = CorrectBiasField(c.t1, &c.anatomy.masks.head).corrected;
  c.anatomy.classes = ClassifyTissues(c.corrected, c.anatomy.inner_skull);
  return cases.emplace(ventricle_scale, std::move(c)).first->second;
}

// Real anatomy's cortex folds: the crowns of its gyri, thinned by partial volume with the CSF around them,
// are darker than the analytic head's smooth cortex.
TEST(Anatomy, Colin27PhantomBrainMaskMatchesTruth) {
  const Colin27Case& c = Colin27Phantom(1.0);
  const double dice = Dice(c.anatomy.masks.brain, c.Truth(testing::InBrainMask));
  std::printf("Colin27 phantom brain mask Dice %.4f\n", dice);
  EXPECT_GE(dice, 0.95);
}

// The subarachnoid space over the convexity, where LM lies, is 1-3 mm deep: an inner skull that stops a
// millimetre short leaves it outside.
TEST(Anatomy, Colin27PhantomInnerSkullMatchesTruth) {
  const Colin27Case& c = Colin27Phantom(1.0);
  const io::Volume truth = c.Truth(IsInsideSkull);
  const io::Volume& found = c.anatomy.inner_skull;
  double missed_ml = 0, extra_ml = 0;
  for (std::size_t v = 0; v < truth.voxels.size(); ++v) {
    missed_ml += truth.voxels[v] > 0 && found.voxels[v] == 0 ? 1e-3 : 0;  // 1 mm voxels
    extra_ml += truth.voxels[v] == 0 && found.voxels[v] > 0 ? 1e-3 : 0;
  }
  const double dice = Dice(found, truth);
  std::printf("Colin27 phantom inner skull Dice %.4f: %.1f ml of truth left out, %.1f ml taken in\n", dice,
              missed_ml, extra_ml);
  EXPECT_GE(dice, 0.98);
}

// The Colin27 phantom's ventricles open to the cisterns in 3-D and in every slice orientation: its brain
// mask leaves them out, and without the template's ventricle prior VentricleMask found none of them (the
// pipeline: an Evans index of 0.132 against 0.243). The head has not moved: the priors' registration is
// the template's T1 (noise-free, no bias) onto this scan. The template is the normal head's, as a
// cohort's is, whatever the size of this head's ventricles.
struct Colin27VentricleResult {
  double dice, evans, truth_evans;
};
Colin27VentricleResult MeasureColin27Ventricles(double ventricle_scale) {
  const Colin27Case& c = Colin27Phantom(ventricle_scale);
  const SubjectPriors priors = MapPriors(phantom::HeadTemplate(phantom::Colin27Head()), c.t1);
  const auto prior = [&](PriorRegion region) {
    return MaskWhere(c.t1.geometry, [&](std::size_t v) { return priors.Has(v, region); });
  };
  const VentriclePriors ventricle_priors{prior(PriorRegion::kVentricles),
                                         prior(PriorRegion::kInfratentorial)};
  // The lateral and third ventricles (the fourth, below and behind, is not the prior's).
  const io::Volume truth = MaskWhere(c.t1.geometry, [&](std::size_t v) {
    const auto p = c.t1.geometry.VoxelCentre(v);
    const Label l = c.map.At({p[0], p[1], p[2]});
    return IsVentricle(l) && !(p[2] < -10 && p[1] > 20);
  });
  const io::Volume ventricles =
      VentricleMask(c.corrected, c.anatomy.masks.brain, c.anatomy.classes, {}, &ventricle_priors);

  const VentricleMeasures m = MeasureVentricles(ventricles, c.anatomy.inner_skull);
  const Colin27VentricleResult result{Dice(ventricles, truth), m.evans_index,
                                      phantom::MeasureEvansIndex(c.map)};
  double truth_ml = 0;
  for (float v : truth.voxels)
    truth_ml += v > 0 ? 1e-3 : 0;  // 1 mm voxels
  std::printf(
      "Colin27 phantom (ventricle scale %.2f) ventricles: Dice %.4f, %.1f ml (truth %.1f ml), Evans "
      "%.4f (truth %.4f)\n",
      ventricle_scale, result.dice, m.ventricular_volume_ml, truth_ml, result.evans, result.truth_evans);
  return result;
}

TEST(Anatomy, Colin27PhantomVentriclesFollowTheTemplatePrior) {
  const Colin27VentricleResult r = MeasureColin27Ventricles(1.0);
  EXPECT_GE(r.dice, 0.93);  // 0.98 measured; 0.81 when the ventricles grew 1 mm past the prior
  EXPECT_NEAR(r.evans, r.truth_evans, 0.01);  // 0.005 measured
}

// Hydrocephalus: the ventricles of the hydrocephalus scenario (Evans 0.33 to 0.40) are wider than the
// template's prior on every side.
TEST(Anatomy, Colin27HydrocephalicVentriclesGrowPastThePrior) {
  const Colin27VentricleResult r = MeasureColin27Ventricles(1.45);
  EXPECT_GE(r.dice, 0.90);                    // 0.920 measured; 0.220 when they stopped at the prior
  EXPECT_NEAR(r.evans, r.truth_evans, 0.01);  // +0.0004 measured; 0.249 against 0.356 at the prior
}

TEST(Anatomy, RefusesBadInput) {
  io::Volume flat = testing::Colin27();
  std::fill(flat.voxels.begin(), flat.voxels.end(), 0.0f);
  EXPECT_THAT([&] { ExtractBrain(flat); },
              ::testing::ThrowsMessage<std::invalid_argument>(::testing::HasSubstr("is flat")));
  io::Volume slice;
  slice.geometry.size = {64, 64, 1};
  slice.voxels.assign(64 * 64, 1.0f);
  slice.voxels[5] = 7;
  EXPECT_THAT([&] { ExtractBrain(slice); },
              ::testing::ThrowsMessage<std::invalid_argument>(::testing::HasSubstr("2-D")));
  EXPECT_THAT([&] { MeasureVentricles(flat, testing::Colin27BrainMask()); },
              ::testing::ThrowsMessage<std::invalid_argument>(::testing::HasSubstr("mask is empty")));
  EXPECT_THAT([&] { PialDistanceMap(flat); },
              ::testing::ThrowsMessage<std::invalid_argument>(::testing::HasSubstr("mask is empty")));
  EXPECT_THAT([&] { MeasureVentricles(slice, testing::Colin27BrainMask()); },
              ::testing::ThrowsMessage<std::invalid_argument>(::testing::HasSubstr("not on one grid")));
  EXPECT_THAT(
      [&] { ClassifyTissues(testing::Colin27(), slice); },
      ::testing::ThrowsMessage<std::invalid_argument>(::testing::HasSubstr("not on the image's grid")));
}

}  // namespace
}  // namespace leptoscan::filters
