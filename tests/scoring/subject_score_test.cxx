// Several follow-ups: each scored against the baseline, ordered by date, the best response up to the first
// progression and the time of that progression; the score documents carry the contract's fields.
#include "scoring/subject_score.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "scoring/calendar.h"
#include "scoring/errors.h"
#include "scoring/score_document.h"
#include "scoring/score_table.h"
#include "tests/scoring/findings_builder.h"

namespace leptoscan::scoring {
namespace {

using testing::Baseline;
using ::testing::ElementsAre;
using testing::FindingsBuilder;
using ::testing::HasSubstr;

// A follow-up where the 20 x 10 mm baseline nodule measures `longest` x 10 mm.
FollowUpInput Visit(const std::string& timepoint, const std::string& date, double longest) {
  return {FindingsBuilder(timepoint, date).Nodule("N1", {0, 0, 0}, longest, 10).Build(), {}, {}};
}

FollowUpInput Clear(const std::string& timepoint, const std::string& date) {
  return {FindingsBuilder(timepoint, date).Build(), {}, {}};
}

const Findings& TheBaseline() {
  static const Findings baseline = Baseline().Nodule("N1", {0, 0, 0}, 20, 10).Build();
  return baseline;
}

std::vector<std::string> Responses(const SubjectScore& score) {
  std::vector<std::string> responses;
  for (const FollowUpScore& f : score.followups)
    responses.emplace_back(ResponseName(f.assessment.response));
  return responses;
}

TEST(SubjectScore, FollowupsAreOrderedByDateAndEachComparedWithBaseline) {
  // SD (+0%), PR (-50%), PD (+50%) in time order, given out of order.
  std::vector<FollowUpInput> visits;
  visits.push_back(Visit("fu3", "2024-07-01", 30));
  visits.push_back(Visit("fu1", "2024-03-01", 20));
  visits.push_back(Visit("fu2", "2024-05-01", 10));
  const SubjectScore score = ScoreSubject(TheBaseline(), std::move(visits), Profile::kRanoLm, {});
  EXPECT_THAT(Responses(score), ElementsAre("SD", "PR", "PD"));
  EXPECT_EQ(score.followups[0].findings.timepoint, "fu1");
  EXPECT_EQ(score.best_response, Response::kPR);
  ASSERT_TRUE(score.first_progression.has_value());
  EXPECT_EQ(score.followups[*score.first_progression].findings.timepoint, "fu3");
  EXPECT_EQ(score.followups[*score.first_progression].days_from_baseline, 182);  // 2024 is a leap year
}

TEST(SubjectScore, ResponsesAfterTheFirstProgressionDoNotCountForTheBest) {
  std::vector<FollowUpInput> visits;
  visits.push_back(Visit("fu1", "2024-02-01", 30));
  visits.push_back(Clear("fu2", "2024-04-01"));
  const SubjectScore score = ScoreSubject(TheBaseline(), std::move(visits), Profile::kRanoLm, {});
  EXPECT_THAT(Responses(score), ElementsAre("PD", "CR"));
  EXPECT_EQ(score.best_response, Response::kPD);
  EXPECT_EQ(score.first_progression, 0u);
}

TEST(SubjectScore, NoProgressionMeansNoProgressionTime) {
  std::vector<FollowUpInput> visits;
  visits.push_back(Visit("fu1", "2024-02-01", 10));
  visits.push_back(Clear("fu2", "2024-04-01"));
  const SubjectScore score = ScoreSubject(TheBaseline(), std::move(visits), Profile::kRanoLm, {});
  EXPECT_EQ(score.best_response, Response::kCR);
  EXPECT_FALSE(score.first_progression.has_value());
  EXPECT_THAT(ScoreTable(score), HasSubstr("best response CR; first progression none"));
}

TEST(SubjectScore, RejectsAnotherSubjectOrAFollowupNotAfterBaseline) {
  FollowUpInput other = Visit("fu1", "2024-02-01", 20);
  other.findings.subject = "S2";
  std::vector<FollowUpInput> visits;
  visits.push_back(std::move(other));
  EXPECT_THROW(ScoreSubject(TheBaseline(), std::move(visits), Profile::kRanoLm, {}), DocumentError);
  std::vector<FollowUpInput> same_day;
  same_day.push_back(Visit("fu1", "2024-01-01", 20));
  try {
    ScoreSubject(TheBaseline(), std::move(same_day), Profile::kRanoLm, {});
    FAIL();
  } catch (const DocumentError& e) {
    EXPECT_THAT(e.what(), HasSubstr("fu1.json: date: 2024-01-01 is not after the baseline date 2024-01-01"));
  }
}

TEST(ScoreDocument, HasTheContractFieldsWithTheirTypes) {
  std::vector<FollowUpInput> visits;
  visits.push_back(Visit("fu1", "2024-03-01", 10));
  const SubjectScore score = ScoreSubject(TheBaseline(), std::move(visits), Profile::kRanoLm, {});
  const auto doc = nlohmann::json::parse(ScoreDocumentJson(score, 0));
  EXPECT_EQ(doc["schema"], "leptoscan.score/1");
  EXPECT_EQ(doc["subject"], "S1");
  EXPECT_EQ(doc["profile"], "rano-lm");
  EXPECT_EQ(doc["parameters"]["pr_change"], -0.5);
  EXPECT_EQ(doc["parameters"]["pd_change"], 0.25);
  EXPECT_EQ(doc["parameters"]["max_targets"], 5);
  EXPECT_EQ(doc["parameters"]["measurable_mm"], nlohmann::json({10.0, 5.0}));
  EXPECT_EQ(doc["baseline"]["date"], "2024-01-01");
  EXPECT_EQ(doc["baseline"]["composite_mm2"], 200.0);
  EXPECT_EQ(doc["baseline"]["eano_type"], "B");
  EXPECT_EQ(doc["followup"]["date"], "2024-03-01");
  EXPECT_EQ(doc["followup"]["composite_mm2"], 100.0);
  EXPECT_EQ(doc["change"], -0.5);
  ASSERT_EQ(doc["targets"].size(), 1u);
  EXPECT_EQ(doc["targets"][0]["id"], "N1");
  EXPECT_EQ(doc["targets"][0]["followup_id"], "N1");
  EXPECT_EQ(doc["targets"][0]["baseline_mm2"], 200.0);
  EXPECT_EQ(doc["targets"][0]["followup_mm2"], 100.0);
  EXPECT_EQ(doc["items"]["brain_nodules"],
            nlohmann::json({{"baseline", "present"}, {"followup", "present"}, {"change", "unchanged"}}));
  EXPECT_EQ(doc["items"].size(), 8u);
  EXPECT_TRUE(doc["new_lesions"].is_array());
  EXPECT_EQ(doc["response"], "PR");
  ASSERT_TRUE(doc["trace"].is_array());
  EXPECT_THAT(doc["trace"].back().get<std::string>(),
              HasSubstr("composite 200.0 -> 100.0 mm2 (-50.0%) <= -50.0%: PR"));
}

TEST(ScoreDocument, LanoDocumentHasTheFiveCardItems) {
  std::vector<FollowUpInput> visits;
  visits.push_back(Visit("fu1", "2024-03-01", 10));
  const SubjectScore score = ScoreSubject(TheBaseline(), std::move(visits), Profile::kLano2019, {});
  const auto doc = nlohmann::ordered_json::parse(ScoreDocumentJson(score, 0));
  EXPECT_EQ(doc["profile"], "lano-2019");
  std::vector<std::string> items;
  for (const auto& [name, value] : doc["items"].items())
    items.push_back(name);
  EXPECT_THAT(items,
              ElementsAre("brain_nodules", "brain_linear", "hydrocephalus", "spine_nodules", "spine_linear"));
  EXPECT_EQ(doc["items"]["brain_nodules"]["change"], "improved");
}

TEST(ScoreDocument, SeriesHoldsEveryFollowupTheBestResponseAndFirstProgression) {
  std::vector<FollowUpInput> visits;
  visits.push_back(Visit("fu1", "2024-03-01", 10));
  visits.push_back(Visit("fu2", "2024-05-01", 30));
  const SubjectScore score = ScoreSubject(TheBaseline(), std::move(visits), Profile::kRanoLm, {});
  const auto series = nlohmann::json::parse(ScoreSeriesJson(score));
  EXPECT_EQ(series["schema"], "leptoscan.score-series/1");
  EXPECT_EQ(series["best_response"], "PR");
  EXPECT_EQ(series["first_progression"]["timepoint"], "fu2");
  EXPECT_EQ(series["first_progression"]["days_from_baseline"], 121);
  ASSERT_EQ(series["scores"].size(), 2u);
  EXPECT_EQ(series["scores"][1]["response"], "PD");
  EXPECT_EQ(series["scores"][0], nlohmann::json::parse(ScoreDocumentJson(score, 0)));
  const std::string tsv = ScoreTsv(score);
  EXPECT_EQ(std::count(tsv.begin(), tsv.end(), '\n'), 3);
  EXPECT_THAT(tsv, HasSubstr("\tfu2\t2024-05-01\t121\t200\t300\t0.5\tB\tB\t\tPD\tPR\t2024-05-01\n"));
}

TEST(ScoreDocument, AmbiguousMatchesAreInTheDocumentAndTheTrace) {
  const Findings baseline = Baseline().Nodule("A", {0, 0, 0}, 20, 10).Nodule("B", {8, 0, 0}, 20, 10).Build();
  std::vector<FollowUpInput> visits;
  visits.push_back({FindingsBuilder("fu1", "2024-03-01").Nodule("X", {3, 0, 0}, 20, 10).Build(), {}, {}});
  const SubjectScore score = ScoreSubject(baseline, std::move(visits), Profile::kRanoLm, {});
  const auto doc = nlohmann::json::parse(ScoreDocumentJson(score, 0));
  ASSERT_EQ(doc["matching"]["ambiguous"].size(), 1u);
  EXPECT_EQ(doc["matching"]["ambiguous"][0]["candidates"], nlohmann::json({"A", "B"}));
  EXPECT_THAT(doc["trace"][0].get<std::string>(),
              HasSubstr("ambiguous match: follow-up X lies within 10 mm"));
}

TEST(ScoreDocument, ParenchymalMetastasesAreReportedApart) {
  const Findings baseline =
      Baseline().Nodule("N1", {0, 0, 0}, 20, 10).Nodule("P1", {40, 0, 0}, 10, 10, "parenchymal").Build();
  std::vector<FollowUpInput> visits;
  visits.push_back({FindingsBuilder("fu1", "2024-03-01")
                        .Nodule("N1", {0, 0, 0}, 20, 10)
                        .Nodule("P1", {40, 0, 0}, 20, 10, "parenchymal")
                        .Nodule("P2", {80, 0, 0}, 5, 4, "parenchymal")
                        .Build(),
                    {},
                    {}});
  const SubjectScore score = ScoreSubject(baseline, std::move(visits), Profile::kRanoLm, {});
  const auto doc = nlohmann::json::parse(ScoreDocumentJson(score, 0));
  EXPECT_EQ(doc["separate"]["parenchymal"]["baseline_count"], 1);
  EXPECT_EQ(doc["separate"]["parenchymal"]["followup_count"], 2);
  EXPECT_EQ(doc["separate"]["parenchymal"]["followup_mm2"], 220.0);
  EXPECT_EQ(doc["separate"]["parenchymal"]["new"], nlohmann::json({"P2"}));
  EXPECT_EQ(doc["new_lesions"], nlohmann::json::array());
  EXPECT_EQ(doc["targets"].size(), 1u);
}

TEST(ScoreDates, DayNumbersOfValidDatesOnly) {
  EXPECT_EQ(DayNumber("1970-01-01"), 0);
  EXPECT_EQ(DayNumber("2000-03-01"), 11017);
  EXPECT_EQ(*DayNumber("2024-03-01") - *DayNumber("2024-02-28"), 2);
  EXPECT_FALSE(DayNumber("2023-02-29"));
  EXPECT_FALSE(DayNumber("2024-13-01"));
  EXPECT_FALSE(DayNumber("2024-1-01"));
  EXPECT_FALSE(DayNumber("01.03.2024"));
}

TEST(ScoreDates, IsoDateInvertsDayNumber) {
  EXPECT_EQ(IsoDate(0), "1970-01-01");
  EXPECT_EQ(IsoDate(11017), "2000-03-01");
  EXPECT_EQ(IsoDate(-1), "1969-12-31");
  for (long day = *DayNumber("1999-12-25"); day < *DayNumber("2025-01-10"); day += 17) {
    EXPECT_EQ(DayNumber(IsoDate(day)), day) << IsoDate(day);
  }
}

}  // namespace
}  // namespace leptoscan::scoring
