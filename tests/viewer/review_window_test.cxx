// The review window under Xvfb (ctest runs this suite through xvfb-run), on the synthetic subject, whose
// follow-up is registered to the baseline by a shift (synthetic::kFollowupShift): the slices through the
// current finding show the nodule's pattern colour when the nodule is current and not when the linear lesion
// is; the follow-up is shown beside the baseline in the baseline's frame, the cursor carried through the
// registration; a click on a slice moves the cursor in every view; keys and drags change window and level;
// the 3-D view shows the nodule's surface; r scores the reviewed findings as `leptoscan score` does; keys
// n/p move between findings, a/x accept and reject, s saves review.json.
#include "viewer/review_window.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "pipeline/key_images.h"
#include "scoring/findings_reader.h"
#include "scoring/score_table.h"
#include "tests/pipeline/synthetic_subject.h"

namespace leptoscan::viewer {
namespace {

namespace fs = std::filesystem;
using synthetic::Point;
using ::testing::HasSubstr;

// The window's layout (review_window.cxx): the slices in the left 60%, three columns, two rows when
// comparing; the 3-D view above the panel on the right. Rectangles in image pixels (rows from the top).
constexpr double kSlices = 0.6;
cv::Rect SliceRect(const cv::Mat& image, int row, int rows, int view) {
  const int width = static_cast<int>(image.cols * kSlices / 3), height = image.rows / rows;
  return {width * view, height * row, width, height};
}
cv::Rect AllSlices(const cv::Mat& image) {
  return {0, 0, static_cast<int>(image.cols * kSlices), image.rows};
}
cv::Rect View3D(const cv::Mat& image) {
  const int x = static_cast<int>(image.cols * kSlices);
  return {x, 0, image.cols - x, static_cast<int>(image.rows * 0.55)};
}

const std::array<unsigned char, 3>& Red() {
  EXPECT_EQ(pipeline::PatternColours()[3].label, 4);
  return pipeline::PatternColours()[3].rgb;
}

// Pixels of the colour (within 40 on every channel: the outlines) in `rect`, and their centroid.
struct Pixels {
  int count = 0;
  cv::Point2d centroid{0, 0};
};
Pixels ColourIn(const cv::Mat& image, const cv::Rect& rect, const std::array<unsigned char, 3>& rgb) {
  Pixels pixels;
  for (int r = rect.y; r < rect.y + rect.height; ++r) {
    for (int c = rect.x; c < rect.x + rect.width; ++c) {
      const cv::Vec3b bgr = image.at<cv::Vec3b>(r, c);
      if (std::abs(bgr[2] - rgb[0]) < 40 && std::abs(bgr[1] - rgb[1]) < 40 &&
          std::abs(bgr[0] - rgb[2]) < 40) {
        ++pixels.count;
        pixels.centroid += cv::Point2d(c, r);
      }
    }
  }
  if (pixels.count > 0) pixels.centroid /= pixels.count;
  return pixels;
}

// Red pixels in the 3-D view: red strongly above green and blue (the nodule's shaded surface).
int RedIn3D(const cv::Mat& image) {
  const cv::Mat view = image(View3D(image));
  int count = 0;
  for (auto it = view.begin<cv::Vec3b>(); it != view.end<cv::Vec3b>(); ++it)
    count += (*it)[2] > 120 && (*it)[2] > 2 * (*it)[1] + 30 && (*it)[2] > 2 * (*it)[0] + 30;
  return count;
}

class ReviewWindowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ =
        fs::path(::testing::TempDir()) /
        ("review_window_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    synthetic::WriteSyntheticSubject(folder_);
    review_ = std::make_unique<SubjectReview>(folder_);
  }
  void TearDown() override { fs::remove_all(folder_); }

  cv::Mat Capture(ReviewWindow& window, const std::string& name) {
    const fs::path png = folder_ / (name + ".png");
    window.Capture(png);
    if (const char* keep = std::getenv("LEPTOSCAN_KEEP_SNAPSHOTS"))
      fs::copy_file(png, fs::path(keep) / ("window_" + name + ".png"), fs::copy_options::overwrite_existing);
    const cv::Mat image = cv::imread(png.string(), cv::IMREAD_COLOR);
    EXPECT_FALSE(image.empty());
    return image;
  }

  fs::path folder_;
  std::unique_ptr<SubjectReview> review_;
};

TEST_F(ReviewWindowTest, ShowsTheCurrentFindingAndRecordsDecisionsFromKeys) {
  ReviewWindow window(*review_, 0, "tester");
  ASSERT_EQ(window.Current().id, "E1");  // the first lesion; the items have no position
  EXPECT_EQ(ColourIn(Capture(window, "e1"), AllSlices(Capture(window, "e1")), Red()).count, 0)
      << "the slices through E1 miss the nodule";
  window.Key('n');
  ASSERT_EQ(window.Current().id, "N1");
  const cv::Mat n1 = Capture(window, "n1");
  EXPECT_GT(ColourIn(n1, AllSlices(n1), Red()).count, 6 * 40) << "six slices through the nodule";
  EXPECT_GT(RedIn3D(n1), 200) << "the 3-D view shows the nodule's surface";

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
  EXPECT_THAT(window.PanelText(), HasSubstr("r      score the reviewed findings"));
  window.Key('?');
  window.Key('s');
  EXPECT_THAT(window.PanelText(), HasSubstr("saved " + (folder_ / "20240101" / "review.json").string()));

  const scoring::Findings saved = scoring::ReadFindings(folder_ / "20240101" / "review.json");
  ASSERT_TRUE(saved.review);
  std::vector<std::string> decisions;
  for (const auto& d : saved.review->decisions)
    decisions.push_back(d.finding + " " + std::string(scoring::DecisionName(d.decision)) + " " + d.reviewer);
  EXPECT_THAT(decisions,
              ::testing::UnorderedElementsAre("N1 rejected tester", "items.brain_nodules accepted tester",
                                              "E1 accepted tester"));
  window.Key('q');  // without Run(), nothing to close
}

TEST_F(ReviewWindowTest, ShowsTheFollowupBesideTheBaselineInItsFrame) {
  ReviewWindow window(*review_, 1, "tester");
  ASSERT_TRUE(window.Comparing());
  window.Key('n');
  ASSERT_EQ(window.Current().id, "N1");
  // N1 of the follow-up lies at kNodule in its own frame; the baseline point the registration takes there.
  const Point in_baseline = {synthetic::kNodule[0] - synthetic::kFollowupShift[0],
                             synthetic::kNodule[1] - synthetic::kFollowupShift[1],
                             synthetic::kNodule[2] - synthetic::kFollowupShift[2]};
  for (int a = 0; a < 3; ++a)
    EXPECT_NEAR(window.Cursor()[a], in_baseline[a], 1e-6);
  EXPECT_THAT(window.PanelText(), HasSubstr("cursor (15.0, -15.0, 10.0) mm, baseline frame"));
  const cv::Mat both = Capture(window, "compare");
  // The follow-up's nodule (3 mm) carried into the baseline frame lies at the cursor: the sagittal slice
  // through the cursor cuts it. Carried the wrong way it would lie 10 mm to the side.
  EXPECT_GT(ColourIn(both, SliceRect(both, 1, 2, 2), Red()).count, 20) << "follow-up sagittal";
  EXPECT_GT(ColourIn(both, SliceRect(both, 0, 2, 2), Red()).count, 20) << "baseline sagittal";

  window.Key('c');  // the follow-up alone, in its own frame, at the same place
  EXPECT_FALSE(window.Comparing());
  for (int a = 0; a < 3; ++a)
    EXPECT_NEAR(window.Cursor()[a], synthetic::kNodule[a], 1e-6);
  const cv::Mat alone = Capture(window, "alone");
  EXPECT_GT(ColourIn(alone, SliceRect(alone, 0, 1, 2), Red()).count, 20);
  EXPECT_EQ(ColourIn(alone, SliceRect(alone, 1, 2, 0), Red()).count, 0) << "no second row";
}

TEST_F(ReviewWindowTest, WithoutTheRegistrationOrTheBaselineThereIsNoComparison) {
  fs::remove(folder_ / "20240301" / "post_in_baseline.nii.gz");
  {
    ReviewWindow window(*review_, 1, "tester");
    EXPECT_FALSE(window.Comparing());
    window.Key('c');
    EXPECT_FALSE(window.Comparing());
    EXPECT_THAT(window.PanelText(), HasSubstr("nothing to compare"));
  }
  synthetic::WriteSyntheticSubject(folder_);
  fs::remove(folder_ / "20240101" / "patterns.nii.gz");
  SubjectReview review(folder_);
  ReviewWindow window(review, 1, "tester");  // the follow-up is still reviewed
  EXPECT_FALSE(window.Comparing());
  EXPECT_THAT(window.PanelText(),
              HasSubstr("no comparison with the baseline: " +
                        (folder_ / "20240101" / "patterns.nii.gz").string() + ": missing"));
}

TEST_F(ReviewWindowTest, AClickOnASliceMovesTheCursorInEveryView) {
  ReviewWindow window(*review_, 0, "tester");
  window.Key('n');
  ASSERT_EQ(window.Current().id, "N1");
  const cv::Mat at_nodule = Capture(window, "click0");
  const Pixels axial = ColourIn(at_nodule, SliceRect(at_nodule, 0, 2, 0), Red());
  ASSERT_GT(axial.count, 100);
  // Click 40 pixels to the image left of the nodule in the axial slice (the patient's right; VTK counts
  // rows from the bottom): the cursor moves right in x, keeps its height, and the sagittal slices leave it.
  const auto click = [&](const cv::Point2d& p) {
    window.Click(static_cast<int>(std::lround(p.x)), at_nodule.rows - 1 - static_cast<int>(std::lround(p.y)));
  };
  click(axial.centroid - cv::Point2d(40, 0));
  EXPECT_LT(window.Cursor()[0], synthetic::kNodule[0] - 8);
  EXPECT_NEAR(window.Cursor()[1], synthetic::kNodule[1], 1);
  EXPECT_NEAR(window.Cursor()[2], synthetic::kNodule[2], 1e-6) << "the axial slice stays";
  const cv::Mat moved = Capture(window, "click1");
  EXPECT_EQ(ColourIn(moved, SliceRect(moved, 0, 2, 2), Red()).count, 0) << "baseline sagittal";
  EXPECT_EQ(ColourIn(moved, SliceRect(moved, 1, 2, 2), Red()).count, 0) << "follow-up sagittal";
  EXPECT_GT(ColourIn(moved, SliceRect(moved, 0, 2, 1), Red()).count, 100) << "the coronal slice stays";
  // Back onto the nodule: every view goes through it again.
  click(axial.centroid);
  EXPECT_NEAR(window.Cursor()[0], synthetic::kNodule[0], 1.5);
  EXPECT_NEAR(window.Cursor()[1], synthetic::kNodule[1], 1.5);
  const cv::Mat back = Capture(window, "click2");
  EXPECT_GT(ColourIn(back, SliceRect(back, 0, 2, 2), Red()).count, 100);
  // A click on the panel moves nothing.
  const Point before = window.Cursor();
  window.Click(at_nodule.cols - 10, 10);
  EXPECT_EQ(window.Cursor(), before);
}

// The green channel of the baseline's axial slice, and the head in it: grey pixels (not coloured, not
// letters or ticks) brighter than the background.
cv::Mat AxialGreen(const cv::Mat& image) {
  cv::Mat green;
  cv::extractChannel(image(SliceRect(image, 0, 2, 0)), green, 1);
  return green;
}
cv::Mat HeadIn(const cv::Mat& image) {
  const cv::Mat axial = image(SliceRect(image, 0, 2, 0));
  cv::Mat head(axial.size(), CV_8U);
  for (int r = 0; r < axial.rows; ++r) {
    for (int c = 0; c < axial.cols; ++c) {
      const cv::Vec3b p = axial.at<cv::Vec3b>(r, c);
      head.at<unsigned char>(r, c) = p[1] > 20 && p[1] < 200 && p[0] == p[1] && p[1] == p[2] ? 255 : 0;
    }
  }
  return head;
}
// Mean and spread of the head's brightness.
cv::Scalar Grey(const cv::Mat& image, const cv::Mat& head) {
  cv::Scalar mean, spread;
  cv::meanStdDev(AxialGreen(image), mean, spread, head);
  return {mean[0], spread[0]};
}

TEST_F(ReviewWindowTest, KeysAndDragsSetWindowAndLevel) {
  ReviewWindow window(*review_, 0, "tester");
  const cv::Mat first = Capture(window, "wl0");
  const cv::Mat head = HeadIn(first);
  ASSERT_GT(cv::countNonZero(head), 10000);
  const cv::Scalar base = Grey(first, head);
  window.Key('.');
  EXPECT_GT(Grey(Capture(window, "wl1"), head)[0], base[0] + 10) << "brighter";
  window.Key('0');
  EXPECT_NEAR(Grey(Capture(window, "wl2"), head)[0], base[0], 0.01) << "reset";
  window.DragWindowLevel(0, -50);  // down: darker
  EXPECT_LT(Grey(Capture(window, "wl3"), head)[0], base[0] - 10);
  // Up by as much as puts the head's intensity (100) at the window's centre: a drag of 200 pixels moves the
  // level by half the window.
  window.Key('0');
  const pipeline::IntensityWindow head_window = pipeline::HeadWindow(review_->Post(0));
  const double centre = (head_window.low + head_window.high) / 2, width = head_window.high - head_window.low;
  window.DragWindowLevel(0, static_cast<int>(std::lround((centre - 100) / width * 400)));
  const cv::Scalar centred = Grey(Capture(window, "wl4"), head);
  EXPECT_NEAR(centred[0], 127, 10);
  window.Key('[');
  window.Key('[');
  EXPECT_GT(Grey(Capture(window, "wl5"), head)[1], centred[1] * 1.3) << "more contrast";
  window.DragWindowLevel(400, 0);  // right: a window four times as wide, less contrast
  EXPECT_LT(Grey(Capture(window, "wl6"), head)[1], centred[1] * 0.8) << "less contrast";
}

TEST_F(ReviewWindowTest, RScoresTheReviewedFindingsAsLeptoscanScoreDoes) {
  ReviewWindow window(*review_, 0, "tester");
  window.Key('r');
  EXPECT_THAT(window.PanelText(), HasSubstr("composite 294.0 -> 96.0 mm2"));
  EXPECT_THAT(window.PanelText(), HasSubstr("PR"));
  ASSERT_EQ(window.Current().id, "E1");
  window.Key('x');  // a rejected baseline lesion leaves its item absent: the follow-up's is new, PD
  window.Key('r');
  EXPECT_THAT(window.PanelText(), HasSubstr("response                                      PD"));
  // What `leptoscan score` prints for the saved review and the follow-up through its registration.
  window.Key('s');
  std::vector<scoring::FollowUpInput> followups;
  followups.push_back({scoring::ReadFindings(folder_ / "20240301" / "findings.json"),
                       scoring::ReadFollowupToBaseline(folder_ / "20240301" / "baseline_to_followup.tfm"),
                       "20240301/baseline_to_followup.tfm"});
  const std::string table =
      scoring::ScoreTable(scoring::ScoreSubject(scoring::ReadFindings(folder_ / "20240101" / "review.json"),
                                                std::move(followups), scoring::Profile::kRanoLm, {}));
  window.Key('r');
  EXPECT_THAT(window.PanelText(), HasSubstr(table));
}

// The ruler's cyan (review_window.cxx): no pattern colour comes within 40 of it.
constexpr std::array<unsigned char, 3> kCyan = {0, 255, 255};
int CyanIn(const cv::Mat& image, const cv::Rect& rect) {
  return ColourIn(image, rect, kCyan).count;
}
bool CyanNear(const cv::Mat& image, const cv::Point& p) {
  return CyanIn(image, {p.x - 1, p.y - 1, 3, 3}) > 0;
}

// The ends of the nodule's outline across its centroid in a slice: left, right, top and bottom (its outline
// alone has the full colour; the fill is a 40% tint).
std::array<cv::Point, 4> NoduleEnds(const cv::Mat& image, const cv::Rect& rect) {
  const cv::Point2d centre = ColourIn(image, rect, Red()).centroid;
  const int row = static_cast<int>(std::lround(centre.y)), column = static_cast<int>(std::lround(centre.x));
  std::array<cv::Point, 4> ends = {cv::Point(rect.br().x, row), cv::Point(rect.x, row),
                                   cv::Point(column, rect.br().y), cv::Point(column, rect.y)};
  for (int c = rect.x; c < rect.br().x; ++c) {
    if (ColourIn(image, {c, row, 1, 1}, Red()).count == 0) continue;
    ends[0].x = std::min(ends[0].x, c);
    ends[1].x = std::max(ends[1].x, c);
  }
  for (int r = rect.y; r < rect.br().y; ++r) {
    if (ColourIn(image, {column, r, 1, 1}, Red()).count == 0) continue;
    ends[2].y = std::min(ends[2].y, r);
    ends[3].y = std::max(ends[3].y, r);
  }
  return ends;
}

std::array<double, 2> SavedDiameters(const fs::path& review_json, const std::string& id) {
  for (const scoring::Lesion& lesion : scoring::ReadFindings(review_json).lesions) {
    if (lesion.id == id) return lesion.diameters_mm;
  }
  ADD_FAILURE() << "no " << id << " in " << review_json;
  return {0, 0};
}

// Clicks at image pixels (rows from the top), as the window gets them (rows from the bottom).
void ClickAt(ReviewWindow& window, const cv::Mat& image, const cv::Point& p) {
  window.Click(p.x, image.rows - 1 - p.y);
}

TEST_F(ReviewWindowTest, TheRulerMeasuresTheNoduleOnASliceAndDrawsItsLines) {
  ReviewWindow window(*review_, 0, "tester");
  ASSERT_TRUE(window.Comparing());
  window.Key('m');
  EXPECT_THAT(window.PanelText(), HasSubstr("m works on a nodule; E1 is a linear lesion"));
  window.Key('n');
  ASSERT_EQ(window.Current().id, "N1");
  const cv::Mat before = Capture(window, "ruler0");
  EXPECT_EQ(CyanIn(before, AllSlices(before)), 0) << "no ruler yet";
  // On the baseline's coronal slice (1 x 1 mm voxels) the 12 mm nodule's outline spans 12 mm each way:
  // the first line from its centre to its top edge (6 mm), the second across it (12 mm).
  const cv::Rect coronal = SliceRect(before, 0, 2, 1);
  const std::array<cv::Point, 4> ends = NoduleEnds(before, coronal);
  const cv::Point centre(ends[2].x, (ends[0].y + ends[1].y) / 2);
  const Point cursor = window.Cursor();
  window.Key('m');
  EXPECT_THAT(window.PanelText(), HasSubstr("ruler on N1"));
  ClickAt(window, before, centre);
  ClickAt(window, before, ends[2]);
  EXPECT_THAT(window.PanelText(), HasSubstr("the first line"));
  ClickAt(window, before, ends[0] + cv::Point(0, -3));  // 3 pixels up: less than 2 degrees from perpendicular
  ClickAt(window, before, ends[1]);
  EXPECT_THAT(window.PanelText(), HasSubstr("N1 measured: "));
  EXPECT_EQ(window.Cursor(), cursor) << "ruler clicks leave the cursor";
  const cv::Mat measured = Capture(window, "ruler1");
  // The lines are drawn where they were clicked, on the coronal slice only.
  const int cyan = CyanIn(measured, coronal);
  EXPECT_GT(cyan, (ends[1].x - ends[0].x) + (ends[3].y - ends[2].y) / 2) << "both lines, 2 pixels wide";
  EXPECT_EQ(CyanIn(measured, AllSlices(measured)), cyan) << "nowhere else";
  EXPECT_TRUE(CyanNear(measured, (centre + ends[2]) / 2));
  EXPECT_TRUE(CyanNear(measured, (ends[0] + ends[1]) / 2 + cv::Point(0, -1)));
  EXPECT_FALSE(CyanNear(measured, centre + cv::Point(0, (ends[3].y - centre.y) / 2))) << "below the centre";
  window.Key('s');
  const std::array<double, 2> diameters = SavedDiameters(folder_ / "20240101" / "review.json", "N1");
  EXPECT_NEAR(diameters[0], 12, 1) << "longest first";
  EXPECT_NEAR(diameters[1], 6, 1);
  EXPECT_THAT(window.Current().description,
              HasSubstr(fmt::format("{:.1f} x {:.1f} mm", diameters[0], diameters[1])));
  // Next finding: the lines go.
  window.Key('n');
  const cv::Mat next = Capture(window, "ruler2");
  EXPECT_EQ(CyanIn(next, AllSlices(next)), 0);
}

TEST_F(ReviewWindowTest, TheRulerTakesPerpendicularLinesOnOneSliceOfTheReviewedTimepoint) {
  ReviewWindow window(*review_, 1, "tester");  // the follow-up, below the baseline
  window.Key('n');
  ASSERT_EQ(window.Current().id, "N1");
  const cv::Mat image = Capture(window, "ruler_followup");
  window.Key('m');
  const cv::Rect baseline = SliceRect(image, 0, 2, 1), followup = SliceRect(image, 1, 2, 1);
  ClickAt(window, image, (baseline.tl() + baseline.br()) / 2);
  EXPECT_THAT(window.PanelText(), HasSubstr("measure on the row of 2024-03-01"));
  const std::array<cv::Point, 4> ends = NoduleEnds(image, followup);
  ClickAt(window, image, ends[0]);
  ClickAt(window, image, ends[1]);
  const cv::Rect sagittal = SliceRect(image, 1, 2, 2);
  ClickAt(window, image, (sagittal.tl() + sagittal.br()) / 2);
  EXPECT_THAT(window.PanelText(), HasSubstr("measure on one slice: the coronal one"));
  ClickAt(window, image, ends[0]);
  ClickAt(window, image, ends[1] + cv::Point(0, -4));  // 1 degree or so off the first line
  EXPECT_THAT(window.PanelText(), HasSubstr("degrees away from perpendicular"));
  EXPECT_THAT(window.PanelText(), HasSubstr("click the second line again"));
  // The cursor's ticks hide the small nodule's outline above and below its centre: the second line is as
  // long as the first, upright through the middle of it.
  const cv::Point middle = (ends[0] + ends[1]) / 2, half(0, (ends[1].x - ends[0].x) / 2);
  ClickAt(window, image, middle - half);
  ClickAt(window, image, middle + half);
  EXPECT_THAT(window.PanelText(), HasSubstr("N1 measured: "));
  window.Key('s');
  // The follow-up's 3 mm nodule, measured in its own frame through the registration (a shift).
  const std::array<double, 2> diameters = SavedDiameters(folder_ / "20240301" / "review.json", "N1");
  EXPECT_NEAR(diameters[0], 6, 1);
  EXPECT_NEAR(diameters[1], 6, 1);
  window.Key('m');
  window.Key('m');
  EXPECT_THAT(window.PanelText(), HasSubstr("ruler put away"));
}

TEST_F(ReviewWindowTest, KeysEditTheNodulesLocationAndMeasurability) {
  ReviewWindow window(*review_, 0, "tester");
  window.Key('n');
  ASSERT_EQ(window.Current().id, "N1");  // subarachnoid, 12 x 12 mm: measurable by the size limits
  window.Key('l');
  EXPECT_THAT(window.PanelText(), HasSubstr("N1 location: ventricular"));
  window.Key('l');
  EXPECT_THAT(window.PanelText(), HasSubstr("N1 location: parenchymal"));
  window.Key('l');  // intramedullary is a spinal location: the contract refuses it for a brain nodule
  EXPECT_THAT(window.PanelText(), HasSubstr("N1 location: subarachnoid"));
  window.Key('l');
  window.Key('u');
  EXPECT_THAT(window.PanelText(), HasSubstr("N1 not measurable (the reader's verdict)"));
  EXPECT_EQ(window.Current().description, "nodule, ventricular, 12.0 x 12.0 mm, not measurable (reader)");
  EXPECT_THAT(window.PanelText(),
              HasSubstr("\nN1: nodule, ventricular, 12.0 x 12.0 mm, not measurable (reader)"));
  window.Key('u');
  EXPECT_EQ(window.Current().description, "nodule, ventricular, 12.0 x 12.0 mm, measurable (reader)");
  window.Key('u');
  window.Key('p');
  window.Key('l');
  EXPECT_THAT(window.PanelText(), HasSubstr("l works on a nodule; E1 is a linear lesion"));
  window.Key('u');
  EXPECT_THAT(window.PanelText(), HasSubstr("u works on a nodule; E1 is a linear lesion"));
  window.Key('?');
  EXPECT_THAT(window.PanelText(), HasSubstr("m      ruler"));
  EXPECT_THAT(window.PanelText(), HasSubstr("l      next location"));
  EXPECT_THAT(window.PanelText(), HasSubstr("u      measurable or not"));
  Capture(window, "keys");  // to look at (LEPTOSCAN_KEEP_SNAPSHOTS)
  window.Key('s');
  const scoring::Findings saved = scoring::ReadFindings(folder_ / "20240101" / "review.json");
  ASSERT_EQ(saved.lesions.size(), 2u);
  const scoring::Lesion& n1 = saved.lesions[1];
  ASSERT_EQ(n1.id, "N1");
  EXPECT_EQ(n1.location, "ventricular");
  EXPECT_EQ(n1.measurable, false);
  ASSERT_TRUE(saved.review);
  ASSERT_EQ(saved.review->decisions.size(), 1u);
  EXPECT_EQ(saved.review->decisions[0].decision, scoring::Decision::kEdited);
  EXPECT_EQ(saved.review->decisions[0].reviewer, "tester");
}

TEST_F(ReviewWindowTest, ReviewsAStudyThatHasNotBeenRun) {
  const fs::path study = folder_ / "study", findings = folder_ / "reader" / "findings.json";
  synthetic::WriteSyntheticStudy(study, findings);
  SubjectReview review(SubjectReview::Study{study, findings, folder_ / "reader" / "review.json", {}});
  ReviewWindow window(review, 0, "tester");
  EXPECT_FALSE(window.Comparing());
  EXPECT_THAT(window.PanelText(),
              HasSubstr("a study not run: no pattern labels; findings from findings.json"));
  window.Key('n');
  ASSERT_EQ(window.Current().id, "N1");
  for (int a = 0; a < 3; ++a)
    EXPECT_NEAR(window.Cursor()[a], synthetic::kNodule[a], 1e-6);
  const cv::Mat image = Capture(window, "study");
  EXPECT_EQ(ColourIn(image, AllSlices(image), Red()).count, 0) << "no pattern labels";
  window.Key('a');
  window.Key('s');
  EXPECT_THAT(window.PanelText(), HasSubstr("saved " + (folder_ / "reader" / "review.json").string()));
  EXPECT_EQ(scoring::ReadFindings(folder_ / "reader" / "review.json").review->decisions.size(), 1u);
}

}  // namespace
}  // namespace leptoscan::viewer
