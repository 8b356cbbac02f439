// The parts of the case and batch runners that need no images: checksums, parameter files, output
// names, the cohort table and summary. The runs themselves are tested end to end in cli/batch_cli_test.sh.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "io/checksum.h"
#include "io/errors.h"
#include "io/temporary_folder.h"
#include "pipeline/batch.h"
#include "pipeline/cohort_page.h"
#include "pipeline/detection_parameters.h"
#include "scoring/errors.h"
#include "tests/scoring/findings_builder.h"

namespace leptoscan::pipeline {
namespace {

namespace fs = std::filesystem;
using scoring::testing::Baseline;
using scoring::testing::FollowUp;

void WriteText(const fs::path& file, const std::string& text) {
  std::ofstream(file, std::ios::binary) << text;
}

TEST(Checksum, MatchesTheSha256TestVectorsAndChangesWithANameOrAByte) {
  const io::TemporaryFolder folder("checksum-test");
  WriteText(folder.path() / "abc", "abc");  // FIPS 180-2, appendix B.1
  EXPECT_EQ(io::FileSha256(folder.path() / "abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  WriteText(folder.path() / "empty", "");
  EXPECT_EQ(io::FileSha256(folder.path() / "empty"),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

  const std::string series = io::FilesSha256({folder.path() / "abc", folder.path() / "empty"});
  fs::rename(folder.path() / "empty", folder.path() / "renamed");
  EXPECT_NE(io::FilesSha256({folder.path() / "abc", folder.path() / "renamed"}), series);
  WriteText(folder.path() / "renamed", "x");
  fs::rename(folder.path() / "renamed", folder.path() / "empty");
  EXPECT_NE(io::FilesSha256({folder.path() / "abc", folder.path() / "empty"}), series);
}

TEST(Checksum, NamesAnUnreadableFile) {
  try {
    io::FileSha256("/nonexistent/file.dcm");
    FAIL() << "no error";
  } catch (const io::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/file.dcm"), std::string::npos) << e.what();
  }
}

TEST(TemporaryFolder, IsRemovedWithItsContents) {
  fs::path kept;
  {
    const io::TemporaryFolder folder("temporary-test");
    kept = folder.path();
    fs::create_directories(kept / "a" / "b");
    WriteText(kept / "a" / "b" / "c", "x");
    EXPECT_TRUE(fs::is_directory(kept));
  }
  EXPECT_FALSE(fs::exists(kept));
}

TEST(DetectionParameters, RoundTripAndOverrideASubset) {
  DetectionParameters changed;
  changed.normal.threshold = 0.45;
  changed.nerves.grouping.merge_mm = 12;
  changed.scoring.pd_change = 0.4;
  const std::string text = DetectionParametersJson(changed);
  const DetectionParameters read = ParseDetectionParameters(text, "p.json");
  EXPECT_EQ(DetectionParametersJson(read), text);
  EXPECT_NE(text, DetectionParametersJson({}));

  const DetectionParameters subset =
      ParseDetectionParameters(R"({"detection": {"nodule_min_core_mm3": 20}})", "p.json");
  EXPECT_EQ(subset.nodules.min_core_mm3, 20);
  EXPECT_EQ(subset.normal.threshold, DetectionParameters{}.normal.threshold);
}

TEST(DetectionParameters, RejectsUnknownNamesAndBadValuesNamingTheField) {
  const auto message = [](const std::string& text) {
    try {
      ParseDetectionParameters(text, "tuned.json");
    } catch (const scoring::DocumentError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(
      message(R"({"detection": {"enhancement_treshold_wm": 0.3}})").find("detection.enhancement_treshold_wm"),
      std::string::npos);
  EXPECT_NE(message(R"({"detection": {"sulcal_max_depth_mm": -1}})").find("tuned.json"), std::string::npos);
  EXPECT_NE(message(R"({"detection": {"sulcal_max_depth_mm": "1"}})").find("sulcal_max_depth_mm"),
            std::string::npos);
  EXPECT_NE(message(R"({"detektion": {}})").find("unknown section"), std::string::npos);
  EXPECT_NE(message(R"({"scoring": {"pr_change": 0.5}})").find("pr_change"), std::string::npos);
}

TEST(SubjectFolderName, KeepsEveryIdentifierInsideTheOutputFolder) {
  EXPECT_EQ(SubjectFolderName("P001"), "P001");
  EXPECT_EQ(SubjectFolderName("../../etc"), ".._.._etc");
  EXPECT_EQ(SubjectFolderName(".."), "_..");
  EXPECT_EQ(SubjectFolderName(""), "_");
  EXPECT_EQ(SubjectFolderName("Doe^John\n/x"), "Doe_John__x");
}

CaseOutcome Scored(const std::string& subject, bool with_followup) {
  CaseOutcome outcome;
  outcome.subject = subject;
  outcome.folder = subject;
  const scoring::Findings baseline = Baseline().Nodule("N1", {0, 0, 0}, 12, 8).Evans(0.312).Build();
  std::vector<scoring::FollowUpInput> followups;
  if (with_followup) followups.push_back({FollowUp().Nodule("N1", {1, 0, 0}, 6, 4).Build(), {}, ""});
  CaseResult result;
  result.subject = subject;
  result.score = scoring::ScoreSubject(baseline, followups, scoring::Profile::kRanoLm, {});
  outcome.result = result;
  return outcome;
}

std::vector<std::map<std::string, std::string>> ParseTsv(const std::string& tsv) {
  std::vector<std::vector<std::string>> lines;
  std::istringstream in(tsv);
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> cells;
    std::istringstream row(line);
    for (std::string cell; std::getline(row, cell, '\t');)
      cells.push_back(cell);
    if (!line.empty() && line.back() == '\t') cells.emplace_back();
    lines.push_back(cells);
  }
  std::vector<std::map<std::string, std::string>> rows;
  for (std::size_t r = 1; r < lines.size(); ++r) {
    EXPECT_EQ(lines[r].size(), lines[0].size()) << "row " << r << " of\n" << tsv;
    std::map<std::string, std::string> row;
    for (std::size_t c = 0; c < lines[0].size() && c < lines[r].size(); ++c)
      row[lines[0][c]] = lines[r][c];
    rows.push_back(row);
  }
  return rows;
}

BatchResult ThreeCases() {
  BatchResult batch;
  batch.cases.push_back(Scored("P1", true));
  batch.cases.push_back(Scored("P2", false));
  CaseOutcome failed;
  failed.subject = "P3";
  failed.folder = "P3";
  failed.error = StageError("analysis", "20240101", "/data/P3/post/IM20.dcm: pixel data\ttruncated");
  batch.cases.push_back(failed);
  return batch;
}

TEST(BatchResults, OneRowPerFollowupOrSubjectWithItemsScoreAndErrors) {
  const auto rows = ParseTsv(ResultsTsv(ThreeCases()));
  ASSERT_EQ(rows.size(), 3u);
  const auto& followup = rows[0];
  EXPECT_EQ(followup.at("subject"), "P1");
  EXPECT_EQ(followup.at("status"), "ok");
  EXPECT_EQ(followup.at("baseline_date"), "2024-01-01");
  EXPECT_EQ(followup.at("date"), "2024-03-01");
  EXPECT_EQ(followup.at("days_from_baseline"), "60");
  EXPECT_EQ(followup.at("brain_nodules"), "present");
  EXPECT_EQ(followup.at("ependymal"), "absent");
  EXPECT_EQ(followup.at("baseline_composite_mm2"), "96");  // 12 x 8
  EXPECT_EQ(followup.at("composite_mm2"), "24");           // 6 x 4
  EXPECT_EQ(followup.at("change_percent"), "-75");
  EXPECT_EQ(followup.at("response"), "PR");
  EXPECT_EQ(followup.at("source").rfind("leptoscan ", 0), 0u);

  const auto& baseline_only = rows[1];
  EXPECT_EQ(baseline_only.at("date"), "2024-01-01");
  EXPECT_EQ(baseline_only.at("evans_index"), "0.312");
  EXPECT_EQ(baseline_only.at("response"), "");

  const auto& failed = rows[2];
  EXPECT_EQ(failed.at("status"), "failed");
  EXPECT_EQ(failed.at("error"), "analysis 20240101: /data/P3/post/IM20.dcm: pixel data truncated");
  EXPECT_EQ(failed.at("response"), "");
}

TEST(BatchResults, SummaryCountsResponsesAndFailures) {
  const auto summary = nlohmann::json::parse(SummaryJson(ThreeCases()));
  EXPECT_EQ(summary["subjects"], 3);
  EXPECT_EQ(summary["failed"], 1);
  EXPECT_EQ(summary["followup_responses"]["PR"], 1);
  EXPECT_EQ(summary["cases"][2]["stage"], "analysis");
  EXPECT_EQ(summary["cases"][2]["error"], "/data/P3/post/IM20.dcm: pixel data\ttruncated");
  EXPECT_EQ(summary["cases"][1]["status"], "ok");
}

TEST(BatchResults, SummaryPageLinksReportsPlotsBestChangesAndShowsFailures) {
  BatchResult batch = ThreeCases();
  batch.cases[2].error = StageError("analysis", "20240101", "/data/<P3>/IM20.dcm: truncated");
  const std::string html = CohortSummaryHtml(batch);
  EXPECT_NE(html.find("<a href=\"P1/report.html\">P1</a>"), std::string::npos);
  EXPECT_NE(html.find("<a href=\"P2/report.html\">P2</a>"), std::string::npos);
  EXPECT_NE(html.find("<a href=\"P3/error.json\">P3</a>"), std::string::npos);
  EXPECT_NE(html.find("analysis 20240101: /data/&lt;P3&gt;/IM20.dcm: truncated"), std::string::npos);
  EXPECT_NE(html.find("<dt>failed</dt><dd>1</dd>"), std::string::npos);
  EXPECT_NE(html.find("<dt>follow-ups</dt><dd>1</dd>"), std::string::npos);
  // One bar: P1 shrank by 75 %; P2 has no follow-up and P3 failed.
  EXPECT_NE(html.find("class=\"bar PR\"><title>P1: -75.0 %</title>"), std::string::npos);
  std::size_t bars = 0;
  for (std::size_t at = html.find("class=\"bar "); at != std::string::npos;
       at = html.find("class=\"bar ", at + 1))
    ++bars;
  EXPECT_EQ(bars, 1u);
  EXPECT_NE(html.find("progression at +25 %, response at -50 %"), std::string::npos);
  EXPECT_EQ(html.find("src=\"http"), std::string::npos);
}

}  // namespace
}  // namespace leptoscan::pipeline
