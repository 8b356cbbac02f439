// The phantom's spine: its anatomy against its own distances, spine lesions on the anatomy they claim,
// the spine series' rendering, and the truth of spine scenarios scored by the scoring library.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "scoring/findings_reader.h"
#include "scoring/itk_transform.h"
#include "scoring/subject_score.h"
#include "testdata/phantom/analytic_head.h"
#include "testdata/phantom/phantom_study.h"
#include "testdata/phantom/scenario.h"
#include "testdata/phantom/spine_lesions.h"
#include "tests/phantom/painted_voxels.h"

namespace leptoscan::phantom {
namespace {

// Rasterising takes seconds: one spine (and at most one head) per test process.
const SpineAnatomy& Spine() {
  static const SpineAnatomy spine;
  return spine;
}
const LabelMap& SpineMap() {
  static const LabelMap map = RasterizeSpine(Spine(), 0.5);
  return map;
}
const LabelMap& HeadMap() {
  static const LabelMap map = RasterizeHead(AnalyticHead(), 0.5);
  return map;
}

Vec3 PointOf(const LabelMap& map, std::size_t index) {
  const auto& g = map.geometry;
  return map.Centre(index % g.size[0], index / g.size[0] % g.size[1], index / (g.size[0] * g.size[1]));
}

TEST(PhantomSpineAnatomy, EveryStructureIsPresent) {
  std::map<Label, std::size_t> counts;
  for (Label l : SpineMap().labels)
    ++counts[l];
  const double ml = 0.125 / 1000;
  for (Label l : {kSkull, kMarrow, kDura, kSubarachnoidCsf, kCorticalVein, kSpinalCord, kNerveRoot, kDisc,
                  kFat, kMuscle})
    EXPECT_GT(counts[l], 1000u) << "label " << l;
  // An adult cord holds about 20 ml (45 cm of ~1 cm2 across), its CSF space about 70 ml.
  EXPECT_GT(counts[kSpinalCord] * ml, 12);
  EXPECT_LT(counts[kSpinalCord] * ml, 30);
  EXPECT_GT(counts[kSubarachnoidCsf] * ml, 35);
  EXPECT_LT(counts[kSubarachnoidCsf] * ml, 110);
  for (Label l : {kGreyMatter, kWhiteMatter, kVentricleCsf})
    EXPECT_EQ(counts.count(l), 0u);
}

TEST(PhantomSpineAnatomy, TheCordEndsAtL1L2AndRootsFillTheSacBelow) {
  const SpineAnatomy& spine = Spine();
  const LabelMap& map = SpineMap();
  double lowest_cord = -1e9, lowest_root = -1e9;
  std::size_t roots_below_conus = 0;
  for (std::size_t index = 0; index < map.labels.size(); index += 3) {
    const Label l = map.labels[index];
    if (l != kSpinalCord && l != kNerveRoot) continue;
    const double s = spine.Frame(PointOf(map, index)).s;
    if (l == kSpinalCord) lowest_cord = std::max(lowest_cord, s);
    if (l == kNerveRoot && s > spine.conus_tip()) ++roots_below_conus, lowest_root = std::max(lowest_root, s);
  }
  EXPECT_GT(lowest_cord, spine.VertebraNamed("L1").top);
  EXPECT_LT(lowest_cord, spine.VertebraNamed("L2").bottom);
  EXPECT_NEAR(lowest_cord, spine.conus_tip(), 3.0);  // the cone's tip is thinner than a voxel
  EXPECT_GT(roots_below_conus, 2000u);
  EXPECT_GT(lowest_root, spine.VertebraNamed("S1").top);  // the sacral roots and the filum
}

TEST(PhantomSpineAnatomy, TissuesSitWhereTheirDistancesSayTheyDo) {
  const SpineAnatomy& spine = Spine();
  const LabelMap& map = SpineMap();
  std::map<Label, std::size_t> checked;
  for (std::size_t index = 0; index < map.labels.size(); index += 101) {
    const Label l = map.labels[index];
    const Vec3 p = PointOf(map, index);
    if (l == kSpinalCord) {
      EXPECT_LT(spine.CordDistance(p), 1e-9);
    } else if (l == kNerveRoot) {
      EXPECT_LT(spine.RootDistance(p), 1e-9);
    } else if (l == kSubarachnoidCsf) {
      EXPECT_LT(spine.SacDistance(p), 1e-9);
      EXPECT_GE(spine.CordDistance(p), 0);
      EXPECT_GE(spine.RootDistance(p), 0);
    } else if (l == kDisc || l == kMarrow || l == kFat || l == kMuscle) {
      EXPECT_GT(spine.SacDistance(p), 0) << "label " << l;
    } else {
      continue;
    }
    ++checked[l];
  }
  for (Label l : {kSpinalCord, kSubarachnoidCsf, kMarrow, kMuscle})
    EXPECT_GT(checked[l], 50u) << "label " << l;
}

LesionSpec Spinal(std::string id, LesionKind kind, double from, double to) {
  LesionSpec spec;
  spec.id = std::move(id);
  spec.kind = kind;
  spec.from = from, spec.to = to;
  spec.thickness_mm = 1.5;
  return spec;
}

// The lesions a spine scenario draws, over several subjects: every kind at least once.
std::vector<LesionSpec> PlannedSpineLesions() {
  std::vector<LesionSpec> all;
  for (int subject = 0; subject < 6; ++subject) {
    const auto plan = PlanSubject(AnalyticHead(), "spine", "PH0" + std::to_string(300 + subject), 9, {});
    for (LesionSpec spec : plan.visits[0].spine_lesions) {
      spec.id += "_" + std::to_string(subject);
      all.push_back(spec);
    }
  }
  return all;
}

TEST(PhantomSpineLesions, EveryKindLiesOnTheAnatomyItClaims) {
  const SpineAnatomy& spine = Spine();
  std::vector<LesionSpec> specs = {
      Spinal("SL1", LesionKind::kCordSurface, 150, 200),
      Spinal("SR1", LesionKind::kNerveRoots, spine.conus_tip() + 5, spine.conus_tip() + 60)};
  for (const LesionSpec& s : PlannedSpineLesions())
    specs.push_back(s);
  std::map<LesionKind, int> kinds;
  for (std::size_t n = 0; n < specs.size(); ++n) {
    SCOPED_TRACE(specs[n].id);
    LabelMap map = SpineMap();
    // Painted alone, so that every lesion shows all it painted.
    const auto painted = PaintSpineLesions(spine, {specs[n]}, 0, map);
    const auto voxels = VoxelsOf(map, SpineMap(), 0);
    ASSERT_GT(voxels.size(), 20u);
    ++kinds[specs[n].kind];
    const LesionSpec& spec = specs[n];
    std::size_t on_cord = 0, in_csf = 0, on_root = 0;
    for (const auto& [point, was, index] : voxels) {
      EXPECT_TRUE(InThecalSac(was)) << "label " << was;  // never in the dura or outside the sac
      const double s = spine.Frame(point).s;
      on_cord += was == kSpinalCord || (was == kSubarachnoidCsf && spine.CordDistance(point) < 0.75);
      on_root += was == kNerveRoot || spine.RootDistance(point) < 0.75;
      in_csf += was == kSubarachnoidCsf;
      if (spec.kind == LesionKind::kCordSurface) {
        EXPECT_EQ(was, kSubarachnoidCsf);
        EXPECT_LT(spine.CordDistance(point), spec.thickness_mm + 1e-9);
        EXPECT_GE(s, spec.from);
        EXPECT_LE(s, spec.to);
      } else if (spec.kind == LesionKind::kNerveRoots) {
        EXPECT_GT(s, spine.conus_tip() - 1);
        EXPECT_LT(spine.RootDistance(point), 0.75 * kRootSwelling);
      }
    }
    EXPECT_GT(in_csf, 0u);
    if (spec.kind == LesionKind::kCordSurface) {
      EXPECT_GT(on_cord, voxels.size() / 4);  // a coating lies on the cord
      EXPECT_EQ(painted[0].location, "cord_surface");
    } else if (spec.kind == LesionKind::kNerveRoots) {
      EXPECT_GT(on_root, voxels.size() / 2);
      EXPECT_EQ(painted[0].location, "cauda_equina");
    } else if (spec.site == "cord_surface") {
      // A nodule on the cord presses into it: part cord, part CSF, touching the pia.
      EXPECT_GT(on_cord, 0u);
      EXPECT_LT(spine.Frame(spec.centre).s, spine.conus_tip());
      EXPECT_EQ(painted[0].edge_to_pia_mm, 0);
      EXPECT_EQ(painted[0].location, "subarachnoid");
    } else {
      ASSERT_EQ(spec.site, "cauda_equina");
      // Among the roots, below the conus, touching at least one.
      EXPECT_GT(on_root, 0u);
      EXPECT_GT(spine.Frame(spec.centre).s, spine.conus_tip());
      EXPECT_EQ(painted[0].edge_to_pia_mm, 0);
    }
  }
  EXPECT_EQ(kinds.size(), 3u);
}

TEST(PhantomSpineLesions, CoatingExtentIsTheCordSurfaceItCovers) {
  const SpineAnatomy& spine = Spine();
  LabelMap map = SpineMap();
  const auto painted = PaintSpineLesions(spine, {Spinal("SL1", LesionKind::kCordSurface, 200, 260)}, 0, map);
  // A thoracic cord of half-axes 4.5 x 3.6 mm has a perimeter of about 25.5 mm; the coating's outer layer
  // (1.5 mm out) is longer, so the extent lies between the two perimeters times the length.
  const double inner = 25.5 * 60, outer = 2 * M_PI * std::sqrt((6.0 * 6.0 + 5.1 * 5.1) / 2) * 60;
  EXPECT_GT(painted[0].extent_mm2, inner);
  EXPECT_LT(painted[0].extent_mm2, outer);
}

TEST(PhantomSpineRender, FatSuppressionDarkensFatAndEnhancementSurvives) {
  RenderSettings s;
  s.grid = ScannerGrid(SliceOrientation::kSagittal, {1, 1, 3}, Spine().field_of_view());
  s.snr = 1e6, s.bias_amplitude = 0;
  s.sequence = Sequence::kT1Post;
  const RenderedSeries plain = RenderSeries(SpineMap(), {}, s, true);
  s.fat_suppressed = true;
  const RenderedSeries suppressed = RenderSeries(SpineMap(), {}, s, true);
  std::size_t darker = 0, vessels = 0;
  for (std::size_t i = 0; i < plain.image.voxels.size(); ++i) {
    darker += suppressed.image.voxels[i] < 0.5 * plain.image.voxels[i];
    // The epidural veins and the dura enhance on the post-contrast spine too: truth marks them.
    vessels += plain.truth.voxels[i] == kTruthVessel;
  }
  EXPECT_GT(darker, plain.image.voxels.size() / 20);
  EXPECT_GT(vessels, 100u);
}

// Scores the truth of a planned subject's baseline and first follow-up, brain and spine painted.
scoring::SubjectScore ScoreTruth(const SubjectPlan& plan, std::vector<scoring::Findings>* findings) {
  const AnalyticHead head;
  for (const VisitPlan& visit : plan.visits) {
    LabelMap map = HeadMap(), spine_map = SpineMap();
    const auto lesions = PaintLesions(head, visit.lesions, map);
    const auto spine_lesions = PaintSpineLesions(Spine(), visit.spine_lesions, lesions.size(), spine_map);
    const std::string document =
        TruthDocument(plan, visit, lesions, MeasureEvansIndex(map), visit.series[1].motion, spine_lesions);
    findings->push_back(scoring::ParseFindings(document, visit.name + ".json"));
  }
  const std::string transform =
      RigidTransformFile(plan.visits[0].series[1].motion, plan.visits[1].series[1].motion);
  scoring::FollowUpInput followup{(*findings)[1],
                                  scoring::ParseItkTransform(transform, "truth.tfm").Inverse(), "truth.tfm"};
  return scoring::ScoreSubject((*findings)[0], {followup}, scoring::Profile::kRanoLm,
                               scoring::ScoringParameters{});
}

// Spinal LM with every response preset (and the spine scenario's stable disease) scores as intended:
// spine lesions keep their identity between visits through the post-contrast T1's motion, and a complete
// response is confirmed once the spine is imaged.
TEST(PhantomSpineScenario, TruthScoresAsEveryPresetIntends) {
  PhantomOptions options;
  options.spine = true;
  for (const std::string preset : {"spine", "cr", "pr", "sd", "pd-growth", "pd-new", "mixed"}) {
    SCOPED_TRACE(preset);
    const SubjectPlan plan = PlanSubject(AnalyticHead(), preset, "PH0400", 23, options);
    ASSERT_TRUE(plan.spine);
    std::vector<scoring::Findings> findings;
    const auto score = ScoreTruth(plan, &findings);
    const auto& assessment = score.followups[0].assessment;
    EXPECT_EQ(scoring::ResponseName(assessment.response), plan.expected_responses[0])
        << ::testing::PrintToString(assessment.trace);
    EXPECT_TRUE(findings[0].spine_imaged);
    EXPECT_EQ(findings[0].status(scoring::Item::kSpineLinear), scoring::Status::kPresent);
    EXPECT_EQ(findings[0].status(scoring::Item::kSpineNodules), scoring::Status::kPresent);
    if (preset == "cr") EXPECT_EQ(plan.expected_responses[0], "CR");
    if (preset == "spine") {
      EXPECT_EQ(plan.expected_responses[0], "SD");
      for (const auto& lesion : findings[0].lesions)
        EXPECT_EQ(lesion.compartment, scoring::Compartment::kSpine) << lesion.id;
    }
    // Every spine lesion at follow-up is matched to its baseline self, none is new (pd-new's is a brain
    // nodule).
    for (const auto& id : score.followups[0].assessment.new_lesions)
      EXPECT_EQ(id.rfind("S", 0), std::string::npos) << id;
  }
}

TEST(PhantomSpineScenario, CohortDrawsSpinalLmWithoutChangingTheBrain) {
  const AnalyticHead head;
  const PhantomOptions options;
  const auto cohort = PlanCohort(head, 20, 1, options), again = PlanCohort(head, 20, 1, options);
  int with_spine = 0;
  for (std::size_t n = 0; n < cohort.size(); ++n) {
    const SubjectPlan& plan = cohort[n];
    SCOPED_TRACE(plan.id);
    with_spine += plan.spine;
    EXPECT_EQ(plan.spine, !plan.visits[0].spine_series.empty());
    EXPECT_EQ(plan.Label(), plan.spine ? plan.preset + "+spine" : plan.preset);
    // The same subject planned without spinal LM has the same brain: lesions, series, motions, noise.
    const SubjectPlan brain_only = PlanSubject(head, plan.preset, plan.id, 1, options);
    ASSERT_EQ(brain_only.visits.size(), plan.visits.size());
    EXPECT_EQ(brain_only.expected_responses == plan.expected_responses, !plan.spine || plan.preset != "cr");
    for (std::size_t v = 0; v < plan.visits.size(); ++v) {
      const VisitPlan &a = plan.visits[v], &b = brain_only.visits[v];
      ASSERT_EQ(a.lesions.size(), b.lesions.size());
      for (std::size_t l = 0; l < a.lesions.size(); ++l)
        EXPECT_EQ(a.lesions[l].centre.x, b.lesions[l].centre.x);
      ASSERT_EQ(a.series.size(), b.series.size());
      for (std::size_t s = 0; s < a.series.size(); ++s) {
        EXPECT_EQ(a.series[s].seed, b.series[s].seed);
        EXPECT_EQ(a.series[s].motion.translation.x, b.series[s].motion.translation.x);
      }
      EXPECT_EQ(a.intensity_scale, b.intensity_scale);
      // The same seed plans the same spine.
      ASSERT_EQ(a.spine_lesions.size(), again[n].visits[v].spine_lesions.size());
      for (std::size_t l = 0; l < a.spine_lesions.size(); ++l)
        EXPECT_EQ(a.spine_lesions[l].from, again[n].visits[v].spine_lesions[l].from);
    }
  }
  // A share of 0.2 of 20: at least one, not most; 0 and 1 give none and all.
  EXPECT_GT(with_spine, 0);
  EXPECT_LT(with_spine, 10);
  PhantomOptions share = options;
  for (double p : {0.0, 1.0}) {
    share.cohort_spine_share = p;
    for (const SubjectPlan& plan : PlanCohort(head, 20, 1, share))
      EXPECT_EQ(plan.spine, p == 1.0) << plan.id;
  }
}

}  // namespace
}  // namespace leptoscan::phantom
