// The parameters file: defaults of domain.md, partial overrides, errors naming the parameter, and the
// complete set written back in the spelling the file uses.
#include "scoring/parameters.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "scoring/errors.h"

namespace leptoscan::scoring {
namespace {

using ::testing::HasSubstr;

TEST(ScoreParameters, DefaultsAreThoseOfTheDomainNotes) {
  const ScoringParameters p = ParseParameters("{}", "p.json");
  EXPECT_EQ(p.pr_change, -0.5);
  EXPECT_EQ(p.pd_change, 0.25);
  EXPECT_EQ(p.max_targets, 5);
  EXPECT_EQ(p.measurable_mm, (std::array<double, 2>{10, 5}));
  EXPECT_EQ(p.lano_measurable_mm, (std::array<double, 2>{5, 5}));
  EXPECT_EQ(p.lano_nodules_per_item, 3);
  EXPECT_FALSE(p.measurable_inclusive);
  EXPECT_EQ(p.evans_index_enlarged, 0.3);
}

TEST(ScoreParameters, FileOverridesOnlyWhatItNames) {
  const ScoringParameters p = ParseParameters(
      R"({"pd_change": 0.2, "measurable_mm": [12, 6], "measurable_inclusive": true})", "p.json");
  EXPECT_EQ(p.pd_change, 0.2);
  EXPECT_EQ(p.measurable_mm, (std::array<double, 2>{12, 6}));
  EXPECT_TRUE(p.measurable_inclusive);
  EXPECT_EQ(p.pr_change, -0.5);
}

TEST(ScoreParameters, WrittenSetReadsBackTheSame) {
  ScoringParameters p;
  p.pr_change = -0.3;
  p.max_targets = 3;
  p.lano_measurable_mm = {6, 4};
  p.match_distance_mm = 7.5;
  const ScoringParameters back = ParseParameters(ParametersJson(p), "written.json");
  EXPECT_EQ(back.pr_change, -0.3);
  EXPECT_EQ(back.max_targets, 3);
  EXPECT_EQ(back.lano_measurable_mm, (std::array<double, 2>{6, 4}));
  EXPECT_EQ(back.match_distance_mm, 7.5);
  EXPECT_EQ(ParametersJson(back), ParametersJson(p));
}

TEST(ScoreParameters, ErrorsNameTheParameter) {
  const std::pair<const char*, const char*> cases[] = {
      {R"({"pd_chnage": 0.2})", "p.json: pd_chnage: unknown parameter (known: pr_change, pd_change"},
      {R"({"pd_change": "25%"})", "p.json: pd_change: expected a number"},
      {R"({"pr_change": 0.5})", "p.json: pr_change: a response is a negative change"},
      {R"({"max_targets": 2.5})", "p.json: max_targets: expected a whole number"},
      {R"({"max_targets": 0})", "p.json: max_targets: 0 is below the minimum 1"},
      {R"({"measurable_mm": [10]})", "p.json: measurable_mm: expected [longest, perpendicular]"},
      {R"({"match_distance_mm": -1})", "p.json: match_distance_mm: -1 is below the minimum 0"},
      {R"([1, 2])", "p.json: expected an object"},
  };
  for (const auto& [text, message] : cases) {
    try {
      ParseParameters(text, "p.json");
      ADD_FAILURE() << "accepted " << text;
    } catch (const DocumentError& e) {
      EXPECT_THAT(e.what(), HasSubstr(message));
    }
  }
}

}  // namespace
}  // namespace leptoscan::scoring
