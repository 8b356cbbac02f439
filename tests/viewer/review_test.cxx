// The review model on the synthetic subject folder: the findings list with ids, accept/reject/edit with
// who and when, review.json written and resumed, and `leptoscan score`'s reader scoring what the reviewer
// decided (rejected findings gone, edits applied).
#include "viewer/review.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "io/errors.h"
#include "scoring/findings_reader.h"
#include "scoring/findings_writer.h"
#include "scoring/subject_score.h"
#include "tests/pipeline/synthetic_subject.h"

namespace leptoscan::viewer {
namespace {

namespace fs = std::filesystem;
using scoring::Decision;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

const std::string kAt = "2026-11-23T18:04:05Z";

class Review : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = fs::path(::testing::TempDir()) /
              ("review_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    synthetic::WriteSyntheticSubject(folder_);
  }
  void TearDown() override { fs::remove_all(folder_); }

  static std::vector<std::string> Ids(const TimepointReview& t) {
    std::vector<std::string> ids;
    for (const FindingEntry& entry : t.Entries())
      ids.push_back(entry.id +
                    (entry.decision ? ":" + std::string(scoring::DecisionName(*entry.decision)) : ""));
    return ids;
  }

  fs::path folder_;
};

TEST_F(Review, ListsTheTimepointsAndTheirFindingsWithIds) {
  SubjectReview review(folder_);
  EXPECT_EQ(review.subject(), synthetic::kSubject);
  ASSERT_EQ(review.size(), 2u);
  EXPECT_EQ(review.Find("20240101"), 0u);
  EXPECT_EQ(review.Find("2024-03-01"), 1u);
  EXPECT_THAT([&] { review.Find("2025-01-01"); },
              ::testing::ThrowsMessage<io::InputError>(HasSubstr("manifest.json: no time point 2025-01-01")));
  const TimepointReview& baseline = review.timepoint(0);
  EXPECT_THAT(Ids(baseline), ElementsAre("items.brain_nodules", "items.brain_linear", "E1", "N1"));
  const FindingEntry n1 = baseline.Entries().back();
  EXPECT_EQ(n1.description, "nodule, subarachnoid, 12.0 x 12.0 mm, measurable");
  ASSERT_TRUE(n1.center_mm);
  EXPECT_EQ(*n1.center_mm, synthetic::kNodule);
  EXPECT_EQ(review.Post(0).geometry.size, synthetic::Grid().size);
  EXPECT_EQ(review.Patterns(1).geometry.size, synthetic::Grid().size);
}

TEST_F(Review, DecisionsAreSavedWithWhoAndWhenAndResumed) {
  SubjectReview review(folder_);
  TimepointReview& baseline = review.timepoint(0);
  baseline.Accept("items.brain_nodules", "amy", kAt);
  baseline.Edit("N1", {std::nullopt, false, std::array<double, 2>{9, 13}}, "amy", kAt);
  baseline.Reject("E1", "bob", "2026-11-23T18:10:00Z");
  EXPECT_THAT(Ids(baseline), ElementsAre("items.brain_nodules:accepted", "items.brain_linear:rejected",
                                         "E1:rejected", "N1:edited"));
  EXPECT_EQ(baseline.Save(), folder_ / "20240101" / "review.json");

  const scoring::Findings saved = scoring::ReadFindings(folder_ / "20240101" / "review.json");
  ASSERT_EQ(saved.lesions.size(), 1u);
  EXPECT_EQ(saved.lesions[0].id, "N1");
  EXPECT_EQ(saved.lesions[0].diameters_mm, (std::array<double, 2>{13, 9}));  // the longest first
  EXPECT_EQ(saved.lesions[0].measurable, false);
  // E1 was the only lesion of brain_linear, which had no decision of its own: rejected with it.
  EXPECT_EQ(saved.status(scoring::Item::kBrainLinear), scoring::Status::kAbsent);
  ASSERT_TRUE(saved.review);
  EXPECT_EQ(saved.review->findings, "findings.json");
  ASSERT_EQ(saved.review->decisions.size(), 4u);
  const scoring::FindingReview& e1 = saved.review->decisions[2];
  EXPECT_EQ(e1.finding, "E1");
  EXPECT_EQ(e1.decision, Decision::kRejected);
  EXPECT_EQ(e1.reviewer, "bob");
  EXPECT_EQ(e1.at, "2026-11-23T18:10:00Z");
  ASSERT_TRUE(e1.original_lesion);
  EXPECT_EQ(e1.original_lesion->extent_mm2, 150);
  ASSERT_TRUE(saved.review->decisions[1].original_lesion);
  EXPECT_EQ(saved.review->decisions[1].original_lesion->diameters_mm, (std::array<double, 2>{12, 12}));
  EXPECT_EQ(saved.review->decisions[3].finding, "items.brain_linear");
  ASSERT_TRUE(saved.review->decisions[3].original_item);
  EXPECT_EQ(saved.review->decisions[3].original_item->extent_mm2, 150);
  // The pipeline's findings are left as they were.
  EXPECT_EQ(scoring::ReadFindings(folder_ / "20240101" / "findings.json").lesions.size(), 2u);

  const TimepointReview resumed(folder_ / "20240101");
  EXPECT_EQ(Ids(resumed), Ids(baseline));
  EXPECT_EQ(scoring::FindingsToJson(resumed.reviewed()), scoring::FindingsToJson(baseline.reviewed()));
}

TEST_F(Review, AReviewOfFindingsThatHaveChangedIsNotResumed) {
  TimepointReview baseline(folder_ / "20240101");
  baseline.Accept("N1", "amy", kAt);
  baseline.Reject("E1", "amy", kAt);
  baseline.Save();
  EXPECT_NO_THROW(TimepointReview(folder_ / "20240101"));
  // The pipeline runs again and measures N1 differently: the decision on N1 no longer applies.
  scoring::Findings rerun = baseline.original();
  rerun.lesions[1].diameters_mm = {13, 12};
  scoring::WriteFindings(rerun, folder_ / "20240101" / "findings.json");
  EXPECT_THAT(
      [&] { TimepointReview(folder_ / "20240101"); },
      ::testing::ThrowsMessage<io::InputError>(HasSubstr("review.json: N1 has changed in findings.json")));
  // A lesion gone from the findings.
  rerun = baseline.original();
  rerun.lesions.erase(rerun.lesions.begin());
  rerun.items[static_cast<std::size_t>(scoring::Item::kBrainLinear)] = {};
  rerun.items[static_cast<std::size_t>(scoring::Item::kBrainLinear)].status = scoring::Status::kAbsent;
  scoring::WriteFindings(rerun, folder_ / "20240101" / "findings.json");
  EXPECT_THAT([&] { TimepointReview(folder_ / "20240101"); },
              ::testing::ThrowsMessage<io::InputError>(HasSubstr("has changed in findings.json")));
}

TEST_F(Review, AcceptingRestoresARejectionAndKeepsAnEdit) {
  TimepointReview baseline(folder_ / "20240101");
  baseline.Reject("N1", "amy", kAt);
  EXPECT_THAT(Ids(baseline),
              ElementsAre("items.brain_nodules:rejected", "items.brain_linear", "E1", "N1:rejected"));
  baseline.Accept("items.brain_nodules", "amy", kAt);
  baseline.Accept("N1", "amy", kAt);
  EXPECT_EQ(baseline.reviewed().lesions.size(), 2u);
  baseline.Edit("N1", {"ventricular", std::nullopt, std::nullopt}, "amy", kAt);
  baseline.Accept("N1", "bob", kAt);
  EXPECT_EQ(baseline.reviewed().lesions[1].location, "ventricular");
  EXPECT_THAT(Ids(baseline), ::testing::Contains("N1:edited"));
}

TEST_F(Review, RejectsWhatTheContractDoesNotAllowAndKeepsTheReview) {
  TimepointReview baseline(folder_ / "20240101");
  baseline.Edit("N1", {std::nullopt, std::nullopt, std::array<double, 2>{8, 7}}, "amy", kAt);
  EXPECT_THAT(
      [&] {
        baseline.Edit("N1", {"brain", std::nullopt, std::nullopt}, "amy", kAt);
      },
      ::testing::ThrowsMessage<std::invalid_argument>(HasSubstr("unknown nodule location \"brain\"")));
  EXPECT_THAT(
      [&] {
        baseline.Edit("E1", {std::nullopt, std::nullopt, std::array<double, 2>{8, 7}}, "amy", kAt);
      },
      ::testing::ThrowsMessage<std::invalid_argument>(HasSubstr("only nodules have diameters")));
  EXPECT_THAT([&] { baseline.Accept("N9", "amy", kAt); },
              ::testing::ThrowsMessage<std::invalid_argument>(HasSubstr("no finding N9")));
  EXPECT_THAT([&] { baseline.Reject("items.ependymal", "amy", kAt); },
              ::testing::ThrowsMessage<std::invalid_argument>(HasSubstr("items.ependymal is absent")));
  EXPECT_EQ(baseline.reviewed().lesions[1].location, "subarachnoid");
  EXPECT_EQ(baseline.reviewed().lesions[1].diameters_mm, (std::array<double, 2>{8, 7}));
}

// leptoscan score reads review.json with the findings reader: the reviewed score differs from the
// pipeline's exactly as the decisions say.
TEST_F(Review, ScoreReadsWhatTheReviewerDecided) {
  const auto score = [](const fs::path& baseline, const fs::path& followup) {
    std::vector<scoring::FollowUpInput> visits;
    visits.push_back({scoring::ReadFindings(followup), {}, {}});
    return scoring::ScoreSubject(scoring::ReadFindings(baseline), std::move(visits),
                                 scoring::Profile::kRanoLm, {});
  };
  const fs::path bl = folder_ / "20240101", fu = folder_ / "20240301";
  const auto pipeline = score(bl / "findings.json", fu / "findings.json").followups[0].assessment;
  EXPECT_EQ(pipeline.response, scoring::Response::kPR);  // 294 -> 96 mm2

  // The follow-up nodule measured again by hand: 14 x 11 mm = 154 mm2; the composite is 154 + 60 = 214.
  TimepointReview followup(fu);
  followup.Edit("N1",
                {std::nullopt, std::nullopt,
                 RulerDiameters({{20, -22, 10}, {20, -8, 10}}, {{14.5, -15, 10}, {25.5, -15, 10}})},
                "amy", kAt);
  followup.Save();
  const auto edited = score(bl / "findings.json", fu / "review.json").followups[0].assessment;
  EXPECT_DOUBLE_EQ(edited.baseline_composite_mm2, 294);
  EXPECT_DOUBLE_EQ(edited.followup_composite_mm2.value_or(-1), 214);
  EXPECT_EQ(edited.response, scoring::Response::kSD);

  // Rejecting the baseline's linear lesion leaves brain_linear absent at baseline: its presence at
  // follow-up is new disease.
  TimepointReview baseline(bl);
  baseline.Reject("E1", "amy", kAt);
  baseline.Save();
  const auto rejected = score(bl / "review.json", fu / "review.json").followups[0].assessment;
  EXPECT_DOUBLE_EQ(rejected.baseline_composite_mm2, 144);
  EXPECT_EQ(rejected.response, scoring::Response::kPD);
}

TEST(RulerDiameters, TwoOrthogonalLinesGiveTheLongestFirst) {
  const auto d = RulerDiameters({{0, 0, 0}, {0, 3, 4}}, {{1, 1, 1}, {1 + 10, 1, 1}});
  EXPECT_DOUBLE_EQ(d[0], 10);
  EXPECT_DOUBLE_EQ(d[1], 5);
  EXPECT_THROW(RulerDiameters({{0, 0, 0}, {10, 0, 0}}, {{0, 0, 0}, {10, 3, 0}}), std::invalid_argument);
  EXPECT_THROW(RulerDiameters({{0, 0, 0}, {0, 0, 0}}, {{0, 0, 0}, {0, 3, 0}}), std::invalid_argument);
  EXPECT_NO_THROW(RulerDiameters({{0, 0, 0}, {10, 0, 0}}, {{0, 0, 0}, {1, 10, 0}}));  // 5.7 degrees off
}

TEST(UtcNow, IsWhatAReviewRecords) {
  EXPECT_THAT(UtcNow(),
              ::testing::MatchesRegex("20[0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9]Z"));
}

}  // namespace
}  // namespace leptoscan::viewer
