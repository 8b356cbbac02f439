// Snapshots of the synthetic subject, rendered with DISPLAY pointing nowhere: the nodule shows in the
// report's nodule colour where the anatomy puts it (radiological orientation, superior up), nowhere else,
// as the report's key image shows it, and the legend carries every pattern colour.
#include "viewer/snapshot.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "io/errors.h"
#include "tests/pipeline/synthetic_subject.h"

namespace leptoscan::viewer {
namespace {

namespace fs = std::filesystem;
using synthetic::Point;

// The head's bounding box of voxel centres (synthetic::Grid): x -49.5..49.5, y -59..59, z -49.5..49.5 mm;
// the longest side of a view gets 256 pixels: 118 mm on axial, 99 mm on coronal.
constexpr double kLowX = -49.5, kLowY = -59, kHighZ = 49.5, kPixelMm = 118.0 / 255,
                 kCoronalPixelMm = 99.0 / 255;

cv::Point2d AxialPixel(const Point& p) {
  return {(p[0] - kLowX) / kPixelMm, (p[1] - kLowY) / kPixelMm};
}
cv::Point2d CoronalPixel(const Point& p) {
  return {(p[0] - kLowX) / kCoronalPixelMm, (kHighZ - p[2]) / kCoronalPixelMm};
}

cv::Vec3b At(const cv::Mat& image, const cv::Point2d& p) {
  return image.at<cv::Vec3b>(static_cast<int>(std::lround(p.y)), static_cast<int>(std::lround(p.x)));
}

// Tinted by the pattern (a 40% fill over grey, or the outline): every channel the colour has strongly (200
// and up) exceeds every channel it hardly has (under 100) by 50.
bool Coloured(const cv::Vec3b& bgr, const std::array<unsigned char, 3>& rgb) {
  for (int high = 0; high < 3; ++high) {
    for (int low = 0; low < 3; ++low) {
      if (rgb[high] >= 200 && rgb[low] < 100 && bgr[2 - high] < bgr[2 - low] + 50) return false;
    }
  }
  return true;
}

const pipeline::PatternColour& Colour(int label) {
  for (const auto& colour : pipeline::PatternColours()) {
    if (colour.label == label) return colour;
  }
  throw std::logic_error("no such pattern");
}

class SnapshotTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Anything that tried to open a window would fail here.
    setenv("DISPLAY", ":987", 1);
    folder_ = fs::path(::testing::TempDir()) /
              ("snapshot_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::create_directories(folder_);
    std::tie(post_, patterns_) = synthetic::Scans(6);
  }
  void TearDown() override { fs::remove_all(folder_); }

  cv::Mat Render(const Point& point, pipeline::SliceView view, Snapshot* snapshot = nullptr) {
    const fs::path png = folder_ / "snapshot.png";
    const Snapshot written = WriteSnapshot(post_, patterns_, {point, view, "P1 2024-01-01 N1"}, png);
    if (snapshot) *snapshot = written;
    const cv::Mat image = cv::imread(png.string(), cv::IMREAD_COLOR);
    EXPECT_EQ(image.cols, written.width);
    EXPECT_EQ(image.rows, written.height);
    return image;
  }

  fs::path folder_;
  io::Volume post_, patterns_;
};

TEST_F(SnapshotTest, NoduleHasItsPatternColourWhereItIsAndNowhereElse) {
  Snapshot snapshot;
  const cv::Mat image = Render(synthetic::kNodule, pipeline::SliceView::kAxial, &snapshot);
  ASSERT_FALSE(image.empty());
  EXPECT_EQ(snapshot.grid.height, 256);
  const auto red = Colour(4).rgb;
  const cv::Point2d nodule = AxialPixel(synthetic::kNodule);
  EXPECT_GT(nodule.x, snapshot.grid.width / 2.0) << "the patient's left is on the image right";
  EXPECT_LT(nodule.y, snapshot.grid.height / 2.0) << "anterior is up";
  EXPECT_TRUE(Coloured(At(image, nodule), red)) << At(image, nodule);
  // Control: the mirror position on the patient's right is plain head; no red anywhere else in the slice.
  const cv::Vec3b mirror = At(image, AxialPixel({-synthetic::kNodule[0], synthetic::kNodule[1], 10}));
  EXPECT_FALSE(Coloured(mirror, red)) << mirror;
  EXPECT_GT(mirror[1], 30);
  int inside = 0, outside = 0;
  for (int r = 0; r < snapshot.grid.height; ++r) {
    for (int c = 0; c < snapshot.grid.width; ++c) {
      if (!Coloured(image.at<cv::Vec3b>(r, c), red)) continue;
      (std::hypot(c - nodule.x, r - nodule.y) * kPixelMm <= 6 + 1 ? inside : outside)++;
    }
  }
  EXPECT_GT(inside, 400);  // a disc of radius 6 mm is 113 mm2, 530 pixels
  EXPECT_EQ(outside, 0);
}

TEST_F(SnapshotTest, ShowsTheNoduleAsTheReportsKeyImageDoes) {
  const cv::Mat image = Render(synthetic::kNodule, pipeline::SliceView::kAxial);
  const pipeline::KeyImage key = pipeline::RenderKeyImage(
      post_, patterns_, synthetic::kNodule, pipeline::SliceView::kAxial, pipeline::HeadWindow(post_));
  const cv::Mat report =
      cv::imdecode(std::vector<unsigned char>(key.png.begin(), key.png.end()), cv::IMREAD_COLOR);
  ASSERT_FALSE(report.empty());
  EXPECT_EQ(report.rows, 256);
  for (const Point& p : {synthetic::kNodule, Point{22, -13, 10}, Point{-20, -15, 10}, Point{35, -15, 10}}) {
    const cv::Vec3b ours = At(image, AxialPixel(p)), theirs = At(report, AxialPixel(p));
    for (int k = 0; k < 3; ++k)
      EXPECT_NEAR(ours[k], theirs[k], 12)
          << "at (" << p[0] << ", " << p[1] << "): " << ours << " vs " << theirs;
  }
}

TEST_F(SnapshotTest, CoronalHasSuperiorUp) {
  Snapshot snapshot;
  const cv::Mat image = Render(synthetic::kNodule, pipeline::SliceView::kCoronal, &snapshot);
  const cv::Point2d nodule = CoronalPixel(synthetic::kNodule);
  EXPECT_LT(nodule.y, snapshot.grid.height / 2.0);
  EXPECT_TRUE(Coloured(At(image, nodule), Colour(4).rgb)) << At(image, nodule);
  EXPECT_FALSE(Coloured(At(image, CoronalPixel({20, -15, -10})), Colour(4).rgb));
}

TEST_F(SnapshotTest, LegendHoldsEveryPatternColour) {
  Snapshot snapshot;
  const cv::Mat image = Render(synthetic::kLinear, pipeline::SliceView::kSagittal, &snapshot);
  ASSERT_GT(image.rows, snapshot.grid.height + 5 * 12);
  const cv::Mat legend = image.rowRange(snapshot.grid.height, image.rows);
  for (const pipeline::PatternColour& colour : pipeline::PatternColours()) {
    const cv::Vec3b bgr(colour.rgb[2], colour.rgb[1], colour.rgb[0]);
    int exact = 0;
    for (auto it = legend.begin<cv::Vec3b>(); it != legend.end<cv::Vec3b>(); ++it)
      exact += *it == bgr;
    EXPECT_GE(exact, 100) << colour.name;  // a 12 x 12 swatch
  }
  // The linear patch (label 1) is in the sagittal slice through it.
  int yellow = 0;
  for (int r = 0; r < snapshot.grid.height; ++r) {
    for (int c = 0; c < snapshot.grid.width; ++c)
      yellow += Coloured(image.at<cv::Vec3b>(r, c), Colour(1).rgb);
  }
  EXPECT_GT(yellow, 100);
}

TEST_F(SnapshotTest, AFileThatCannotBeWrittenIsNamed) {
  const fs::path png = folder_ / "no-such-folder" / "snapshot.png";
  EXPECT_THROW(
      {
        try {
          WriteSnapshot(post_, patterns_, {synthetic::kNodule, pipeline::SliceView::kAxial, ""}, png);
        } catch (const io::InputError& e) {
          EXPECT_NE(std::string(e.what()).find(png.string()), std::string::npos) << e.what();
          throw;
        }
      },
      io::InputError);
}

}  // namespace
}  // namespace leptoscan::viewer
