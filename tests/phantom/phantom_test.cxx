// The phantom generator's anatomy, lesions, rendering and truth, checked against the head model's own
// exact distances and against the scoring library.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <cmath>
#include <map>
#include <set>

#include "scoring/findings_reader.h"
#include "scoring/itk_transform.h"
#include "scoring/parameters.h"
#include "scoring/subject_score.h"
#include "testdata/phantom/analytic_head.h"
#include "testdata/phantom/label_map.h"
#include "testdata/phantom/lesions.h"
#include "testdata/phantom/mr_render.h"
#include "testdata/phantom/phantom_study.h"
#include "testdata/phantom/scenario.h"
#include "tests/phantom/painted_voxels.h"

namespace leptoscan::phantom {
namespace {

// Rasterising takes seconds: one anatomy per test process.
const LabelMap& Anatomy() {
  static const LabelMap map = RasterizeHead(AnalyticHead(), 0.5);
  return map;
}

std::map<Label, std::size_t> Histogram(const LabelMap& map) {
  std::map<Label, std::size_t> counts;
  for (Label l : map.labels)
    ++counts[l];
  return counts;
}

TEST(PhantomAnatomy, EveryStructureIsPresentWithPlausibleVolume) {
  const auto counts = Histogram(Anatomy());
  const double ml = 0.125 / 1000;  // per 0.5 mm voxel
  for (Label s = kScalp; s < kHeadStructureCount; ++s)
    EXPECT_GT(counts.count(s) ? counts.at(s) : 0, 100u) << "label " << s;
  const double grey = counts.at(kGreyMatter) * ml, white = counts.at(kWhiteMatter) * ml;
  const double ventricles = (counts.at(kVentricleCsf) + counts.at(kChoroidPlexus)) * ml;
  EXPECT_GT(grey, 250);  // adult cortex 400-700 ml; the phantom's gyri are coarser
  EXPECT_GT(white, 350);
  EXPECT_GT(ventricles, 10);
  EXPECT_LT(ventricles, 60);
}

TEST(PhantomAnatomy, EvansIndexFollowsTheVentricleScale) {
  EXPECT_NEAR(MeasureEvansIndex(Anatomy()), 0.26, 0.01);  // healthy adult 0.28 +- 0.03
  const AnalyticHead enlarged(HeadShape{1.35});
  EXPECT_NEAR(MeasureEvansIndex(RasterizeHead(enlarged, 0.5)), 0.26 * 1.35, 0.01);
}

// Lesions count towards the horns' width only inside or on the ventricles: a cortical lesion beside the
// frontal horns had made Colin27 phantoms with sulcal LM "hydrocephalic" (truth Evans 0.49 against 0.24).
TEST(PhantomAnatomy, EvansIndexCountsOnlyLesionsOnTheVentricles) {
  LabelMap map = Anatomy();
  const double evans = MeasureEvansIndex(map);
  const auto& g = map.geometry;
  std::size_t painted = 0;
  for (std::size_t k = 0; k < g.size[2]; ++k)
    for (std::size_t j = 0; j < g.size[1]; ++j)
      for (std::size_t i = 0; i < g.size[0]; ++i) {
        const Vec3 p = map.Centre(i, j, k);
        Label& l = map.labels[map.Index(i, j, k)];
        if (p.x > 45 && p.x < 50 && p.y > -30 && p.y < -10 && p.z > 0 && p.z < 30 && l == kGreyMatter)
          l = kFirstLesion, ++painted;
      }
  ASSERT_GT(painted, 100u);
  EXPECT_DOUBLE_EQ(MeasureEvansIndex(map), evans);
  // A lesion layer on the ventricles' walls (one voxel on their side towards +x) widens them by a voxel
  // over the inner skull's width on the horns' slice (144.5 mm in this head).
  const std::vector<Label> before = map.labels;
  for (std::size_t v = 0; v + 1 < before.size(); ++v)
    if (before[v] == kVentricleCsf && before[v + 1] == kWhiteMatter) map.labels[v + 1] = kFirstLesion;
  EXPECT_NEAR(MeasureEvansIndex(map) - evans, g.spacing_mm[0] / 145, 0.2 * g.spacing_mm[0] / 145);
}

TEST(PhantomAnatomy, TissuesSitWhereTheirDistancesSayTheyDo) {
  const AnalyticHead head;
  const LabelMap& map = Anatomy();
  std::size_t checked = 0;
  for (std::size_t index = 0; index < map.labels.size(); index += 997) {
    const std::size_t i = index % map.geometry.size[0],
                      j = index / map.geometry.size[0] % map.geometry.size[1];
    const Vec3 p = map.Centre(i, j, index / (map.geometry.size[0] * map.geometry.size[1]));
    const Label l = map.labels[index];
    if (l == kGreyMatter) {
      EXPECT_LT(head.PialDistance(p), 2.5 + 1e-9);
    } else if (l == kWhiteMatter) {
      EXPECT_GE(head.PialDistance(p), 2.5 - 1e-9);
    } else if (l == kVentricleCsf) {
      EXPECT_LT(head.VentricleDistance(p), 0);
    } else if (l == kSubarachnoidCsf) {
      EXPECT_LE(head.PialDistance(p), 0);
    } else {
      continue;
    }
    ++checked;
  }
  EXPECT_GT(checked, 10000u);
}

struct Painted {
  LabelMap map;
  std::vector<PaintedLesion> lesions;
};

Painted Paint(const std::vector<LesionSpec>& specs) {
  Painted p{Anatomy(), {}};
  p.lesions = PaintLesions(AnalyticHead(), specs, p.map);
  return p;
}

TEST(PhantomLesions, EveryKindLiesOnTheAnatomyItClaims) {
  const AnalyticHead head;
  const LesionSpec sulcal = Linear("L1", LesionKind::kSulcal, Side::kLeft, "central", -0.4, 0.4);
  const LesionSpec folia = Linear("L2", LesionKind::kFolia, Side::kRight, "", -0.3, 0.1);
  const LesionSpec cistern = Linear("L3", LesionKind::kCistern, Side::kLeft, "", -1, 1);
  const LesionSpec ependymal = Linear("L4", LesionKind::kEpendymal, Side::kRight, "", -1, -0.2);
  LesionSpec nerve = Linear("C1", LesionKind::kCranialNerve, Side::kLeft, "", -0.5, 0.5);
  nerve.nerve = "V";
  const PhantomOptions options;
  const SubjectPlan plan = PlanSubject(head, "mixed", "PH0100", 5, options);
  LesionSpec nodule = *std::find_if(plan.visits[0].lesions.begin(), plan.visits[0].lesions.end(),
                                    [](const LesionSpec& s) { return s.kind == LesionKind::kNodule; });
  const SubjectPlan parenchymal_plan = PlanSubject(head, "parenchymal-only", "PH0101", 5, options);
  const LesionSpec parenchymal = parenchymal_plan.visits[0].lesions.front();
  const Painted p = Paint({sulcal, folia, cistern, ependymal, nerve, nodule, parenchymal});

  for (std::size_t n = 0; n < p.lesions.size(); ++n)
    EXPECT_GT(p.lesions[n].voxels, 20u) << p.lesions[n].spec.id;
  const Sulcus& central = *std::find_if(head.sulci().begin(), head.sulci().end(), [](const Sulcus& s) {
    return s.name == "central" && s.side == Side::kLeft;
  });
  for (const auto& [point, was, index] : VoxelsOf(p.map, Anatomy(), 0)) {
    double along = 0, offset = 0;
    ASSERT_TRUE(head.SulcusFrame(central, point, &along, &offset));
    EXPECT_EQ(was, kSubarachnoidCsf);
    EXPECT_LT(std::abs(offset), 6.0);
    EXPECT_GE(along, -0.4);
    EXPECT_LE(along, 0.4);
  }
  for (const auto& [point, was, index] : VoxelsOf(p.map, Anatomy(), 1))
    EXPECT_LT(head.CerebellumDistance(point), 1.5 + 1e-9);
  for (const auto& [point, was, index] : VoxelsOf(p.map, Anatomy(), 2))
    EXPECT_EQ(was, kCisternCsf);
  for (const auto& [point, was, index] : VoxelsOf(p.map, Anatomy(), 3)) {
    EXPECT_EQ(was, kVentricleCsf);
    EXPECT_GT(head.VentricleDistance(point), -1.5 - 1e-9);
    EXPECT_LT(point.x, 0);  // right side
  }
  EXPECT_EQ(p.lesions[4].location, "V_L");
  // A subarachnoid nodule crosses the pia: part in the subarachnoid space, part indenting the cortex.
  bool in_csf = false, in_brain = false;
  for (const auto& [point, was, index] : VoxelsOf(p.map, Anatomy(), 5))
    (head.PialDistance(point) <= 0 ? in_csf : in_brain) = true;
  EXPECT_TRUE(in_csf && in_brain);
  EXPECT_EQ(p.lesions[5].edge_to_pia_mm, 0);
  EXPECT_EQ(p.lesions[5].location, "subarachnoid");
  // A parenchymal metastasis stays more than 2 mm from any pia.
  double closest = 1e9;
  for (const auto& [point, was, index] : VoxelsOf(p.map, Anatomy(), 6))
    closest = std::min(closest, head.PialDistance(point));
  EXPECT_GT(closest, 2.0);
  EXPECT_GT(p.lesions[6].edge_to_pia_mm, 2.0);
  EXPECT_EQ(p.lesions[6].location, "parenchymal");
}

TEST(PhantomLesions, NoduleVolumeMatchesItsDiameters) {
  LesionSpec s;
  s.id = "N1";
  s.kind = LesionKind::kParenchymal;
  s.centre = {30, 10, 35};
  s.diameters_mm = {12, 8, 7};
  const Painted p = Paint({s});
  const double painted_ml = p.lesions[0].voxels * 0.125 / 1000;
  EXPECT_NEAR(painted_ml, M_PI / 6 * 12 * 8 * 7 / 1000, 0.02);
}

RenderSettings Settings(Sequence sequence, double snr, double bias) {
  RenderSettings s;
  s.sequence = sequence;
  s.grid = ScannerGrid(SliceOrientation::kAxial, {1, 1, 1}, AnalyticHead().landmarks().head);
  s.snr = snr;
  s.bias_amplitude = bias;
  s.seed = 17;
  return s;
}

TEST(PhantomRender, NoiseMatchesTheRequestedSnr) {
  const RenderedSeries r = RenderSeries(Anatomy(), {}, Settings(Sequence::kT1Pre, 20, 0), false);
  // Corner voxels hold air: Rician noise of a zero signal is Rayleigh, mean sigma * sqrt(pi / 2).
  double sum = 0;
  std::size_t count = 0;
  const auto& g = r.image.geometry;
  for (std::size_t k = 0; k < 10; ++k) {
    for (std::size_t j = 0; j < 10; ++j) {
      for (std::size_t i = 0; i < 10; ++i)
        sum += r.image.voxels[(k * g.size[1] + j) * g.size[0] + i], ++count;
    }
  }
  const double sigma = sum / count / std::sqrt(M_PI / 2);
  EXPECT_NEAR(700 / sigma, 20, 2);
}

TEST(PhantomRender, PartialVolumeGivesIntermediateValuesAtEdges) {
  const RenderedSeries r = RenderSeries(Anatomy(), {}, Settings(Sequence::kT1Pre, 1e6, 0), false);
  std::set<int> values;
  for (float v : r.image.voxels)
    values.insert(static_cast<int>(std::lround(v)));
  // Pure tissues give 18 values at most; mixtures of 8 sub-samples give many more.
  EXPECT_GT(values.size(), 200u);
  EXPECT_TRUE(values.count(700) && values.count(450));  // pure white and grey matter
}

TEST(PhantomRender, OnlyEnhancingStructuresChangeAfterContrast) {
  const RenderedSeries pre = RenderSeries(Anatomy(), {}, Settings(Sequence::kT1Pre, 1e6, 0), false);
  const RenderedSeries post = RenderSeries(Anatomy(), {}, Settings(Sequence::kT1Post, 1e6, 0), true);
  std::size_t enhanced_look_alike = 0, enhanced_elsewhere = 0;
  for (std::size_t i = 0; i < pre.image.voxels.size(); ++i) {
    const bool enhanced = post.image.voxels[i] - pre.image.voxels[i] > 150;
    if (enhanced) (post.truth.voxels[i] >= kTruthDura ? enhanced_look_alike : enhanced_elsewhere)++;
  }
  EXPECT_GT(enhanced_look_alike, 5000u);
  // Voxels that only partly hold a look-alike still enhance; they stay a small fraction.
  EXPECT_LT(enhanced_elsewhere, enhanced_look_alike / 2);
}

TEST(PhantomRender, SameOutputOnOneThreadOrMany) {
  const RenderSettings s = Settings(Sequence::kT1Post, 25, 0.1);
  const RenderedSeries many = RenderSeries(Anatomy(), {}, s, true);
  tbb::global_control one(tbb::global_control::max_allowed_parallelism, 1);
  const RenderedSeries single = RenderSeries(Anatomy(), {}, s, true);
  EXPECT_EQ(many.image.voxels, single.image.voxels);
  EXPECT_EQ(many.truth.voxels, single.truth.voxels);
}

TEST(PhantomRender, MotionMovesTheHeadRigidly) {
  RenderSettings moved = Settings(Sequence::kT1Pre, 1e6, 0);
  moved.head_to_scanner = RigidMotion::FromEuler({3, -2, 5}, {4, -3, 2});
  const Vec3 head_point{20, -30, 40};
  const Vec3 scanner_point = moved.head_to_scanner.Apply(head_point);
  EXPECT_NEAR((moved.head_to_scanner.Inverse(scanner_point) - head_point).Norm(), 0, 1e-9);
  const double tilt =
      std::acos(moved.head_to_scanner.Apply({0, 0, 1}).z - moved.head_to_scanner.translation.z);
  EXPECT_GT(tilt, 0.03);
}

TEST(PhantomScenario, SameSeedSamePlanOtherSeedOtherPlan) {
  const AnalyticHead head;
  const PhantomOptions options;
  const auto a = PlanCohort(head, 4, 7, options), b = PlanCohort(head, 4, 7, options),
             c = PlanCohort(head, 4, 8, options);
  auto signature = [](const std::vector<SubjectPlan>& cohort) {
    std::string s;
    for (const auto& p : cohort) {
      s += p.preset + p.vendor.manufacturer + p.visits[0].date;
      for (const auto& l : p.visits[0].lesions)
        s += l.id + std::to_string(l.centre.x) + std::to_string(l.diameters_mm[0]);
    }
    return s;
  };
  EXPECT_EQ(signature(a), signature(b));
  EXPECT_NE(signature(a), signature(c));
}

// The truth documents pass the findings contract, and the scoring library scores each preset's
// follow-up as the preset intends, using the true motion between visits to match lesions.
TEST(PhantomScenario, TruthScoresAsEveryPresetIntends) {
  const AnalyticHead head;
  const PhantomOptions options;
  for (const std::string& preset : PresetNames()) {
    SCOPED_TRACE(preset);
    const SubjectPlan plan = PlanSubject(head, preset, "PH0200", 21, options);
    ASSERT_EQ(plan.visits.size(), 2u);
    std::vector<scoring::Findings> findings;
    for (const VisitPlan& visit : plan.visits) {
      const AnalyticHead visit_head(visit.shape);
      LabelMap map = visit.shape.ventricle_scale == 1 ? Anatomy() : RasterizeHead(visit_head, 0.5);
      const auto lesions = PaintLesions(visit_head, visit.lesions, map);
      const std::string document =
          TruthDocument(plan, visit, lesions, MeasureEvansIndex(map), visit.series[1].motion);
      findings.push_back(scoring::ParseFindings(document, visit.name + ".json"));
    }
    const std::string transform =
        RigidTransformFile(plan.visits[0].series[1].motion, plan.visits[1].series[1].motion);
    scoring::FollowUpInput followup{findings[1], scoring::ParseItkTransform(transform, "truth.tfm").Inverse(),
                                    "truth.tfm"};
    const auto score = scoring::ScoreSubject(findings[0], {followup}, scoring::Profile::kRanoLm,
                                             scoring::ScoringParameters{});
    const auto& assessment = score.followups[0].assessment;
    EXPECT_EQ(scoring::ResponseName(assessment.response), plan.expected_responses[0])
        << ::testing::PrintToString(assessment.trace);
    if (preset == "hydrocephalus") {
      EXPECT_EQ(findings[0].status(scoring::Item::kHydrocephalus), scoring::Status::kPresent);
    }
    if (preset == "normal") {
      EXPECT_TRUE(findings[0].lesions.empty());
    }
  }
}

}  // namespace
}  // namespace leptoscan::phantom
