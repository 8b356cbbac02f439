// 3-D snapshots of the synthetic subject, rendered with OpenGL on the X display that ctest provides with
// xvfb-run: every pattern's surface shows in its colour where the anatomy puts it (seen from the front, the
// patient's left on the image right, superior up), the nodule's colour is gone when its label is, the view
// through a finding centres it, and without a display the error says what to do.
#include <gtest/gtest.h>

#include <cstdlib>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "tests/pipeline/synthetic_subject.h"
#include "viewer/snapshot.h"

namespace leptoscan::viewer {
namespace {

namespace fs = std::filesystem;
using synthetic::Point;

constexpr int kViewSize = 512;  // WriteSnapshot3D's view, above the legend

// Balls of the patterns the synthetic subject lacks: ependymal, cranial nerve, parenchymal nodule.
constexpr Point kEpendymal = {-5, 25, -15}, kNerve = {10, -35, -25}, kParenchymal = {-20, -20, -5};

const pipeline::PatternColour& Colour(int label) {
  for (const auto& colour : pipeline::PatternColours()) {
    if (colour.label == label) return colour;
  }
  throw std::logic_error("no such pattern");
}

// A shade of the colour: saturated (its channels span 40 and more) with its channels in the colour's
// proportions (the colour less its smallest channel, as a direction, within 0.95 in cosine). Lighting and the
// translucent grey head change the brightness and add grey, not the hue; the head alone is grey.
bool ShadeOf(const cv::Vec3b& bgr, const std::array<unsigned char, 3>& rgb) {
  const double p[3] = {double(bgr[2]), double(bgr[1]), double(bgr[0])};
  const double p_min = std::min({p[0], p[1], p[2]}), p_max = std::max({p[0], p[1], p[2]});
  if (p_max - p_min < 40) return false;
  const double c_min = std::min({rgb[0], rgb[1], rgb[2]});
  double dot = 0, pp = 0, cc = 0;
  for (int k = 0; k < 3; ++k) {
    dot += (p[k] - p_min) * (rgb[k] - c_min);
    pp += (p[k] - p_min) * (p[k] - p_min);
    cc += (rgb[k] - c_min) * (rgb[k] - c_min);
  }
  return dot / std::sqrt(pp * cc) > 0.95;
}

struct Pixels {
  int count = 0;
  cv::Point2d centroid{0, 0};
};

Pixels ShadesOf(const cv::Mat& view, int label) {
  Pixels pixels;
  for (int r = 0; r < view.rows; ++r) {
    for (int c = 0; c < view.cols; ++c) {
      if (!ShadeOf(view.at<cv::Vec3b>(r, c), Colour(label).rgb)) continue;
      ++pixels.count;
      pixels.centroid += cv::Point2d(c, r);
    }
  }
  if (pixels.count > 0) pixels.centroid /= pixels.count;
  return pixels;
}

void PaintBall(io::Volume& patterns, const Point& centre, double radius, int label) {
  for (std::size_t v = 0; v < patterns.voxels.size(); ++v) {
    const Point p = patterns.geometry.VoxelCentre(v);
    if (std::hypot(p[0] - centre[0], p[1] - centre[1], p[2] - centre[2]) <= radius)
      patterns.voxels[v] = static_cast<float>(label);
  }
}

class Snapshot3DTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = fs::path(::testing::TempDir()) /
              ("snapshot3d_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::create_directories(folder_);
    std::tie(post_, patterns_) = synthetic::Scans(6);
  }
  void TearDown() override { fs::remove_all(folder_); }

  // The whole PNG; View() is its 3-D view.
  cv::Mat Render(const io::Volume& patterns, const Point& point, const std::string& name) {
    const fs::path png = folder_ / (name + ".png");
    const Snapshot written = WriteSnapshot3D(post_, patterns, {point, {}, "P1 2024-01-01 " + name}, png);
    EXPECT_EQ(written.grid.width, kViewSize);
    EXPECT_EQ(written.grid.height, kViewSize);
    const cv::Mat image = cv::imread(png.string(), cv::IMREAD_COLOR);
    EXPECT_EQ(image.cols, written.width);
    EXPECT_EQ(image.rows, written.height);
    if (const char* keep = std::getenv("LEPTOSCAN_KEEP_SNAPSHOTS"))
      fs::copy_file(png, fs::path(keep) / png.filename(), fs::copy_options::overwrite_existing);
    return image;
  }
  static cv::Mat View(const cv::Mat& image) { return image.rowRange(0, kViewSize); }

  fs::path folder_;
  io::Volume post_, patterns_;
};

TEST_F(Snapshot3DTest, EveryPatternShowsInItsColourWhereItIs) {
  io::Volume all = patterns_;
  PaintBall(all, kEpendymal, 4, 2);
  PaintBall(all, kNerve, 4, 3);
  PaintBall(all, kParenchymal, 4, 5);
  const Point centre = pipeline::HeadCentre(post_);
  const cv::Mat image = Render(all, centre, "front");
  ASSERT_FALSE(image.empty());
  const cv::Mat view = View(image);
  for (const pipeline::PatternColour& colour : pipeline::PatternColours())
    EXPECT_GT(ShadesOf(view, colour.label).count, 100) << colour.name;
  // From the front the image's x runs to the patient's left and its y down to inferior, both about linearly
  // near the head centre: each ball lies on the side of the centre its position says.
  const cv::Point2d middle(kViewSize / 2.0, kViewSize / 2.0);
  for (const auto& [label, where] :
       {std::pair{4, synthetic::kNodule}, std::pair{1, synthetic::kLinear}, std::pair{2, kEpendymal},
        std::pair{3, kNerve}, std::pair{5, kParenchymal}}) {
    const cv::Point2d at = ShadesOf(view, label).centroid;
    EXPECT_EQ(at.x > middle.x, where[0] > centre[0]) << Colour(label).name << " at " << at;
    EXPECT_EQ(at.y<middle.y, where[2]> centre[2]) << Colour(label).name << " at " << at;
  }
  // The legend below the view holds every swatch, exactly.
  const cv::Mat legend = image.rowRange(kViewSize, image.rows);
  for (const pipeline::PatternColour& colour : pipeline::PatternColours()) {
    const cv::Vec3b bgr(colour.rgb[2], colour.rgb[1], colour.rgb[0]);
    int exact = 0;
    for (auto it = legend.begin<cv::Vec3b>(); it != legend.end<cv::Vec3b>(); ++it)
      exact += *it == bgr;
    EXPECT_GE(exact, 100) << colour.name;
  }
}

TEST_F(Snapshot3DTest, TheNodulesColourGoesWithItsLabel) {
  const Point centre = pipeline::HeadCentre(post_);
  const cv::Mat with = View(Render(patterns_, centre, "with"));
  io::Volume without = patterns_;
  for (float& label : without.voxels) {
    if (label == 4) label = 0;
  }
  const cv::Mat no_nodule = View(Render(without, centre, "without"));
  EXPECT_GT(ShadesOf(with, 4).count, 500);
  EXPECT_EQ(ShadesOf(no_nodule, 4).count, 0);
  EXPECT_GT(ShadesOf(no_nodule, 1).count, 100) << "the linear patch is still drawn";
}

TEST_F(Snapshot3DTest, AViewThroughAFindingCentresIt) {
  const Pixels nodule = ShadesOf(View(Render(patterns_, synthetic::kNodule, "nodule")), 4);
  ASSERT_GT(nodule.count, 500);
  EXPECT_NEAR(nodule.centroid.x, kViewSize / 2.0, 15);
  EXPECT_NEAR(nodule.centroid.y, kViewSize / 2.0, 15);
  const Pixels linear = ShadesOf(View(Render(patterns_, synthetic::kLinear, "linear")), 1);
  ASSERT_GT(linear.count, 300) << "seen from its side, the patch is a disc";
  EXPECT_NEAR(linear.centroid.x, kViewSize / 2.0, 15);
  EXPECT_NEAR(linear.centroid.y, kViewSize / 2.0, 15);
}

TEST_F(Snapshot3DTest, WithoutADisplayTheErrorSaysWhatToDo) {
  const std::string display = std::getenv("DISPLAY") ? std::getenv("DISPLAY") : "";
  unsetenv("DISPLAY");
  try {
    WriteSnapshot3D(post_, patterns_, {synthetic::kNodule, {}, ""}, folder_ / "x.png");
    ADD_FAILURE() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("xvfb-run -a"), std::string::npos) << e.what();
  }
  setenv("DISPLAY", display.c_str(), 1);
  EXPECT_FALSE(fs::exists(folder_ / "x.png"));
}

}  // namespace
}  // namespace leptoscan::viewer
