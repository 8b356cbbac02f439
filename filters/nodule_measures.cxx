#include "filters/nodule_measures.h"

#include <fmt/format.h>
#include <itkBSplineInterpolateImageFunction.h>
#include <itkResampleImageFilter.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <stdexcept>
#include <vector>

#include "io/itk_volume.h"

namespace leptoscan::filters {
namespace {

// A piece of the nodule's outline on one axial slice, in mm from the slice's first sample.
struct Segment {
  cv::Point2d a, b;
};

// The threshold isoline of one slice (nx by ny samples `step` mm apart, x fastest) by marching squares.
// Each crossing is interpolated between two samples, so the outline is sub-pixel, not a staircase.
std::vector<Segment> Outline(const float* slice, std::size_t nx, std::size_t ny, double step,
                             float threshold) {
  std::vector<Segment> outline;
  for (std::size_t j = 0; j + 1 < ny; ++j) {
    for (std::size_t i = 0; i + 1 < nx; ++i) {
      // Corners counter-clockwise from (i, j); edge e runs between corners e and e + 1.
      const cv::Point2d corner[4] = {{double(i), double(j)},
                                     {double(i + 1), double(j)},
                                     {double(i + 1), double(j + 1)},
                                     {double(i), double(j + 1)}};
      const float value[4] = {slice[j * nx + i], slice[j * nx + i + 1], slice[(j + 1) * nx + i + 1],
                              slice[(j + 1) * nx + i]};
      bool inside[4];
      int inside_count = 0;
      for (int c = 0; c < 4; ++c)
        inside_count += inside[c] = value[c] >= threshold;
      if (inside_count == 0 || inside_count == 4) continue;

      // Interpolated from the corner nearer the origin, so that the two cells sharing an edge compute
      // the same crossing to the bit.
      cv::Point2d crossing[4];
      int crossed[4], crossed_count = 0;
      for (int e = 0; e < 4; ++e) {
        if (inside[e] == inside[(e + 1) % 4]) continue;
        const int p = e < 2 ? e : (e + 1) % 4, q = e < 2 ? e + 1 : e;
        const double t = (threshold - value[p]) / double(value[q] - value[p]);
        crossing[e] = (corner[p] + (corner[q] - corner[p]) * t) * step;
        crossed[crossed_count++] = e;
      }
      if (crossed_count == 2) {
        outline.push_back({crossing[crossed[0]], crossing[crossed[1]]});
        continue;
      }
      // A saddle: the mean of the corners decides which diagonal pair is joined through the centre;
      // the other two corners are cut off, each by the segment between its two edges.
      const bool centre_inside = (value[0] + value[1] + value[2] + value[3]) / 4 >= threshold;
      const int first_cut = inside[0] != centre_inside ? 0 : 1;
      for (int c = first_cut; c < 4; c += 2)
        outline.push_back({crossing[(c + 3) % 4], crossing[c]});
    }
  }
  return outline;
}

struct Diameter {
  cv::Point2d from, to;
  double length = 0;
};

// The longest distance between two points of the outline: between two vertices of its convex hull.
Diameter LongestDiameter(const std::vector<Segment>& outline) {
  std::vector<cv::Point2d> points;
  for (const Segment& s : outline)
    points.push_back(s.a), points.push_back(s.b);
  std::vector<cv::Point2f> as_float(points.begin(), points.end());
  std::vector<int> hull;
  cv::convexHull(as_float, hull);
  Diameter longest;
  for (std::size_t m = 0; m < hull.size(); ++m) {
    for (std::size_t n = m + 1; n < hull.size(); ++n) {
      const cv::Point2d &p = points[hull[m]], &q = points[hull[n]];
      const double length = cv::norm(q - p);
      if (length > longest.length) longest = {p, q, length};
    }
  }
  return longest;
}

// RECIST/WHO perpendicular diameter: longest edge-to-edge line at right angles to it (a chord, not the
// width).
double PerpendicularDiameter(const std::vector<Segment>& outline, const Diameter& longest) {
  if (longest.length <= 0) return 0;
  const cv::Point2d along = (longest.to - longest.from) / longest.length, across(-along.y, along.x);
  struct Projected {
    double ta, wa, tb, wb;
  };
  std::vector<Projected> projected;
  std::vector<double> positions;
  for (const Segment& s : outline) {
    const cv::Point2d a = s.a - longest.from, b = s.b - longest.from;
    projected.push_back({a.dot(along), a.dot(across), b.dot(along), b.dot(across)});
    positions.push_back(projected.back().ta), positions.push_back(projected.back().tb);
  }
  // The extent along a perpendicular line is piecewise linear in its position, with breaks only at
  // outline vertices: its maximum is at one of them.
  std::sort(positions.begin(), positions.end());
  positions.erase(std::unique(positions.begin(), positions.end()), positions.end());
  double widest = 0;
  for (const double t : positions) {
    double lo = std::numeric_limits<double>::max(), hi = std::numeric_limits<double>::lowest();
    for (const Projected& p : projected) {
      if (t < std::min(p.ta, p.tb) || t > std::max(p.ta, p.tb)) continue;
      if (p.ta == p.tb) {
        lo = std::min({lo, p.wa, p.wb}), hi = std::max({hi, p.wa, p.wb});
        continue;
      }
      const double w = p.wa + (t - p.ta) / (p.tb - p.ta) * (p.wb - p.wa);
      lo = std::min(lo, w), hi = std::max(hi, w);
    }
    widest = std::max(widest, hi - lo);
  }
  return widest;
}

// Lowest and highest threshold crossing over all columns of the axial grid, in slices (fractional).
std::pair<double, double> CraniocaudalRange(const io::Volume& axial, float threshold) {
  const auto& size = axial.geometry.size;
  const std::size_t plane = size[0] * size[1];
  double lo = std::numeric_limits<double>::max(), hi = std::numeric_limits<double>::lowest();
  for (std::size_t k = 0; k + 1 < size[2]; ++k) {
    const float* below = axial.voxels.data() + k * plane;
    const float* above = below + plane;
    for (std::size_t n = 0; n < plane; ++n) {
      if ((below[n] >= threshold) == (above[n] >= threshold)) continue;
      const double z = k + (threshold - below[n]) / double(above[n] - below[n]);
      lo = std::min(lo, z), hi = std::max(hi, z);
    }
  }
  return {lo, hi};
}

// The voxels of `volume` in the index box [first, last] (inclusive), as a volume of their own.
io::Volume Crop(const io::Volume& volume, const std::array<std::size_t, 3>& first,
                const std::array<std::size_t, 3>& last) {
  const auto& g = volume.geometry;
  io::Volume out;
  out.geometry = g;
  for (int a = 0; a < 3; ++a)
    out.geometry.size[a] = last[a] - first[a] + 1;
  out.geometry.origin_mm = g.IndexToPoint(first[0], first[1], first[2]);
  out.voxels.resize(out.geometry.VoxelCount());
  float* to = out.voxels.data();
  for (std::size_t k = first[2]; k <= last[2]; ++k) {
    for (std::size_t j = first[1]; j <= last[1]; ++j, to += out.geometry.size[0]) {
      const float* row = volume.voxels.data() + (k * g.size[1] + j) * g.size[0];
      std::copy(row + first[0], row + last[0] + 1, to);
    }
  }
  return out;
}

// `volume` on `grid` (LPS) by B-spline interpolation of the given order (1 is linear); 0 outside it.
io::Volume ResampleBSpline(const io::Volume& volume, const io::VolumeGeometry& grid, unsigned order) {
  using Image = io::FloatImage;
  auto interpolator = itk::BSplineInterpolateImageFunction<Image, double, double>::New();
  interpolator->SetSplineOrder(order);
  auto resampler = itk::ResampleImageFilter<Image, Image, double>::New();
  resampler->SetInput(io::ViewAsItk(volume));
  resampler->SetInterpolator(interpolator);
  auto reference = Image::New();
  io::SetItkGeometry(grid, *reference);
  resampler->SetOutputParametersFromImage(reference);
  resampler->SetDefaultPixelValue(0);
  resampler->Update();
  io::Volume out;
  out.geometry = grid;
  const float* resampled = resampler->GetOutput()->GetBufferPointer();
  out.voxels.assign(resampled, resampled + grid.VoxelCount());
  return out;
}

}  // namespace

NoduleMeasures MeasureNodule(const io::Volume& membership, const NoduleMeasureOptions& options) {
  const auto& g = membership.geometry;
  if (membership.voxels.size() != g.VoxelCount()) {
    throw std::invalid_argument(
        fmt::format("nodule measures: the membership holds {} voxels for a {}x{}x{} grid",
                    membership.voxels.size(), g.size[0], g.size[1], g.size[2]));
  }
  if (!(options.in_plane_mm > 0 && options.slice_mm > 0 && options.threshold > 0) ||
      options.spline_order < 1 || options.spline_order > 5) {
    throw std::invalid_argument(
        "nodule measures: voxel sizes and threshold must be positive and the spline order 1 to 5");
  }
  const auto threshold = static_cast<float>(options.threshold);
  // A cubic spline overshoots its samples, but not twofold: the interpolated membership reaches the
  // threshold only within one voxel of a voxel above half of it (a seed).
  const float seed_level = threshold / 2;

  // Centre and volume from the scan's own grid: with exact partial volume both are exact, and
  // resampling would only blur them.
  double weight = 0;
  std::array<double, 3> weighted_index{0, 0, 0};
  std::array<std::size_t, 3> first = g.size, last{0, 0, 0};
  std::array<double, 3> lo{std::numeric_limits<double>::max(), std::numeric_limits<double>::max(),
                           std::numeric_limits<double>::max()};
  std::array<double, 3> hi{std::numeric_limits<double>::lowest(), std::numeric_limits<double>::lowest(),
                           std::numeric_limits<double>::lowest()};
  std::size_t n = 0;
  for (std::size_t k = 0; k < g.size[2]; ++k) {
    for (std::size_t j = 0; j < g.size[1]; ++j) {
      for (std::size_t i = 0; i < g.size[0]; ++i, ++n) {
        const float v = membership.voxels[n];
        if (!(v > 0)) continue;
        const std::array<std::size_t, 3> index{i, j, k};
        weight += v;
        for (int a = 0; a < 3; ++a)
          weighted_index[a] += v * double(index[a]);
        if (v < seed_level) continue;
        const auto p = g.IndexToPoint(i, j, k);
        for (int a = 0; a < 3; ++a) {
          first[a] = std::min(first[a], index[a]), last[a] = std::max(last[a], index[a]);
          lo[a] = std::min(lo[a], p[a]), hi[a] = std::max(hi[a], p[a]);
        }
      }
    }
  }
  if (weight <= 0) throw std::invalid_argument("nodule measures: the membership map is empty");

  NoduleMeasures out;
  out.center_mm =
      g.IndexToPoint(weighted_index[0] / weight, weighted_index[1] / weight, weighted_index[2] / weight);
  out.volume_ml = weight * g.VoxelVolumeMm3() / 1000.0;
  out.axial_level_mm = out.center_mm[2];
  if (lo[0] > hi[0]) return out;

  // The spline's prefilter runs on the nodule's neighbourhood only; four voxels of it keep the cut
  // from reaching the crossings.
  constexpr std::size_t kCropMargin = 4;
  for (int a = 0; a < 3; ++a) {
    first[a] -= std::min(first[a], kCropMargin);
    last[a] = std::min(last[a] + kCropMargin, g.size[a] - 1);
  }
  const io::Volume nodule = Crop(membership, first, last);

  // An LPS-aligned grid over the seeds, one voxel around them and one sample more, so that the
  // outermost samples are below the threshold. Its samples lie on multiples of the step from the LPS
  // origin, so the measures do not depend on how far the membership volume extends.
  io::VolumeGeometry axial;
  const std::array<double, 3> step{options.in_plane_mm, options.in_plane_mm, options.slice_mm};
  for (int a = 0; a < 3; ++a) {
    double reach = step[a];
    for (int b = 0; b < 3; ++b)
      reach += std::abs(g.direction[a * 3 + b]) * g.spacing_mm[b];
    const double first_sample = std::floor((lo[a] - reach) / step[a]);
    axial.origin_mm[a] = first_sample * step[a];
    axial.spacing_mm[a] = step[a];
    axial.size[a] = static_cast<std::size_t>(std::ceil((hi[a] + reach) / step[a]) - first_sample) + 1;
  }
  const io::Volume fine = ResampleBSpline(nodule, axial, options.spline_order);

  const std::size_t plane = axial.size[0] * axial.size[1];
  std::size_t largest_slice = 0, largest_area = 0;
  for (std::size_t k = 0; k < axial.size[2]; ++k) {
    const float* slice = fine.voxels.data() + k * plane;
    const auto area = static_cast<std::size_t>(
        std::count_if(slice, slice + plane, [threshold](float v) { return v >= threshold; }));
    if (area > largest_area) largest_area = area, largest_slice = k;
  }
  if (largest_area == 0) return out;
  out.axial_level_mm = axial.origin_mm[2] + largest_slice * step[2];

  const auto outline =
      Outline(fine.voxels.data() + largest_slice * plane, axial.size[0], axial.size[1], step[0], threshold);
  const Diameter longest = LongestDiameter(outline);
  out.diameters_mm = {longest.length, PerpendicularDiameter(outline, longest)};
  const auto [bottom, top] = CraniocaudalRange(fine, threshold);
  out.craniocaudal_mm = (top - bottom) * step[2];
  return out;
}

}  // namespace leptoscan::filters
