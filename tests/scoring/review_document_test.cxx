// A reviewed findings document (review.json): the findings the reviewer decided on plus one decision per
// finding, read back as written, checked against its own lesion list, and summarised for the score log.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "scoring/errors.h"
#include "scoring/findings_reader.h"
#include "scoring/findings_writer.h"
#include "tests/scoring/findings_builder.h"

namespace leptoscan::scoring {
namespace {

using ::testing::HasSubstr;

// N1 edited (diameters and a measurable verdict), N2 rejected, the cranial-nerve item accepted.
Findings Reviewed() {
  testing::FindingsBuilder builder = testing::Baseline();
  builder.Nodule("N1", {10, 20, 30}, 14, 8).Nodule("N2", {-10, 20, 30}, 6, 5).Nerves({"V_L"});
  Findings findings = builder.Build();
  Review review{"findings.json", {}};
  const Lesion n2 = findings.lesions[1];
  FindingReview edited{"N1", Decision::kEdited, "jdoe", "2026-11-23T18:04:05Z", findings.lesions[0], {}};
  findings.lesions[0].diameters_mm = {11, 4};
  findings.lesions[0].measurable = true;
  findings.lesions.pop_back();
  review.decisions.push_back(edited);
  review.decisions.push_back({"N2", Decision::kRejected, "jdoe", "2026-11-23T18:05:00Z", n2, {}});
  review.decisions.push_back(
      {"items.cranial_nerves", Decision::kAccepted, "amy", "2026-11-23T18:06:00Z", {}, {}});
  findings.review = review;
  return findings;
}

std::string Breach(nlohmann::ordered_json document) {
  try {
    ParseFindings(document.dump(), "review.json");
  } catch (const DocumentError& e) {
    return e.what();
  }
  return "accepted";
}

TEST(ReviewDocument, ReadsBackWhatWasWritten) {
  const Findings written = Reviewed();
  const Findings read = ParseFindings(FindingsToJson(written).dump(), "review.json");
  ASSERT_TRUE(read.review);
  EXPECT_EQ(read.review->findings, "findings.json");
  ASSERT_EQ(read.review->decisions.size(), 3u);
  const FindingReview& n1 = read.review->decisions[0];
  EXPECT_EQ(n1.finding, "N1");
  EXPECT_EQ(n1.decision, Decision::kEdited);
  EXPECT_EQ(n1.reviewer, "jdoe");
  EXPECT_EQ(n1.at, "2026-11-23T18:04:05Z");
  ASSERT_TRUE(n1.original_lesion);
  EXPECT_EQ(n1.original_lesion->diameters_mm, (std::array<double, 2>{14, 8}));
  EXPECT_EQ(read.review->decisions[1].decision, Decision::kRejected);
  EXPECT_EQ(read.review->decisions[1].original_lesion->center_mm[0], -10);
  EXPECT_FALSE(read.review->decisions[2].original_lesion);
  ASSERT_EQ(read.lesions.size(), 1u);
  EXPECT_EQ(read.lesions[0].diameters_mm, (std::array<double, 2>{11, 4}));
  EXPECT_EQ(read.lesions[0].measurable, true);
  EXPECT_EQ(FindingsToJson(read), FindingsToJson(written));
}

TEST(ReviewDocument, MeasurableVerdictOverridesTheLimits) {
  const Findings read = ParseFindings(FindingsToJson(Reviewed()).dump(), "review.json");
  Lesion nodule = read.lesions[0];  // 11 x 4 mm: under the rano-lm limits of 10 x 5
  EXPECT_TRUE(IsMeasurableNodule(nodule, {10, 5}, false));
  nodule.measurable.reset();
  EXPECT_FALSE(IsMeasurableNodule(nodule, {10, 5}, false));
  nodule.measurable = false;
  nodule.diameters_mm = {20, 20};
  EXPECT_FALSE(IsMeasurableNodule(nodule, {10, 5}, false));
}

TEST(ReviewDocument, DecisionsMustAgreeWithTheLesionList) {
  auto document = FindingsToJson(Reviewed());
  auto still_listed = document;
  still_listed["lesions"].push_back(still_listed["review"]["decisions"][1]["original"]);
  EXPECT_THAT(Breach(still_listed),
              HasSubstr("review.decisions[1].finding: lesion \"N2\" is rejected but still"));
  auto gone = document;
  gone["lesions"] = nlohmann::ordered_json::array();
  gone["items"]["brain_nodules"]["status"] = "absent";
  EXPECT_THAT(Breach(gone), HasSubstr("review.decisions[0].finding: lesion \"N1\" is edited but not"));
  auto no_original = document;
  no_original["review"]["decisions"][1].erase("original");
  EXPECT_THAT(Breach(no_original), HasSubstr("review.decisions[1].original: a finding rejected must keep"));
  auto twice = document;
  twice["review"]["decisions"].push_back(twice["review"]["decisions"][2]);
  EXPECT_THAT(Breach(twice), HasSubstr("review.decisions[3].finding: a second decision"));
}

TEST(ReviewDocument, FieldsAreChecked) {
  auto document = FindingsToJson(Reviewed());
  auto decision = document;
  decision["review"]["decisions"][2]["decision"] = "maybe";
  EXPECT_THAT(Breach(decision),
              HasSubstr("unknown decision \"maybe\" (expected accepted, rejected, edited)"));
  auto when = document;
  when["review"]["decisions"][2]["at"] = "2026-11-23 18:06";
  EXPECT_THAT(Breach(when), HasSubstr("review.decisions[2].at: \"2026-11-23 18:06\" is not a UTC time"));
  auto item = document;
  item["review"]["decisions"][2]["finding"] = "items.spine";
  EXPECT_THAT(Breach(item), HasSubstr("unknown item \"spine\""));
  auto who = document;
  who["review"]["decisions"][0]["reviewer"] = "";
  EXPECT_THAT(Breach(who), HasSubstr("review.decisions[0].reviewer: must not be empty"));
  auto measurable = document;
  measurable["lesions"][0]["measurable"] = "yes";
  EXPECT_THAT(Breach(measurable), HasSubstr("lesions[0].measurable"));
}

TEST(ReviewDocument, SummaryCountsDecisionsAndPendingFindings) {
  const Findings read = ParseFindings(FindingsToJson(Reviewed()).dump(), "review.json");
  // Pending: the brain_nodules item (N1 and N2 were decided, the item was not).
  EXPECT_EQ(ReviewSummary(read), "1 accepted, 1 rejected, 1 edited, 1 pending (reviewer amy, jdoe)");
  EXPECT_EQ(ReviewSummary(testing::Baseline().Build()), "");
}

}  // namespace
}  // namespace leptoscan::scoring
