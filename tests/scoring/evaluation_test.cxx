// Detection accuracy against truth, on hand-built time points whose counts are known: item confusion counts
// (truth NE left out, detector NE counted wrong), nerve naming, nodule matching by distance, response
// agreement and Cohen's kappa, and the metric rows with their targets.
#include "scoring/evaluation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "scoring/errors.h"
#include "scoring/findings_reader.h"
#include "tests/scoring/findings_builder.h"

namespace leptoscan::scoring {
namespace {

using testing::Baseline;
using testing::FindingsBuilder;
using ::testing::HasSubstr;

TimepointPair Pair(const FindingsBuilder& truth, const FindingsBuilder& detected) {
  return {truth.Build(), detected.Build()};
}

const ItemAccuracy& Counts(const Evaluation& evaluation, Item item) {
  return evaluation.items[static_cast<std::size_t>(item)];
}

// The line of a text (table or TSV) that starts with `metric` followed by a separator.
std::string LineOf(const std::string& text, const std::string& metric) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind(metric, 0) == 0 && line.size() > metric.size() &&
        (line[metric.size()] == ' ' || line[metric.size()] == '\t'))
      return line;
  ADD_FAILURE() << "no line for " << metric << " in\n" << text;
  return "";
}

// Three follow-ups' worth of nodules in one time point with known outcomes:
//   N1 10x8 at the origin, detected 3 mm off as D1 11x7.5          -> matched, errors 1 and 0.5
//   N2 6x5, the only detection (D2) 20 mm away                        -> missed; D2 a false positive
//   N3 4x3, not detected                                              -> missed, below the measurable size
//   N4 30x20 parenchymal, detected 12 mm off (within half of 30 mm) -> matched, routed as subarachnoid
Evaluation NoduleCase() {
  const FindingsBuilder truth = Baseline()
                                    .Nodule("N1", {0, 0, 0}, 10, 8)
                                    .Nodule("N2", {50, 0, 0}, 6, 5)
                                    .Nodule("N3", {0, 60, 0}, 4, 3)
                                    .Nodule("N4", {0, -60, 0}, 30, 20, "parenchymal");
  const FindingsBuilder detected = Baseline()
                                       .Nodule("D1", {3, 0, 0}, 11, 7.5)
                                       .Nodule("D2", {70, 0, 0}, 6, 5)
                                       .Nodule("D3", {0, -48, 0}, 29, 20);
  return Evaluate({Pair(truth, detected)}, {});
}

TEST(Evaluation, CountsItemsAgainstTheTruthLeavingTruthNeOut) {
  const auto present = [] { return Baseline().Status("brain_nodules", "present"); };
  const auto absent = [] { return Baseline(); };
  const auto ne = [] { return Baseline().Status("brain_nodules", "ne"); };
  const std::vector<TimepointPair> pairs = {
      Pair(present(), present()),                                      // TP
      Pair(present(), absent()),                                       // FN
      Pair(absent().SpineImaged(false), absent().SpineImaged(false)),  // TN; spine items NE in the truth
      Pair(absent(), present()),                                       // FP
      Pair(ne(), present()),                                           // left out
      Pair(present(), ne()),                                           // FN: the detector declined
      Pair(absent(), ne()),                                            // FP: the detector declined
  };
  const Evaluation e = Evaluate(pairs, {});
  const ItemAccuracy& nodules = Counts(e, Item::kBrainNodules);
  EXPECT_EQ(nodules.true_positives, 1u);
  EXPECT_EQ(nodules.false_negatives, 2u);
  EXPECT_EQ(nodules.true_negatives, 1u);
  EXPECT_EQ(nodules.false_positives, 2u);
  EXPECT_EQ(nodules.truth_ne, 1u);
  EXPECT_EQ(nodules.detected_ne, 2u);
  EXPECT_DOUBLE_EQ(*nodules.Sensitivity().Value(), 1.0 / 3);
  EXPECT_DOUBLE_EQ(*nodules.Specificity().Value(), 1.0 / 3);

  const ItemAccuracy& spine = Counts(e, Item::kSpineLinear);
  EXPECT_EQ(spine.truth_ne, 1u);
  EXPECT_EQ(spine.true_negatives, 6u);
  EXPECT_FALSE(spine.Sensitivity().Value().has_value());  // no positives anywhere: undefined, not 0 or 1
  EXPECT_EQ(*spine.Specificity().Value(), 1.0);

  const auto json = EvaluationToJson(e);
  EXPECT_TRUE(json["items"]["spine_linear"]["sensitivity"].is_null());
  EXPECT_EQ(json["items"]["spine_linear"]["specificity"], 1.0);
  EXPECT_EQ(json["items"]["brain_nodules"]["false_negatives"], 2);
  EXPECT_EQ(LineOf(EvaluationTsv(e), "brain_nodules_sensitivity"),
            "brain_nodules_sensitivity\t0.333333\t1\t3\t>= 0.95\tfalse");
  EXPECT_EQ(LineOf(EvaluationTsv(e), "spine_linear_sensitivity"),
            "spine_linear_sensitivity\t\t0\t0\t>= 0.95\t");
  EXPECT_THAT(LineOf(EvaluationTable(e), "brain_nodules_sensitivity"), ::testing::EndsWith("NOT met"));
  EXPECT_THAT(LineOf(EvaluationTable(e), "spine_linear_sensitivity"), ::testing::EndsWith("n/a"));
  EXPECT_THAT(LineOf(EvaluationTable(e), "spine_linear_specificity"), ::testing::EndsWith(" met"));
}

TEST(Evaluation, NamesNervesAsSetsWhereTheTruthHasNerves) {
  const Evaluation e =
      Evaluate({Pair(Baseline().Nerves({"V_L", "VII_VIII_R"}), Baseline().Nerves({"VII_VIII_R", "V_L"})),
                Pair(Baseline().Nerves({"V_L", "VII_VIII_R"}), Baseline().Nerves({"V_L"})),
                Pair(Baseline(), Baseline().Nerves({"III_R"}))},
               {});
  EXPECT_EQ(e.nerve_naming.numerator, 1u);
  EXPECT_EQ(e.nerve_naming.denominator, 2u);
  // The third time point still counts as a cranial-nerve false positive.
  EXPECT_EQ(Counts(e, Item::kCranialNerves).false_positives, 1u);
}

TEST(Evaluation, MatchesNodulesWithinTheDistanceOrHalfTheTruthDiameter) {
  const Evaluation e = NoduleCase();
  const NoduleAccuracy& n = e.nodules;
  EXPECT_EQ(n.truth, 4u);
  EXPECT_EQ(n.detected, 3u);
  EXPECT_EQ(n.recall.numerator, 2u);  // N1 and N4
  EXPECT_EQ(n.recall.denominator, 4u);
  EXPECT_EQ(n.recall_measurable.numerator, 2u);  // N3 (4x3) is below 5 mm
  EXPECT_EQ(n.recall_measurable.denominator, 3u);
  EXPECT_EQ(n.false_positives.numerator, 1u);  // D2, 20 mm from N2
  EXPECT_EQ(n.false_positives.denominator, 1u);
  EXPECT_EQ(n.diameters_compared, 4u);
  EXPECT_DOUBLE_EQ(*n.diameter_error_mean_mm, (1 + 0.5 + 1 + 0) / 4.0);
  EXPECT_DOUBLE_EQ(*n.diameter_error_max_mm, 1.0);
  EXPECT_EQ(n.routing.numerator, 1u);  // N4 is parenchymal, D3 subarachnoid
  EXPECT_EQ(n.routing.denominator, 2u);
  ASSERT_EQ(n.missed.size(), 2u);
  EXPECT_EQ(n.missed[0].id, "N2");
  EXPECT_EQ(n.missed[1].id, "N3");
  ASSERT_EQ(n.unmatched_detected.size(), 1u);
  EXPECT_EQ(n.unmatched_detected[0].id, "D2");

  const auto json = EvaluationToJson(e);
  EXPECT_EQ(json["nodules"]["missed"], nlohmann::ordered_json({"S1 baseline N2", "S1 baseline N3"}));
  EXPECT_EQ(json["nodules"]["unmatched_detected"], nlohmann::ordered_json({"S1 baseline D2"}));
}

TEST(Evaluation, AWiderMatchDistanceReachesTheFarNodule) {
  EvaluationOptions options;
  options.nodule_match_mm = 25;
  const FindingsBuilder truth = Baseline().Nodule("N2", {50, 0, 0}, 6, 5);
  const FindingsBuilder detected = Baseline().Nodule("D2", {70, 0, 0}, 6, 5);
  EXPECT_EQ(Evaluate({Pair(truth, detected)}, {}, options).nodules.recall.numerator, 1u);
  EXPECT_EQ(Evaluate({Pair(truth, detected)}, {}).nodules.recall.numerator, 0u);
}

TEST(Evaluation, TheNearerOfTwoDetectionsMatchesWhateverTheirOrder) {
  const FindingsBuilder truth = Baseline().Nodule("N1", {0, 0, 0}, 8, 6);
  // A comes first by id but is farther; B is the match, A a false positive.
  const Evaluation e =
      Evaluate({Pair(truth, Baseline().Nodule("A", {4, 0, 0}, 9, 6).Nodule("B", {1, 0, 0}, 8, 6))}, {});
  EXPECT_EQ(e.nodules.recall.numerator, 1u);
  ASSERT_EQ(e.nodules.unmatched_detected.size(), 1u);
  EXPECT_EQ(e.nodules.unmatched_detected[0].id, "A");
  EXPECT_EQ(*e.nodules.diameter_error_max_mm, 0.0);
}

TEST(Evaluation, NoduleMetricsAgainstTheirTargets) {
  const Evaluation e = NoduleCase();
  const std::string table = EvaluationTable(e), tsv = EvaluationTsv(e);
  EXPECT_THAT(LineOf(table, "nodule_false_positives_per_scan"),
              ::testing::AllOf(HasSubstr("1/1"), HasSubstr("<= 0.5"), ::testing::EndsWith("NOT met")));
  EXPECT_THAT(LineOf(table, "nodule_diameter_error_max_mm"),
              ::testing::AllOf(HasSubstr("1.000"), HasSubstr("<= 1 "), ::testing::EndsWith(" met")));
  EXPECT_THAT(LineOf(table, "nodule_recall_ge_5mm"), HasSubstr("2/3"));
  EXPECT_THAT(LineOf(table, "nodule_recall_ge_5mm"), ::testing::EndsWith("NOT met"));
  // No target: no mark.
  EXPECT_THAT(LineOf(table, "nodule_diameter_error_mean_mm"), ::testing::EndsWith("n=4"));
  EXPECT_EQ(LineOf(tsv, "nodule_diameter_error_mean_mm"), "nodule_diameter_error_mean_mm\t0.625\t\t4\t\t");
  EXPECT_EQ(LineOf(tsv, "nodule_routing_accuracy"), "nodule_routing_accuracy\t0.5\t1\t2\t>= 0.95\tfalse");
  EXPECT_EQ(tsv.substr(0, tsv.find('\n')), "metric\tvalue\tnumerator\tdenominator\ttarget\tmet");
}

TEST(Evaluation, EanoTypeOfTruthAndDetected) {
  const Evaluation e = Evaluate({Pair(Baseline().Nodule("N1", {0, 0, 0}, 6, 5).Linear("E1", {40, 0, 0}, 100),
                                      Baseline().Nodule("N1", {0, 0, 0}, 6, 5)),  // C against B
                                 Pair(Baseline(), Baseline())},                   // D-normal both
                                {});
  EXPECT_EQ(e.eano_type.numerator, 1u);
  EXPECT_EQ(e.eano_type.denominator, 2u);
}

std::vector<FollowupResponse> Responses(const std::vector<std::pair<Response, Response>>& expected_detected) {
  std::vector<FollowupResponse> responses;
  for (const auto& [expected, detected] : expected_detected)
    responses.push_back({"S1", "2024-03-01", expected, detected});
  return responses;
}

TEST(Evaluation, KappaOfATwoByTwoDisagreement) {
  // PR/PR x4, PR/PD x1, PD/PR x2, PD/PD x3: po = 0.7; expected rows 5/5, detected columns 6/4, so
  // pe = (5*6 + 5*4) / 100 = 0.5 and kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4.
  std::vector<std::pair<Response, Response>> cases;
  cases.insert(cases.end(), 4, {Response::kPR, Response::kPR});
  cases.insert(cases.end(), 1, {Response::kPR, Response::kPD});
  cases.insert(cases.end(), 2, {Response::kPD, Response::kPR});
  cases.insert(cases.end(), 3, {Response::kPD, Response::kPD});
  const Evaluation e = Evaluate({}, Responses(cases));
  EXPECT_DOUBLE_EQ(*e.response.kappa, 0.4);
  EXPECT_EQ(e.response.agreement.numerator, 7u);
  EXPECT_EQ(e.response.agreement.denominator, 10u);
  EXPECT_EQ(e.response.disagreements.size(), 3u);
  const auto json = EvaluationToJson(e);
  EXPECT_EQ(json["response"]["labels"], nlohmann::ordered_json({"CR", "PR", "SD", "PD", "NE"}));
  EXPECT_EQ(json["response"]["confusion"][1], nlohmann::ordered_json({0, 4, 0, 1, 0}));
  EXPECT_EQ(json["response"]["confusion"][3], nlohmann::ordered_json({0, 2, 0, 3, 0}));
  EXPECT_THAT(LineOf(EvaluationTable(e), "response_kappa"), ::testing::EndsWith("NOT met"));
}

TEST(Evaluation, KappaAtTheEdges) {
  // Everything SD on both sides: po = pe = 1, perfect agreement.
  EXPECT_EQ(*Evaluate({}, Responses({{Response::kSD, Response::kSD}, {Response::kSD, Response::kSD}}))
                 .response.kappa,
            1.0);
  // Systematic swap: po = 0, pe = 0.5.
  EXPECT_DOUBLE_EQ(*Evaluate({}, Responses({{Response::kCR, Response::kPD}, {Response::kPD, Response::kCR}}))
                        .response.kappa,
                   -1.0);
  const Evaluation none = Evaluate({}, {});
  EXPECT_FALSE(none.response.kappa.has_value());
  const auto json = EvaluationToJson(none);
  EXPECT_TRUE(json["response"]["kappa"].is_null());
  EXPECT_THAT(LineOf(EvaluationTable(none), "response_kappa"), ::testing::EndsWith("n/a"));
  EXPECT_THAT(LineOf(EvaluationTable(none), "nodule_false_positives_per_scan"), ::testing::EndsWith("n/a"));
}

TEST(Evaluation, MetricsInJsonCarryTargetsAndNullForUndefined) {
  const auto json = EvaluationToJson(NoduleCase());
  EXPECT_EQ(json["schema"], "leptoscan.evaluation/1");
  EXPECT_EQ(json["timepoints"], 1);
  const auto metric = [&](const std::string& name) {
    for (const auto& m : json["metrics"])
      if (m["metric"] == name) return m;
    ADD_FAILURE() << "no metric " << name;
    return nlohmann::ordered_json();
  };
  EXPECT_EQ(
      metric("nodule_false_positives_per_scan"),
      nlohmann::ordered_json::parse(
          R"({"metric": "nodule_false_positives_per_scan", "value": 1.0, "numerator": 1, "denominator": 1,
                    "target": "<= 0.5", "met": false})"));
  EXPECT_TRUE(metric("response_kappa")["value"].is_null());
  EXPECT_TRUE(metric("response_kappa")["met"].is_null());
  EXPECT_TRUE(metric("nodule_recall")["target"].is_null());
}

TEST(Evaluation, PhantomTruthAgainstItselfIsPerfect) {
  // A truth.json is a findings document with extra keys, which the reader ignores.
  nlohmann::json truth = Baseline()
                             .Nodule("N1", {28.43, -1.42, 71.49}, 13.07, 6.0)
                             .Linear("L1", {13.71, 65.15, 48.08}, 1346.3)
                             .Nerves({"III_R"})
                             .json();
  truth["truth_labels"] = {{"N1", 1}, {"L1", 2}};
  truth["look_alike_labels"] = {{"dura", 1001}};
  truth["preset"] = "mixed";
  const Findings findings = ParseFindings(truth.dump(), "truth.json");
  const Evaluation e = Evaluate({{findings, findings}}, Responses({{Response::kSD, Response::kSD}}));
  EXPECT_EQ(*e.nodules.recall.Value(), 1.0);
  EXPECT_EQ(*e.nodules.false_positives.Value(), 0.0);
  EXPECT_EQ(*e.nodules.diameter_error_max_mm, 0.0);
  EXPECT_EQ(*e.nerve_naming.Value(), 1.0);
  EXPECT_EQ(*Counts(e, Item::kBrainLinear).Sensitivity().Value(), 1.0);
  EXPECT_EQ(*e.response.kappa, 1.0);
  EXPECT_THAT(EvaluationTable(e), ::testing::Not(HasSubstr("NOT met")));
}

TEST(Evaluation, APairingMistakeIsRejected) {
  FindingsBuilder detected = Baseline();
  detected.json()["date"] = "2024-01-02";
  try {
    Evaluate({Pair(Baseline(), detected)}, {});
    FAIL() << "scored a detection against the truth of another day";
  } catch (const DocumentError& e) {
    EXPECT_EQ(e.field(), "date");
    EXPECT_THAT(e.problem(), HasSubstr("\"2024-01-02\" is paired with the truth of date \"2024-01-01\""));
  }
}

}  // namespace
}  // namespace leptoscan::scoring
