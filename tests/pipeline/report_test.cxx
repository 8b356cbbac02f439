// The subject report on a synthetic subject folder (tests/pipeline/synthetic_subject.h). The report must be
// self-contained, escape what it shows, carry the items, nodules and score, and its key images must show
// the nodule where the patient's anatomy puts it, in radiological orientation.
#include "pipeline/report.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "io/errors.h"
#include "scoring/findings_writer.h"
#include "scoring/subject_score.h"
#include "tests/pipeline/synthetic_subject.h"
#include "tests/scoring/findings_builder.h"

namespace leptoscan::pipeline {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using namespace synthetic;

// EXPECT_THAT(html, HasSubstr(text)) would print the whole report, images and all, on failure.
#define EXPECT_HAS(html, text) EXPECT_NE((html).find(text), std::string::npos) << "missing: " << (text)
#define EXPECT_HAS_NOT(html, text) EXPECT_EQ((html).find(text), std::string::npos) << "present: " << (text)

class SubjectReport : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = fs::path(::testing::TempDir()) /
              ("report_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    score_ = WriteSyntheticSubject(folder_);
  }

  // Keeps the folder for the browser test (tests/cli/report_cli_test.sh) when it asks for it.
  void TearDown() override {
    if (const char* keep = std::getenv("LEPTOSCAN_KEEP_REPORT_SUBJECT")) {
      fs::remove_all(keep);
      fs::rename(folder_, keep);
    } else {
      fs::remove_all(folder_);
    }
  }

  fs::path folder_;
  scoring::SubjectScore score_;
};

// The first image whose alt text is `alt`, decoded. (std::regex recurses per character: no use on base64.)
cv::Mat EmbeddedImage(const std::string& html, const std::string& alt) {
  const std::size_t tag = html.find("<img alt=\"" + alt + "\"");
  const std::string prefix = "src=\"data:image/png;base64,";
  const std::size_t start = tag == std::string::npos ? tag : html.find(prefix, tag);
  if (start == std::string::npos) return {};
  const std::size_t end = html.find('"', start + prefix.size());
  static const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::vector<unsigned char> bytes;
  unsigned bits = 0, value = 0;
  for (std::size_t i = start + prefix.size(); i < end && html[i] != '='; ++i) {
    const std::size_t digit = alphabet.find(html[i]);
    if (digit == std::string::npos) return {};
    value = value << 6 | static_cast<unsigned>(digit);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push_back(static_cast<unsigned char>(value >> bits & 0xff));
    }
  }
  return cv::imdecode(bytes, cv::IMREAD_COLOR);
}

bool Red(const cv::Vec3b& bgr) {
  return bgr[2] > bgr[1] + 60 && bgr[2] > bgr[0] + 60;
}

// The axial key image covers the LPS bounding box of the voxel centres: columns towards the patient's left
// from its right edge, rows towards posterior from its front.
cv::Point2d AxialPixel(const cv::Mat& image, const Point& p) {
  const double x_low = -49.5, x_high = 49.5, y_low = -59, y_high = 59;
  const double pixel = std::min((x_high - x_low) / (image.cols - 1), (y_high - y_low) / (image.rows - 1));
  return {(p[0] - x_low) / pixel, (p[1] - y_low) / pixel};
}

cv::Vec3b At(const cv::Mat& image, const cv::Point2d& p) {
  return image.at<cv::Vec3b>(static_cast<int>(std::lround(p.y)), static_cast<int>(std::lround(p.x)));
}

TEST_F(SubjectReport, IsSelfContainedAndEscapesWhatItShows) {
  const std::string html = SubjectReportHtml(folder_);
  EXPECT_HAS_NOT(html, "http:");
  EXPECT_HAS_NOT(html, "https:");
  EXPECT_HAS_NOT(html, "<script");
  EXPECT_HAS_NOT(html, "<link");
  int images = 0;
  for (std::size_t at = html.find("src="); at != std::string::npos; at = html.find("src=", at + 1), ++images)
    EXPECT_EQ(html.compare(at, 27, "src=\"data:image/png;base64,"), 0) << html.substr(at, 40);
  EXPECT_EQ(images, 2 * 2 * 3);  // two lesions, three views, two time points
  EXPECT_HAS_NOT(html, kSubject);
  EXPECT_HAS(html, "<h1>LeptoScan report: P&lt;1&gt;&amp;&quot;x&quot;</h1>");
}

TEST_F(SubjectReport, HoldsTheItemsNodulesAndScore) {
  const std::string html = SubjectReportHtml(folder_);
  for (const char* item : {"brain_nodules", "brain_linear", "ependymal", "cranial_nerves", "hydrocephalus",
                           "spine_nodules", "spine_linear", "spinal_nerve_roots"})
    EXPECT_HAS(html, std::string("<td>") + item + "</td>");
  EXPECT_HAS(html, "Evans index 0.25");
  EXPECT_HAS(html, "extent 150.0 mm²");
  EXPECT_HAS(html, "subregions: sulcal");
  EXPECT_HAS(html, "spine not imaged");
  EXPECT_HAS(html, "<td>12.0 × 12.0</td>");  // baseline nodule
  EXPECT_HAS(html, "<td>6.0 × 6.0</td>");    // follow-up
  EXPECT_HAS(html, "<td>0.905</td>");
  EXPECT_HAS(html, "EANO-ESMO type</dt><dd>C</dd>");
  const scoring::Assessment& assessment = score_.followups[0].assessment;
  ASSERT_EQ(assessment.response, scoring::Response::kPR);
  EXPECT_HAS(html, "response <span class=\"response PR\">PR</span>");
  EXPECT_HAS(html, "composite 294.0 mm² → 96.0 mm² (change -67.3%)");
  EXPECT_HAS(html, "<li>" + HtmlEscape(assessment.trace.back()) + "</li>");
  EXPECT_HAS(html, "new lesions: none");
  EXPECT_HAS(html, "<svg class=\"composite\"");
  EXPECT_HAS(html, "<td>registration</td><td>20240301</td><td>7.2</td><td>skipped</td>");
  EXPECT_LT(html.find("2024-01-01 — baseline"), html.find("2024-03-01 — follow-up"));
}

TEST_F(SubjectReport, KeyImageShowsTheNoduleWhereItIsInRadiologicalOrientation) {
  const cv::Mat axial = EmbeddedImage(SubjectReportHtml(folder_), "N1 axial");
  ASSERT_FALSE(axial.empty());
  const cv::Point2d nodule = AxialPixel(axial, kNodule);
  EXPECT_GT(nodule.x, axial.cols / 2.0) << "the patient's left is on the image right";
  EXPECT_LT(nodule.y, axial.rows / 2.0) << "anterior is up";
  EXPECT_TRUE(Red(At(axial, nodule))) << At(axial, nodule);
  for (const cv::Point2d corner : {cv::Point2d(2, 2), cv::Point2d(axial.cols - 3, axial.rows - 3)})
    EXPECT_FALSE(Red(At(axial, corner)));
  // The marker block on the patient's left is bright; its mirror image on the right is plain head.
  const Point marker = {35, -15, 10}, mirror = {-35, -15, 10};
  EXPECT_GT(At(axial, AxialPixel(axial, marker))[1], 240);
  EXPECT_LT(At(axial, AxialPixel(axial, mirror))[1], 200);
  EXPECT_GT(At(axial, AxialPixel(axial, mirror))[1], 30);
  // Square pixels: the 12 mm round nodule is as tall as it is wide, although its rows are 2 mm apart.
  int wide = 0, tall = 0;
  for (int c = 0; c < axial.cols; ++c)
    wide += Red(axial.at<cv::Vec3b>(static_cast<int>(std::lround(nodule.y)), c));
  for (int r = 0; r < axial.rows; ++r)
    tall += Red(axial.at<cv::Vec3b>(r, static_cast<int>(std::lround(nodule.x))));
  EXPECT_GT(wide, 10);
  EXPECT_NEAR(double(tall) / wide, 1.0, 0.25) << wide << " x " << tall;
}

TEST_F(SubjectReport, CoronalAndSagittalHaveSuperiorUp) {
  const std::string html = SubjectReportHtml(folder_);
  // The nodule lies 10 mm above the centre: in the upper half of both.
  for (const char* view : {"N1 coronal", "N1 sagittal"}) {
    const cv::Mat image = EmbeddedImage(html, view);
    ASSERT_FALSE(image.empty()) << view;
    int upper = 0, lower = 0;
    for (int r = 0; r < image.rows; ++r) {
      for (int c = 0; c < image.cols; ++c)
        (r < image.rows / 2 ? upper : lower) += Red(image.at<cv::Vec3b>(r, c));
    }
    EXPECT_GT(upper, 20) << view;
    EXPECT_EQ(lower, 0) << view;
  }
}

TEST_F(SubjectReport, BoundsTheKeyImagesAndShowsAnOverviewWithoutLesions) {
  ReportOptions options;
  options.max_lesion_images = 1;
  const std::string html = SubjectReportHtml(folder_, options);
  EXPECT_HAS(html, "1 more lesion(s) not shown");
  int images = 0;
  for (std::size_t at = html.find("<img "); at != std::string::npos; at = html.find("<img ", at + 1))
    ++images;
  EXPECT_EQ(images, 2 * 3);  // one lesion, three views, two time points

  scoring::testing::FindingsBuilder empty = scoring::testing::Baseline();
  empty.json()["subject"] = kSubject;
  scoring::WriteFindings(empty.Build(), folder_ / "20240101" / "findings.json");
  const std::string overview = SubjectReportHtml(folder_);
  EXPECT_HAS(overview, "No lesions: overview through the head centre");
  EXPECT_FALSE(EmbeddedImage(overview, "overview axial").empty());
}

TEST_F(SubjectReport, MissingFilesAreNamed) {
  const auto message = [this] {
    try {
      SubjectReportHtml(folder_);
    } catch (const io::InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  fs::remove(folder_ / "20240301" / "score.json");
  EXPECT_THAT(message(), HasSubstr("20240301/score.json: missing"));
  fs::remove(folder_ / "20240301" / "patterns.nii.gz");
  EXPECT_THAT(message(), HasSubstr("20240301/patterns.nii.gz: missing"));
  fs::remove(folder_ / "manifest.json");
  EXPECT_THAT(message(), HasSubstr("manifest.json: missing"));
}

TEST_F(SubjectReport, BaselineNeedsNoScoreAndTheReportIsWrittenBesideTheManifest) {
  EXPECT_FALSE(fs::exists(folder_ / "20240101" / "score.json"));
  const fs::path written = WriteSubjectReport(folder_);
  EXPECT_EQ(written, folder_ / "report.html");
  std::ifstream in(written);
  const std::string html((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(html, SubjectReportHtml(folder_));
}

TEST(HtmlEscape, EscapesMarkupCharacters) {
  EXPECT_EQ(HtmlEscape("P<1>&\"x\"'"), "P&lt;1&gt;&amp;&quot;x&quot;&#39;");
  EXPECT_EQ(HtmlEscape("plain"), "plain");
}

}  // namespace
}  // namespace leptoscan::pipeline
