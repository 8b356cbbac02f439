// A study that has not been run, reviewed against a findings document from elsewhere
// (SubjectReview::Study): the study's post-contrast T1 series (not the pre-contrast one) is found by the
// index and its roles, decoded in LPS so that the findings' positions fall on the nodule, shown without
// pattern labels; decisions go to review.json beside the findings (or where asked), never into the study,
// whose files stay as they were; a missing or broken findings document and a study without a post-contrast
// series are errors naming the file or folder.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "io/checksum.h"
#include "io/errors.h"
#include "scoring/errors.h"
#include "scoring/findings_reader.h"
#include "tests/pipeline/synthetic_subject.h"
#include "viewer/review.h"
#include "viewer/snapshot.h"

namespace leptoscan::viewer {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

const std::string kAt = "2026-11-23T18:04:05Z";

// Every file under a folder with its SHA-256.
std::map<fs::path, std::string> Checksums(const fs::path& folder) {
  std::map<fs::path, std::string> sums;
  for (const auto& entry : fs::recursive_directory_iterator(folder))
    sums[entry.path()] = entry.is_regular_file() ? io::FileSha256(entry.path()) : "folder";
  return sums;
}

class StudyReview : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = fs::path(::testing::TempDir()) /
              ("study_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    study_ = folder_ / "study";
    findings_ = folder_ / "reader" / "findings.json";
    synthetic::WriteSyntheticStudy(study_, findings_);
  }
  // Keeps the study and the findings for the command-line test (tests/cli/view_cli_test.sh) when it asks.
  void TearDown() override {
    if (const char* keep = std::getenv("LEPTOSCAN_KEEP_STUDY")) {
      fs::remove_all(keep);
      fs::rename(folder_, keep);
    } else {
      fs::remove_all(folder_);
    }
  }

  SubjectReview::Study Study(const fs::path& review_file) const {
    return {study_, findings_, review_file, {}};
  }
  SubjectReview::Study Study() const { return Study(folder_ / "reader" / "review.json"); }

  fs::path folder_, study_, findings_;
};

TEST_F(StudyReview, ShowsThePostContrastSeriesWithTheFindingsAndNoPatterns) {
  SubjectReview review(Study());
  ASSERT_EQ(review.size(), 1u);
  EXPECT_EQ(review.subject(), synthetic::kSubject);
  EXPECT_FALSE(review.HasPatterns());
  // The post-contrast series (the pre-contrast one has no nodule), in LPS: N1's centre is on the nodule.
  const io::Volume& post = review.Post(0);
  EXPECT_NEAR(io::InterpolateLinear(post, post.geometry.PointToIndex(synthetic::kNodule)), 300, 1);
  EXPECT_NEAR(io::InterpolateLinear(post, post.geometry.PointToIndex({-20, -15, 10})), 100, 40);
  const io::Volume& patterns = review.Patterns(0);
  EXPECT_EQ(patterns.geometry.size, post.geometry.size);
  EXPECT_EQ(std::count(patterns.voxels.begin(), patterns.voxels.end(), 0.0f),
            static_cast<long>(post.voxels.size()));
  std::vector<std::string> ids;
  for (const FindingEntry& entry : review.timepoint(0).Entries())
    ids.push_back(entry.id);
  EXPECT_THAT(ids, ::testing::ElementsAre("items.brain_nodules", "items.brain_linear", "E1", "N1"));
  // r in the window: the baseline alone, under the rano-lm defaults (no manifest, no parameters.json).
  EXPECT_NO_THROW(review.ScoreReviewed());
}

// The mean of the pixels within `radius` of a point of the snapshot's slice (grey: all channels alike).
double MeanNear(const cv::Mat& image, const std::array<double, 2>& at, int radius) {
  double sum = 0;
  int count = 0;
  for (int r = -radius; r <= radius; ++r) {
    for (int c = -radius; c <= radius; ++c) {
      if (r * r + c * c > radius * radius) continue;
      const cv::Vec3b p = image.at<cv::Vec3b>(static_cast<int>(std::lround(at[1])) + r,
                                              static_cast<int>(std::lround(at[0])) + c);
      EXPECT_TRUE(p[0] == p[1] && p[1] == p[2]) << "grey";
      sum += p[1];
      ++count;
    }
  }
  return sum / count;
}

TEST_F(StudyReview, ASnapshotThroughAFindingShowsItAtTheTicks) {
  setenv("DISPLAY", ":987", 1);  // nothing may open a window
  SubjectReview review(Study());
  const auto render = [&](const synthetic::Point& point, cv::Mat* image) {
    const fs::path png = folder_ / "snapshot.png";
    const Snapshot snapshot =
        WriteSnapshot(review.Post(0), review.Patterns(0), {point, pipeline::SliceView::kAxial, "N1"}, png);
    *image = cv::imread(png.string(), cv::IMREAD_COLOR);
    return snapshot;
  };
  cv::Mat image;
  const Snapshot at_n1 = render(synthetic::kNodule, &image);
  // The nodule (300, twice the head's window) is white inside the ticks, which start 6 pixels out.
  EXPECT_GT(MeanNear(image, at_n1.grid.point_px, 5), 250);
  // No pattern colours in the slice: every pixel is grey.
  int coloured = 0;
  for (int r = 0; r < at_n1.grid.height; ++r) {
    for (int c = 0; c < at_n1.grid.width; ++c) {
      const cv::Vec3b p = image.at<cv::Vec3b>(r, c);
      coloured += p[0] != p[1] || p[1] != p[2];
    }
  }
  EXPECT_EQ(coloured, 0);
  // 20 mm to the patient's right, the ticks surround grey head.
  const Snapshot aside =
      render({synthetic::kNodule[0] - 20, synthetic::kNodule[1], synthetic::kNodule[2]}, &image);
  EXPECT_LT(MeanNear(image, aside.grid.point_px, 5), 200);
  EXPECT_NEAR(aside.grid.point_px[0], at_n1.grid.point_px[0] - 20 / at_n1.grid.pixel_mm, 1);
}

TEST_F(StudyReview, DecisionsGoBesideTheFindingsAndNeverIntoTheStudy) {
  const auto before = Checksums(study_);
  {
    SubjectReview review(Study());
    review.timepoint(0).Accept("N1", "amy", kAt);
    review.timepoint(0).Reject("E1", "amy", kAt);
    EXPECT_EQ(review.timepoint(0).Save(), folder_ / "reader" / "review.json");
  }
  const scoring::Findings saved = scoring::ReadFindings(folder_ / "reader" / "review.json");
  ASSERT_TRUE(saved.review);
  EXPECT_EQ(saved.review->findings, "findings.json");
  EXPECT_EQ(saved.review->decisions.size(), 3u);  // N1, E1 and its item
  EXPECT_EQ(saved.lesions.size(), 1u);
  // Resumed from where it was saved.
  EXPECT_EQ(SubjectReview(Study()).timepoint(0).Entries().back().decision, scoring::Decision::kAccepted);
  // Elsewhere, the review names the findings relative to itself.
  SubjectReview elsewhere(Study(folder_ / "reviews" / "P1.json"));
  elsewhere.timepoint(0).Accept("N1", "amy", kAt);
  elsewhere.timepoint(0).Save();
  EXPECT_EQ(scoring::ReadFindings(folder_ / "reviews" / "P1.json").review->findings,
            "../reader/findings.json");

  EXPECT_THAT([&] { SubjectReview(Study(study_ / "series2" / "review.json")); },
              ThrowsMessage<io::InputError>(HasSubstr("lies in the study folder " + study_.string())));
  EXPECT_THAT([&] { SubjectReview(Study(study_ / ".." / "study" / "review.json")); },
              ThrowsMessage<io::InputError>(HasSubstr("never written to")));
  EXPECT_EQ(Checksums(study_), before) << "the study folder is unchanged";
}

TEST_F(StudyReview, ErrorsNameTheFileOrFolder) {
  fs::remove(findings_);
  EXPECT_THAT([&] { SubjectReview{Study()}; },
              ThrowsMessage<io::InputError>(HasSubstr(findings_.string() + ": missing")));
  std::ofstream(findings_) << R"({"schema": "leptoscan.findings/1", "subject": "P1"})";
  EXPECT_THAT([&] { SubjectReview{Study()}; },
              ThrowsMessage<scoring::DocumentError>(HasSubstr(findings_.string())));
  std::ofstream(findings_) << "{ not json";
  EXPECT_THAT([&] { SubjectReview{Study()}; },
              ThrowsMessage<scoring::DocumentError>(HasSubstr(findings_.string())));

  synthetic::WriteSyntheticStudy(study_, findings_);
  fs::remove_all(study_ / "series2");
  EXPECT_THAT([&] { SubjectReview{Study()}; },
              ThrowsMessage<io::InputError>(
                  HasSubstr(study_.string() + ": holds no post-contrast T1 series (series: \"T1 MPRAGE\" "
                                              "t1_pre)")));
  fs::remove_all(study_ / "series1");
  EXPECT_THAT([&] { SubjectReview{Study()}; },
              ThrowsMessage<io::InputError>(HasSubstr(study_.string() + ": holds no DICOM image")));
}

}  // namespace
}  // namespace leptoscan::viewer
