// The scenario table of issue 5: each row is a baseline and a follow-up with the response computed by hand
// from domain.md sections 2 and 3, the rule that must decide it, and a one-line reason. The properties
// (listing order, growth, removal) are checked on every row.
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>

#include "scoring/score_document.h"
#include "scoring/subject_score.h"
#include "tests/scoring/findings_builder.h"

namespace leptoscan::scoring {
namespace {

using testing::Baseline;
using testing::FindingsBuilder;
using testing::FollowUp;

struct Scenario {
  std::string name;
  Profile profile;
  FindingsBuilder baseline;
  FindingsBuilder followup;
  std::string response;
  std::string rule;    // must appear in the deciding trace line
  std::string reason;  // the hand computation
  ScoringParameters parameters = {};
};

void PrintTo(const Scenario& scenario, std::ostream* out) {
  *out << scenario.name;
}

// Brain lesions 40 mm apart along x, spine lesions along z far below: never within the matching distance.
Point3 At(int slot) {
  return {40.0 * slot, 0, 0};
}
Point3 Spine(int slot) {
  return {0, 0, -300.0 - 40 * slot};
}

constexpr Profile kRano = Profile::kRanoLm;
constexpr Profile kLano = Profile::kLano2019;

// Six candidate targets where a nodule X competes with five 100 mm2 linear lesions: X is a target only if
// it is measurable, and it grows to 40 x 20 mm at follow-up while the others stay.
Scenario MeasurabilityRow(std::string name, double longest, double perpendicular, bool inclusive,
                          std::string response, std::string rule, std::string reason) {
  FindingsBuilder baseline = Baseline().Nodule("X", At(0), longest, perpendicular);
  FindingsBuilder followup = FollowUp().Nodule("X", At(0), 40, 20);
  for (int i = 1; i <= 5; ++i) {
    baseline.Linear("L" + std::to_string(i), At(i), 100);
    followup.Linear("L" + std::to_string(i), At(i), 100);
  }
  Scenario scenario{std::move(name),     kRano,           baseline,         followup,
                    std::move(response), std::move(rule), std::move(reason)};
  scenario.parameters.measurable_inclusive = inclusive;
  return scenario;
}

std::vector<Scenario> Scenarios() {
  std::vector<Scenario> rows = {
      // rano-lm: thresholds of the composite change.
      {"RanoPrAtExactlyMinus50", kRano, Baseline().Nodule("N1", At(0), 20, 10),
       FollowUp().Nodule("N1", At(0), 10, 10), "PR", "(-50.0%) <= -50.0%: PR",
       "200 -> 100 mm2 is exactly -50%, and PR is change <= -50%"},
      {"RanoPrAtExactlyMinus50WithDecimals", kRano, Baseline().Nodule("N1", At(0), 7.8, 7.2),
       FollowUp().Nodule("N1", At(0), 5.4, 5.2), "PR", "<= -50.0%: PR",
       "56.16 -> 28.08 mm2 is -50% exactly; in binary it divides to -0.49999999999999994, still PR"},
      {"RanoPdAtExactlyPlus25WithDecimals", kRano, Baseline().Nodule("N1", At(0), 5.2, 5.1),
       FollowUp().Nodule("N1", At(0), 6.5, 5.1), "PD", ">= +25.0%: PD",
       "26.52 -> 33.15 mm2 is +25% exactly; in binary it divides to 0.24999999999999997, still PD"},
      {"RanoSdJustAboveMinus50", kRano, Baseline().Nodule("N1", At(0), 20, 10),
       FollowUp().Nodule("N1", At(0), 10.1, 10), "SD", "(-49.5%) between",
       "200 -> 101 mm2 is -49.5%: not PR"},
      {"RanoPdAtExactlyPlus25", kRano, Baseline().Nodule("N1", At(0), 20, 10),
       FollowUp().Nodule("N1", At(0), 25, 10), "PD", "(+25.0%) >= +25.0%: PD",
       "200 -> 250 mm2 is exactly +25%, and PD is change >= +25%"},
      {"RanoSdJustBelowPlus25", kRano, Baseline().Nodule("N1", At(0), 20, 10),
       FollowUp().Nodule("N1", At(0), 24.9, 10), "SD", "(+24.5%) between",
       "200 -> 249 mm2 is +24.5%: not PD"},
      {"RanoStableIsSd", kRano, Baseline().Nodule("N1", At(0), 20, 10),
       FollowUp().Nodule("N1", At(0), 20, 10), "SD", "(+0.0%) between", "same size, nothing new"},
      {"RanoLinearTargetGrowthIsPd", kRano, Baseline().Linear("E1", At(0), 400),
       FollowUp().Linear("E1", At(0), 500), "PD", ">= +25.0%: PD",
       "a linear target's size is its enhancing surface: 400 -> 500 mm2 is +25%"},
      {"RanoCranialNerveResolvedIsSd", kRano,
       Baseline().Nodule("N1", At(0), 20, 10).Linear("C1", At(1), 50, "cranial_nerve"),
       FollowUp().Nodule("N1", At(0), 20, 10), "SD", "(-20.0%) between",
       "targets N1 200 + C1 50 = 250 -> 200 mm2 is -20%; a resolved item alone is not a response"},
      // rano-lm: complete response.
      {"RanoCrWithBaselineDisease", kRano, Baseline().Nodule("N1", At(0), 20, 10).Linear("E1", At(1), 300),
       FollowUp(), "CR", "every item absent at follow-up, disease at baseline: CR",
       "every item absent at follow-up and two were present at baseline"},
      {"RanoNoBaselineDiseaseIsSdNotCr", kRano, Baseline(), FollowUp(), "SD", "no disease at baseline",
       "all absent at both: CR needs disease at baseline, and there is no change to measure"},
      {"RanoCrNeedsEveryItemEvaluable", kRano, Baseline().Nodule("N1", At(0), 20, 10),
       FollowUp().SpineImaged(false), "PR", "(-100.0%) <= -50.0%: PR",
       "brain clear but spine items NE at follow-up: not CR; spine was absent at baseline so not NE; -100%: "
       "PR"},
      {"RanoResolvedHydrocephalusOnlyDiseaseIsCr", kRano, Baseline().Status("hydrocephalus", "present"),
       FollowUp(), "CR", "every item absent", "hydrocephalus was the only finding and resolved"},
      // rano-lm: progression by new lesions and new items.
      {"RanoNewNoduleIsPdDespiteShrinkage", kRano, Baseline().Nodule("N1", At(0), 20, 10),
       FollowUp().Nodule("N1", At(0), 10, 10).Nodule("N2", At(3), 3, 3), "PD", "new nodule N2: PD",
       "composite -50% would be PR, but any new nodule, however small, is PD"},
      {"RanoNewItemIsPd", kRano, Baseline().Nodule("N1", At(0), 20, 10),
       FollowUp().Nodule("N1", At(0), 20, 10).Linear("E1", At(2), 50), "PD",
       "brain_linear absent at baseline, present at follow-up (new item): PD",
       "linear enhancement absent at baseline and present at follow-up is a new item"},
      {"RanoNewHydrocephalusIsPd", kRano, Baseline().Nodule("N1", At(0), 20, 10),
       FollowUp().Nodule("N1", At(0), 20, 10).Status("hydrocephalus", "present"), "PD",
       "(new hydrocephalus): PD", "new hydrocephalus is PD whatever the composite"},
      {"RanoResolvedHydrocephalusAloneIsSd", kRano,
       Baseline().Nodule("N1", At(0), 20, 10).Status("hydrocephalus", "present"),
       FollowUp().Nodule("N1", At(0), 20, 10), "SD", "(+0.0%) between",
       "hydrocephalus resolved but the composite is unchanged and N1 remains: SD"},
      {"RanoBaselineNeItemIsNotNew", kRano,
       Baseline().Nodule("N1", At(0), 20, 10).Status("brain_linear", "ne"),
       FollowUp().Nodule("N1", At(0), 20, 10).Linear("E1", At(2), 50), "SD", "(+0.0%) between",
       "brain_linear NE at baseline: present at follow-up cannot be called new"},
      // rano-lm: non-evaluable items and the spine.
      {"RanoItemNeAtFollowupIsNe", kRano,
       Baseline().Nodule("N1", At(0), 20, 10).Nodule("S1", Spine(0), 12, 6, "subarachnoid", "spine"),
       FollowUp().Nodule("N1", At(0), 20, 10).SpineImaged(false), "NE",
       "spine_nodules present at baseline, NE at follow-up, no progression: NE",
       "spine nodules present at baseline, spine not imaged at follow-up, nothing is PD"},
      {"RanoNeAtFollowupWithGrowthIsPd", kRano,
       Baseline().Nodule("N1", At(0), 20, 10).Nodule("S1", Spine(0), 12, 6, "subarachnoid", "spine"),
       FollowUp().Nodule("N1", At(0), 26, 10).SpineImaged(false), "PD", "(+30.0%) >= +25.0%: PD",
       "S1 (72 mm2) is NE and left out of both sides: N1 200 -> 260 is +30% (with S1 as 0 it would be -4%)"},
      {"RanoNeAtFollowupWithNewNoduleIsPd", kRano,
       Baseline().Nodule("N1", At(0), 20, 10).Nodule("S1", Spine(0), 12, 6, "subarachnoid", "spine"),
       FollowUp().Nodule("N1", At(0), 20, 10).Nodule("N2", At(3), 6, 6).SpineImaged(false), "PD",
       "new nodule N2: PD", "a new brain nodule is PD even with the spine NE"},
      {"RanoHydrocephalusNeAtFollowupIsNe", kRano, Baseline().Status("hydrocephalus", "present"),
       FollowUp().Status("hydrocephalus", "ne"), "NE", "hydrocephalus present at baseline, NE at follow-up",
       "the only finding cannot be evaluated at follow-up"},
      {"RanoSpineNotImagedAtEitherScoresBrain", kRano,
       Baseline().Nodule("N1", At(0), 20, 10).SpineImaged(false),
       FollowUp().Nodule("N1", At(0), 10, 9).SpineImaged(false), "PR", "(-55.0%) <= -50.0%: PR",
       "spine NE at both, never present: brain composite 200 -> 90 is -55%"},
      {"RanoSpineNeAtBaselineNewSpineNoduleNotCounted", kRano,
       Baseline().Nodule("N1", At(0), 20, 10).SpineImaged(false),
       FollowUp().Nodule("N1", At(0), 20, 10).Nodule("S1", Spine(0), 8, 6, "subarachnoid", "spine"), "SD",
       "(+0.0%) between", "spine not imaged at baseline: a spine nodule at follow-up cannot be called new"},
      // rano-lm: measurability and target selection.
      MeasurabilityRow(
          "RanoStrict10x5IsNotMeasurable", 10, 5, false, "SD", "(+0.0%) between",
          "10 x 5 mm is not > 10 x > 5: X (50 mm2) ranks after five 100 mm2 lesions, not a target"),
      MeasurabilityRow("RanoAbove10x5IsMeasurable", 10.1, 5.1, false, "PD", ">= +25.0%: PD",
                       "10.1 x 5.1 is measurable, first target: 451.51 -> 1200 mm2 is +165.8%"),
      MeasurabilityRow("RanoPerpendicularExactly5IsNotMeasurable", 10.1, 5, false, "SD", "(+0.0%) between",
                       "perpendicular 5 is not > 5: X (50.5 mm2) is not a target"),
      MeasurabilityRow("RanoInclusiveOptionMakes10x5Measurable", 10, 5, true, "PD", ">= +25.0%: PD",
                       "with measurable_inclusive 10 x 5 is measurable: 450 -> 1200 mm2"),
      {"RanoOnlyFiveLargestAreTargets", kRano,
       Baseline()
           .Nodule("N1", At(0), 20, 10)
           .Nodule("N2", At(1), 19, 10)
           .Nodule("N3", At(2), 18, 10)
           .Nodule("N4", At(3), 17, 10)
           .Nodule("N5", At(4), 16, 10)
           .Nodule("N6", At(5), 15, 10)
           .Nodule("N7", At(6), 14, 10),
       FollowUp()
           .Nodule("N1", At(0), 10, 10)
           .Nodule("N2", At(1), 10, 9.5)
           .Nodule("N3", At(2), 10, 9)
           .Nodule("N4", At(3), 10, 8.5)
           .Nodule("N5", At(4), 10, 8)
           .Nodule("N6", At(5), 30, 20)
           .Nodule("N7", At(6), 30, 20),
       "PR", "(-50.0%) <= -50.0%: PR",
       "7 candidates, 5 targets N1-N5 900 -> 450 mm2; growth of non-targets N6, N7 is not measured"},
      // rano-lm: metastases outside the leptomeninges.
      {"RanoParenchymalOnlyChangeIsSd", kRano,
       Baseline().Nodule("N1", At(0), 20, 10).Nodule("P1", At(1), 10, 10, "parenchymal"),
       FollowUp()
           .Nodule("N1", At(0), 20, 10)
           .Nodule("P1", At(1), 30, 30, "parenchymal")
           .Nodule("P2", At(2), 20, 20, "parenchymal"),
       "SD", "(+0.0%) between",
       "parenchymal growth and a new parenchymal nodule never enter the LM response"},
      {"RanoNewIntramedullaryIsSd", kRano, Baseline().Nodule("N1", At(0), 20, 10),
       FollowUp().Nodule("N1", At(0), 20, 10).Nodule("I1", Spine(0), 9, 8, "intramedullary", "spine"), "SD",
       "(+0.0%) between", "an intramedullary metastasis is reported apart, not an LM lesion"},
      // rano-lm: matching.
      {"RanoSplitNoduleFragmentsAreSummed", kRano, Baseline().Nodule("N1", {0, 0, 0}, 20, 10),
       FollowUp().Nodule("F1", {3, 0, 0}, 10, 6).Nodule("F2", {-3, 0, 0}, 10, 6), "SD", "(-40.0%) between",
       "both fragments lie within 10 mm of N1: 200 -> 60 + 60 = 120 mm2 (-40%), neither is new"},
      {"RanoAmbiguousMatchGoesToNearest", kRano,
       Baseline().Nodule("N1", {0, 0, 0}, 20, 10).Nodule("N2", {8, 0, 0}, 20, 10),
       FollowUp().Nodule("F1", {3, 0, 0}, 20, 10), "PR", "(-50.0%) <= -50.0%: PR",
       "F1 is 3 mm from N1 and 5 mm from N2: it is N1; N2 is gone: 400 -> 200 mm2"},
      {"RanoMatchAtExactlyTheDistance", kRano, Baseline().Nodule("N1", {0, 0, 0}, 20, 10),
       FollowUp().Nodule("F1", {10, 0, 0}, 20, 10), "SD", "(+0.0%) between",
       "10 mm apart is within the 10 mm matching distance: same nodule"},
      {"RanoBeyondTheDistanceIsNew", kRano, Baseline().Nodule("N1", {0, 0, 0}, 20, 10),
       FollowUp().Nodule("F1", {10.5, 0, 0}, 20, 10), "PD", "new nodule F1: PD",
       "10.5 mm away: N1 disappeared and F1 is a new nodule"},

      // lano-2019.
      {"LanoNewMeasurableNoduleIsPd", kLano, Baseline().Nodule("N1", At(0), 10, 10),
       FollowUp().Nodule("N1", At(0), 10, 10).Nodule("N2", At(3), 5.1, 5.1), "PD",
       "brain_nodules worse (new measurable nodule N2)", "5.1 x 5.1 mm is > 5 x 5: a new measurable nodule"},
      {"LanoNew5x5NoduleIsNotMeasurable", kLano, Baseline().Nodule("N1", At(0), 10, 10),
       FollowUp().Nodule("N1", At(0), 10, 10).Nodule("N2", At(3), 5, 5), "SD",
       "no item worse or improved: SD",
       "5 x 5 mm is not > 5 x 5: the new nodule is not measurable and does not count"},
      {"LanoTrackedHalvedIsPr", kLano, Baseline().Nodule("N1", At(0), 20, 10),
       FollowUp().Nodule("N1", At(0), 10, 10), "PR", "brain_nodules improved and no item worse: PR",
       "tracked nodules 200 -> 100 mm2 is -50%: improved"},
      {"LanoTrackedPlus25IsPd", kLano, Baseline().Nodule("N1", At(0), 20, 10),
       FollowUp().Nodule("N1", At(0), 25, 10), "PD", "tracked nodules 200.0 -> 250.0 mm2 (+25.0%)",
       "tracked nodules 200 -> 250 mm2 is +25%: worse"},
      {"LanoOnlyThreeLargestTracked", kLano,
       Baseline()
           .Nodule("N1", At(0), 20, 10)
           .Nodule("N2", At(1), 19, 10)
           .Nodule("N3", At(2), 18, 10)
           .Nodule("N4", At(3), 17, 10),
       FollowUp()
           .Nodule("N1", At(0), 20, 10)
           .Nodule("N2", At(1), 19, 10)
           .Nodule("N3", At(2), 18, 10)
           .Nodule("N4", At(3), 40, 20),
       "SD", "no item worse or improved: SD",
       "N4 is the 4th largest, not tracked: its growth is not measured"},
      {"LanoNewLinearIsPd", kLano, Baseline().Nodule("N1", At(0), 10, 10),
       FollowUp().Nodule("N1", At(0), 10, 10).Linear("E1", At(2), 50), "PD",
       "brain_linear worse (absent -> present)", "linear enhancement absent -> present is worse"},
      {"LanoNewCranialNerveIsBrainLinearWorse", kLano, Baseline().Nodule("N1", At(0), 10, 10),
       FollowUp().Nodule("N1", At(0), 10, 10).Linear("C1", At(2), 20, "cranial_nerve"), "PD",
       "brain_linear worse (absent -> present)",
       "cranial nerve enhancement is part of the card's brain linear row"},
      {"LanoLinearExtentHalvedIsPr", kLano,
       Baseline().Status("brain_linear", "present").Extent("brain_linear", 400),
       FollowUp().Status("brain_linear", "present").Extent("brain_linear", 200), "PR",
       "brain_linear improved and no item worse: PR", "enhancing extent 400 -> 200 mm2 is -50%: improved"},
      {"LanoNewHydrocephalusIsPd", kLano, Baseline().Nodule("N1", At(0), 10, 10),
       FollowUp().Nodule("N1", At(0), 10, 10).Status("hydrocephalus", "present"), "PD",
       "hydrocephalus worse (absent -> present)", "new hydrocephalus is worse"},
      {"LanoHydrocephalusResolvedIsPr", kLano,
       Baseline().Nodule("N1", At(0), 10, 10).Status("hydrocephalus", "present"),
       FollowUp().Nodule("N1", At(0), 10, 10), "PR", "hydrocephalus improved and no item worse: PR",
       "hydrocephalus present -> absent is improved, nothing worse"},
      {"LanoHydrocephalusResolvedByEvansIsPr", kLano,
       Baseline().Nodule("N1", At(0), 10, 10).Status("hydrocephalus", "present").Evans(0.35),
       FollowUp().Nodule("N1", At(0), 10, 10).Status("hydrocephalus", "present").Evans(0.28), "PR",
       "hydrocephalus improved", "Evans index 0.35 -> 0.28 falls to <= 0.3: improved"},
      {"LanoEvansIndexCrossing03IsWorse", kLano,
       Baseline().Nodule("N1", At(0), 10, 10).Status("hydrocephalus", "present").Evans(0.29),
       FollowUp().Nodule("N1", At(0), 10, 10).Status("hydrocephalus", "present").Evans(0.32), "PD",
       "hydrocephalus worse (Evans index 0.29 -> 0.32 (> 0.3))", "Evans index newly > 0.3 is worse"},
      {"LanoBrainOnlyStudyIsNe", kLano, Baseline().Nodule("N1", At(0), 10, 10).SpineImaged(false),
       FollowUp().Nodule("N1", At(0), 10, 10).SpineImaged(false), "NE",
       "spine_nodules, spine_linear NE and no item worse: NE",
       "the card needs all five items: spine NE gives NE"},
      {"LanoNeWithWorseIsPd", kLano, Baseline().Nodule("N1", At(0), 20, 10),
       FollowUp().Nodule("N1", At(0), 25, 10).SpineImaged(false), "PD", "brain_nodules worse",
       "an item worse beats NE items"},
      {"LanoCr", kLano, Baseline().Nodule("N1", At(0), 10, 10), FollowUp(), "CR",
       "all five items absent at follow-up, disease at baseline: CR", "all five items absent at follow-up"},
      {"LanoNoBaselineDiseaseIsSd", kLano, Baseline(), FollowUp(), "SD", "no disease at baseline",
       "nothing at either time point: not CR, nothing changed"},
      {"LanoParenchymalOnlyChangeIsSd", kLano,
       Baseline().Nodule("N1", At(0), 10, 10).Nodule("P1", At(1), 10, 10, "parenchymal"),
       FollowUp()
           .Nodule("N1", At(0), 10, 10)
           .Nodule("P1", At(1), 30, 30, "parenchymal")
           .Nodule("P2", At(2), 20, 20, "parenchymal"),
       "SD", "no item worse or improved: SD", "parenchymal metastases do not enter the LM response"},
  };
  return rows;
}

SubjectScore Score(const Scenario& s, const FindingsBuilder& followup) {
  return ScoreSubject(s.baseline.Build(), {{followup.Build(), {}, {}}}, s.profile, s.parameters);
}

// For the properties: CR > PR > SD > NE > PD (NE is unknown, so it sits between stable and progression).
int Favourability(Response response) {
  switch (response) {
    case Response::kCR:
      return 4;
    case Response::kPR:
      return 3;
    case Response::kSD:
      return 2;
    case Response::kNE:
      return 1;
    case Response::kPD:
      break;
  }
  return 0;
}

std::string Trace(const Assessment& assessment) {
  std::string text;
  for (const std::string& line : assessment.trace)
    text += "\n  " + line;
  return text;
}

class ScenarioTable : public ::testing::TestWithParam<Scenario> {};

TEST_P(ScenarioTable, GivesTheHandComputedResponse) {
  const Scenario& s = GetParam();
  const SubjectScore score = Score(s, s.followup);
  const Assessment& assessment = score.followups.at(0).assessment;
  EXPECT_EQ(ResponseName(assessment.response), s.response) << s.reason << Trace(assessment);
  ASSERT_FALSE(assessment.trace.empty());
  EXPECT_NE(assessment.trace.back().find(s.rule), std::string::npos)
      << "expected the deciding rule to contain \"" << s.rule << "\"" << Trace(assessment);
  EXPECT_EQ(assessment.trace.back().substr(assessment.trace.back().rfind(": ") + 2), s.response);
}

TEST_P(ScenarioTable, ListingLesionsInAnotherOrderChangesNothing) {
  const Scenario& s = GetParam();
  const std::string expected = ScoreDocumentJson(Score(s, s.followup), 0);
  Scenario reordered = s;
  for (FindingsBuilder* document : {&reordered.baseline, &reordered.followup}) {
    auto& lesions = document->json()["lesions"];
    std::reverse(lesions.begin(), lesions.end());
    if (lesions.size() > 2) std::rotate(lesions.begin(), lesions.begin() + 1, lesions.end());
  }
  EXPECT_EQ(ScoreDocumentJson(Score(reordered, reordered.followup), 0), expected);
}

TEST_P(ScenarioTable, GrowingEveryFollowupLesionNeverGivesABetterResponse) {
  const Scenario& s = GetParam();
  const Response original = Score(s, s.followup).followups[0].assessment.response;
  FindingsBuilder grown = s.followup;
  for (auto& lesion : grown.json()["lesions"]) {
    if (lesion.contains("diameters_mm"))
      for (auto& diameter : lesion["diameters_mm"])
        diameter = diameter.get<double>() * 1.2;
    if (lesion.contains("extent_mm2")) lesion["extent_mm2"] = lesion["extent_mm2"].get<double>() * 1.44;
  }
  for (auto& [name, item] : grown.json()["items"].items())
    if (item.contains("extent_mm2")) item["extent_mm2"] = item["extent_mm2"].get<double>() * 1.44;
  const Assessment grown_assessment = Score(s, grown).followups[0].assessment;
  EXPECT_LE(Favourability(grown_assessment.response), Favourability(original)) << Trace(grown_assessment);
}

TEST_P(ScenarioTable, RemovingAFollowupLesionNeverGivesAWorseResponse) {
  const Scenario& s = GetParam();
  const Response original = Score(s, s.followup).followups[0].assessment.response;
  const std::size_t count = s.followup.json()["lesions"].size();
  for (std::size_t i = 0; i < count; ++i) {
    FindingsBuilder fewer = s.followup;
    fewer.json()["lesions"].erase(i);
    const Assessment assessment = Score(s, fewer).followups[0].assessment;
    EXPECT_GE(Favourability(assessment.response), Favourability(original))
        << "without follow-up lesion " << s.followup.json()["lesions"][i]["id"] << Trace(assessment);
  }
}

INSTANTIATE_TEST_SUITE_P(Issue5, ScenarioTable, ::testing::ValuesIn(Scenarios()),
                         [](const ::testing::TestParamInfo<Scenario>& info) { return info.param.name; });

TEST(ScoreScenarioTable, HasAtLeastFortyRowsCoveringBothProfiles) {
  const auto rows = Scenarios();
  EXPECT_GE(rows.size(), 40u);
  for (Profile profile : {kRano, kLano})
    EXPECT_TRUE(
        std::any_of(rows.begin(), rows.end(), [profile](const Scenario& s) { return s.profile == profile; }));
}

}  // namespace
}  // namespace leptoscan::scoring
