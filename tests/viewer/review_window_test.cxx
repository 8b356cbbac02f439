// The review window under Xvfb (ctest runs this suite through xvfb-run): the slices through the current
// finding show the nodule's pattern colour when the nodule is current and not when the linear lesion is;
// keys n/p move between findings, a/x accept and reject, s saves review.json.
#include "viewer/review_window.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "pipeline/key_images.h"
#include "scoring/findings_reader.h"
#include "tests/pipeline/synthetic_subject.h"

namespace leptoscan::viewer {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

// Pixels of the pattern colour (within 40 on every channel: the outlines) in the three slice viewports
// (every quadrant but the panel's, bottom right, which holds the legend).
int ColourInViews(const fs::path& png, const std::array<unsigned char, 3>& rgb) {
  const cv::Mat image = cv::imread(png.string(), cv::IMREAD_COLOR);
  EXPECT_FALSE(image.empty());
  int count = 0;
  for (int r = 0; r < image.rows; ++r) {
    for (int c = 0; c < image.cols; ++c) {
      if (r >= image.rows / 2 && c >= image.cols / 2) continue;
      const cv::Vec3b bgr = image.at<cv::Vec3b>(r, c);
      count +=
          std::abs(bgr[2] - rgb[0]) < 40 && std::abs(bgr[1] - rgb[1]) < 40 && std::abs(bgr[0] - rgb[2]) < 40;
    }
  }
  return count;
}

TEST(ReviewWindow, ShowsTheCurrentFindingAndRecordsDecisionsFromKeys) {
  const fs::path folder = fs::path(::testing::TempDir()) / "review_window";
  synthetic::WriteSyntheticSubject(folder);
  SubjectReview review(folder);
  ReviewWindow window(review, 0, "tester");
  const auto red = pipeline::PatternColours()[3].rgb;
  ASSERT_EQ(pipeline::PatternColours()[3].label, 4);

  ASSERT_EQ(window.Current().id, "E1");  // the first lesion; the items have no position
  window.Capture(folder / "e1.png");
  EXPECT_EQ(ColourInViews(folder / "e1.png", red), 0) << "the slices through E1 miss the nodule";
  window.Key('n');
  ASSERT_EQ(window.Current().id, "N1");
  window.Capture(folder / "n1.png");
  EXPECT_GT(ColourInViews(folder / "n1.png", red), 3 * 40) << "three slices through the nodule";

  window.Key('x');
  EXPECT_THAT(window.PanelText(), HasSubstr("> N1                   rejected"));
  window.Key('p');
  window.Key('a');
  window.Key('n');
  window.Key('n');  // wraps round to the first item
  EXPECT_EQ(window.Current().id, "items.brain_nodules");
  window.Key('a');  // N1 was its only lesion: rejecting N1 rejected the item, accepting it restores it
  window.Key('?');
  EXPECT_THAT(window.PanelText(), HasSubstr("x      reject the finding"));
  window.Key('s');
  EXPECT_THAT(window.PanelText(), HasSubstr("saved " + (folder / "20240101" / "review.json").string()));

  const scoring::Findings saved = scoring::ReadFindings(folder / "20240101" / "review.json");
  ASSERT_TRUE(saved.review);
  std::vector<std::string> decisions;
  for (const auto& d : saved.review->decisions)
    decisions.push_back(d.finding + " " + std::string(scoring::DecisionName(d.decision)) + " " + d.reviewer);
  EXPECT_THAT(decisions,
              ::testing::UnorderedElementsAre("N1 rejected tester", "items.brain_nodules accepted tester",
                                              "E1 accepted tester"));
  window.Key('q');  // without Run(), nothing to close
  fs::remove_all(folder);
}

}  // namespace
}  // namespace leptoscan::viewer
