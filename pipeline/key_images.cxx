#include "pipeline/key_images.h"

#include <algorithm>
#include <cmath>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <stdexcept>
#include <vector>

namespace leptoscan::pipeline {
namespace {

using Point = std::array<double, 3>;

constexpr int kMinSidePixels = 256;
constexpr int kMaxSidePixels = 512;
constexpr double kFillOpacity = 0.4;
// Enough voxels for stable percentiles; a 512^3 volume is read every 67th voxel.
constexpr std::size_t kWindowSamples = 2'000'000;

// A display plane: image columns run along +u, rows along v_sign * v (LPS axes 0 L, 1 P, 2 S).
struct Plane {
  int u, v, w;
  double v_sign;
  const char *left, *right, *top, *bottom;
};

Plane PlaneOf(SliceView view) {
  switch (view) {
    case SliceView::kAxial:
      return {0, 1, 2, +1, "R", "L", "A", "P"};
    case SliceView::kCoronal:
      return {0, 2, 1, -1, "R", "L", "S", "I"};
    case SliceView::kSagittal:
      break;
  }
  return {1, 2, 0, -1, "A", "P", "S", "I"};
}

// Voxels above the mean, sampled evenly: the head of a head scan, whose background is dark.
std::vector<std::size_t> HeadSample(const io::Volume& post) {
  const std::size_t count = post.voxels.size();
  const std::size_t step = std::max<std::size_t>(1, count / kWindowSamples);
  double sum = 0;
  std::size_t n = 0;
  for (std::size_t v = 0; v < count; v += step, ++n)
    sum += post.voxels[v];
  const double mean = n > 0 ? sum / n : 0;
  std::vector<std::size_t> head;
  for (std::size_t v = 0; v < count; v += step) {
    if (post.voxels[v] > mean) head.push_back(v);
  }
  return head;
}

// Trilinear value at a continuous index; NaN more than half a voxel outside the grid.
float Sample(const io::Volume& volume, const Point& index) {
  for (int a = 0; a < 3; ++a) {
    if (index[a] < -0.5 || index[a] > volume.geometry.size[a] - 0.5) return NAN;
  }
  return static_cast<float>(io::InterpolateLinear(volume, index));
}

int NearestLabel(const io::Volume& labels, const Point& index) {
  const auto& size = labels.geometry.size;
  std::size_t offset = 0, stride = 1;
  for (int a = 0; a < 3; ++a) {
    const double rounded = std::round(index[a]);
    if (rounded < 0 || rounded >= size[a]) return 0;
    offset += static_cast<std::size_t>(rounded) * stride;
    stride *= size[a];
  }
  return static_cast<int>(std::lround(labels.voxels[offset]));
}

void Overlay(cv::Mat& image, const cv::Mat& labels) {
  const cv::Mat kernel = cv::getStructuringElement(cv::MORPH_RECT, {3, 3});
  for (const PatternColour& pattern : PatternColours()) {
    const cv::Mat mask = labels == pattern.label;
    if (cv::countNonZero(mask) == 0) continue;
    const cv::Scalar bgr(pattern.rgb[2], pattern.rgb[1], pattern.rgb[0]);
    cv::Mat blended;
    cv::addWeighted(image, 1 - kFillOpacity, cv::Mat(image.size(), image.type(), bgr), kFillOpacity, 0,
                    blended);
    blended.copyTo(image, mask);
    cv::Mat inner;
    cv::erode(mask, inner, kernel, {-1, -1}, 1, cv::BORDER_CONSTANT, 0);
    image.setTo(bgr, mask & ~inner);
  }
}

void Annotate(cv::Mat& image, const SliceGrid& grid, const std::array<double, 2>& point_px) {
  const cv::Scalar white(255, 255, 255), grey(210, 210, 210);
  const int gap = std::max(6, image.cols / 40), length = std::max(6, image.cols / 30);
  const cv::Point centre(static_cast<int>(std::lround(point_px[0])),
                         static_cast<int>(std::lround(point_px[1])));
  for (const cv::Point direction : {cv::Point(1, 0), cv::Point(-1, 0), cv::Point(0, 1), cv::Point(0, -1)})
    cv::line(image, centre + direction * gap, centre + direction * (gap + length), white, 1, cv::LINE_AA);
  const double scale = image.cols / 640.0;
  const int font = cv::FONT_HERSHEY_SIMPLEX;
  int baseline = 0;
  const cv::Size letter = cv::getTextSize("M", font, scale, 1, &baseline);
  const int mid_x = image.cols / 2 - letter.width / 2, mid_y = image.rows / 2 + letter.height / 2;
  cv::putText(image, grid.edges[0], {3, mid_y}, font, scale, grey, 1, cv::LINE_AA);
  cv::putText(image, grid.edges[1], {image.cols - letter.width - 3, mid_y}, font, scale, grey, 1,
              cv::LINE_AA);
  cv::putText(image, grid.edges[2], {mid_x, letter.height + 3}, font, scale, grey, 1, cv::LINE_AA);
  cv::putText(image, grid.edges[3], {mid_x, image.rows - 4}, font, scale, grey, 1, cv::LINE_AA);
}

}  // namespace

std::string_view SliceViewName(SliceView view) {
  switch (view) {
    case SliceView::kAxial:
      return "axial";
    case SliceView::kCoronal:
      return "coronal";
    case SliceView::kSagittal:
      break;
  }
  return "sagittal";
}

IntensityWindow HeadWindow(const io::Volume& post) {
  std::vector<float> head;
  for (std::size_t v : HeadSample(post))
    head.push_back(post.voxels[v]);
  if (head.empty()) return {0, 1};
  const auto percentile = [&head](double fraction) {
    const auto at = head.begin() + static_cast<std::ptrdiff_t>(fraction * (head.size() - 1));
    std::nth_element(head.begin(), at, head.end());
    return double(*at);
  };
  IntensityWindow window{percentile(0.01), percentile(0.995)};
  if (window.high <= window.low) window.high = window.low + 1;
  return window;
}

Point HeadCentre(const io::Volume& post) {
  const std::vector<std::size_t> head = HeadSample(post);
  const auto& g = post.geometry;
  if (head.empty())
    return g.IndexToPoint((g.size[0] - 1) / 2.0, (g.size[1] - 1) / 2.0, (g.size[2] - 1) / 2.0);
  Point sum{0, 0, 0};
  for (std::size_t v : head) {
    const auto index = g.VoxelIndex(v);
    for (int a = 0; a < 3; ++a)
      sum[a] += double(index[a]);
  }
  return g.IndexToPoint(sum[0] / head.size(), sum[1] / head.size(), sum[2] / head.size());
}

const std::array<PatternColour, 5>& PatternColours() {
  static const std::array<PatternColour, 5> colours = {{
      {1, "sulcal / pial linear", {255, 215, 0}},
      {2, "ependymal", {0, 200, 255}},
      {3, "cranial nerve", {235, 0, 235}},
      {4, "nodule (LM)", {255, 40, 40}},
      {5, "parenchymal nodule (not LM)", {50, 220, 50}},
  }};
  return colours;
}

SliceGrid KeyImageGrid(const io::VolumeGeometry& g, const Point& point_mm, SliceView view) {
  Point low{INFINITY, INFINITY, INFINITY}, high{-INFINITY, -INFINITY, -INFINITY};
  for (int corner = 0; corner < 8; ++corner) {
    const Point p = g.IndexToPoint(corner & 1 ? g.size[0] - 1.0 : 0, corner & 2 ? g.size[1] - 1.0 : 0,
                                   corner & 4 ? g.size[2] - 1.0 : 0);
    for (int a = 0; a < 3; ++a) {
      low[a] = std::min(low[a], p[a]);
      high[a] = std::max(high[a], p[a]);
    }
  }
  const Plane plane = PlaneOf(view);
  const double extent_u = high[plane.u] - low[plane.u], extent_v = high[plane.v] - low[plane.v];
  const double longest = std::max({extent_u, extent_v, 1e-3});
  double pixel = *std::min_element(g.spacing_mm.begin(), g.spacing_mm.end());
  pixel = std::clamp(pixel, longest / (kMaxSidePixels - 1), longest / (kMinSidePixels - 1));

  SliceGrid grid;
  grid.pixel_mm = pixel;
  grid.width = static_cast<int>(std::floor(extent_u / pixel + 1e-6)) + 1;
  grid.height = static_cast<int>(std::floor(extent_v / pixel + 1e-6)) + 1;
  grid.edges = {plane.left, plane.right, plane.top, plane.bottom};
  Point origin = point_mm;  // the plane's (0, 0) pixel
  origin[plane.u] = low[plane.u];
  origin[plane.v] = plane.v_sign > 0 ? low[plane.v] : high[plane.v];
  grid.point_px = {(point_mm[plane.u] - low[plane.u]) / pixel,
                   (point_mm[plane.v] - origin[plane.v]) * plane.v_sign / pixel};

  // The continuous index is affine in the pixel position: one step per column and per row.
  Point along_u = origin, along_v = origin;
  along_u[plane.u] += pixel;
  along_v[plane.v] += plane.v_sign * pixel;
  grid.index0 = g.PointToIndex(origin);
  const Point index_u = g.PointToIndex(along_u), index_v = g.PointToIndex(along_v);
  for (int a = 0; a < 3; ++a) {
    grid.column_step[a] = index_u[a] - grid.index0[a];
    grid.row_step[a] = index_v[a] - grid.index0[a];
  }
  return grid;
}

KeyImage RenderKeyImage(const io::Volume& post, const io::Volume& patterns, const Point& point_mm,
                        SliceView view, const IntensityWindow& window) {
  if (patterns.geometry.size != post.geometry.size)
    throw std::invalid_argument("key image: the pattern labels are not on the post-contrast grid");
  const SliceGrid grid = KeyImageGrid(post.geometry, point_mm, view);
  KeyImage key;
  key.pixel_mm = grid.pixel_mm;
  key.width = grid.width;
  key.height = grid.height;
  key.point_px = grid.point_px;
  cv::Mat grey(key.height, key.width, CV_8UC1), labels(key.height, key.width, CV_8UC1);
  const double scale = 255.0 / (window.high - window.low);
  for (int row = 0; row < key.height; ++row) {
    for (int column = 0; column < key.width; ++column) {
      Point index;
      for (int a = 0; a < 3; ++a)
        index[a] = grid.index0[a] + column * grid.column_step[a] + row * grid.row_step[a];
      const float value = Sample(post, index);
      grey.at<unsigned char>(row, column) =
          std::isnan(value) ? 0 : cv::saturate_cast<unsigned char>((value - window.low) * scale);
      const int label = NearestLabel(patterns, index);
      labels.at<unsigned char>(row, column) =
          label >= 1 && label <= 5 ? static_cast<unsigned char>(label) : 0;
    }
  }
  cv::Mat image;
  cv::cvtColor(grey, image, cv::COLOR_GRAY2BGR);
  Overlay(image, labels);
  Annotate(image, grid, key.point_px);
  std::vector<unsigned char> png;
  if (!cv::imencode(".png", image, png)) throw std::runtime_error("key image: PNG encoding failed");
  key.png.assign(png.begin(), png.end());
  return key;
}

}  // namespace leptoscan::pipeline
