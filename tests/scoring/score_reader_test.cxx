// Score documents read back: what ScoreDocumentJson writes comes back field for field; a document that
// breaks the contract is refused naming the field.
#include "scoring/score_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "scoring/errors.h"
#include "scoring/score_document.h"
#include "scoring/subject_score.h"
#include "tests/scoring/findings_builder.h"

namespace leptoscan::scoring {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string WrittenDocument() {
  const Findings baseline = testing::Baseline().Nodule("N1", {0, 0, 0}, 20, 10).Build();
  std::vector<FollowUpInput> visits;
  visits.push_back(
      {testing::FollowUp().Nodule("N1", {1, 0, 0}, 10, 10).Nodule("N2", {60, 0, 0}, 6, 6).Build(), {}, {}});
  return ScoreDocumentJson(ScoreSubject(baseline, std::move(visits), Profile::kRanoLm, {}), 0);
}

TEST(ScoreReader, ReadsBackWhatTheWriterWrote) {
  const ScoreRecord score = ParseScoreDocument(WrittenDocument(), "score.json");
  EXPECT_EQ(score.subject, "S1");
  EXPECT_EQ(score.profile, "rano-lm");
  EXPECT_EQ(score.baseline.date, "2024-01-01");
  EXPECT_EQ(score.baseline.composite_mm2, 200.0);
  EXPECT_EQ(score.baseline.eano_type, "B");
  EXPECT_EQ(score.followup.date, "2024-03-01");
  EXPECT_EQ(score.followup.composite_mm2, 100.0);
  EXPECT_EQ(score.days_from_baseline, 60);
  EXPECT_EQ(score.change, -0.5);
  ASSERT_EQ(score.targets.size(), 1u);
  EXPECT_EQ(score.targets[0].id, "N1");
  EXPECT_EQ(score.targets[0].followup_id, "N1");
  EXPECT_EQ(score.targets[0].followup_mm2, 100.0);
  EXPECT_EQ(score.targets[0].measurable, true);
  EXPECT_EQ(score.items.size(), 8u);
  EXPECT_THAT(score.new_lesions, ElementsAre("N2"));
  EXPECT_EQ(score.response, Response::kPD);
  ASSERT_FALSE(score.trace.empty());
  EXPECT_THAT(score.trace.back(), HasSubstr("new nodule N2: PD"));
}

TEST(ScoreReader, NullCompositeAndChangeStayEmpty) {
  auto document = nlohmann::json::parse(WrittenDocument());
  document["followup"]["composite_mm2"] = nullptr;
  document["change"] = nullptr;
  const ScoreRecord score = ParseScoreDocument(document.dump(), "score.json");
  EXPECT_FALSE(score.followup.composite_mm2.has_value());
  EXPECT_FALSE(score.change.has_value());
}

TEST(ScoreReader, RefusesABrokenDocumentNamingTheField) {
  auto document = nlohmann::json::parse(WrittenDocument());
  document["response"] = "maybe";
  EXPECT_THAT(
      [&] { ParseScoreDocument(document.dump(), "fu.json"); },
      ::testing::ThrowsMessage<DocumentError>(HasSubstr("fu.json: response: unknown response \"maybe\"")));
  document = nlohmann::json::parse(WrittenDocument());
  document.erase("trace");
  EXPECT_THAT([&] { ParseScoreDocument(document.dump(), "fu.json"); },
              ::testing::ThrowsMessage<DocumentError>(HasSubstr("trace: required field is missing")));
  document = nlohmann::json::parse(WrittenDocument());
  document["schema"] = "leptoscan.findings/1";
  EXPECT_THROW(ParseScoreDocument(document.dump(), "fu.json"), DocumentError);
  EXPECT_THAT([] { ReadScoreDocument("/nonexistent/score.json"); },
              ::testing::ThrowsMessage<DocumentError>(HasSubstr("/nonexistent/score.json: cannot be read")));
}

}  // namespace
}  // namespace leptoscan::scoring
