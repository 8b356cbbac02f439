// MeasureNodule against analytic shapes rendered with exact partial volume (each voxel holds the
// fraction of it inside the shape) on axial, sagittal, coronal and oblique grids of 1 mm and
// 1 x 1 x 3 mm voxels.
#include "filters/nodule_measures.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

namespace leptoscan::filters {
namespace {

using Point = std::array<double, 3>;
constexpr double kPi = 3.14159265358979323846;

// An ellipsoid with one axis craniocaudal (LPS z) and the other two in the axial plane, the first of
// them turned `turn_deg` from LPS x towards y: the shape whose RANO diameters are its own.
struct Ellipsoid {
  Point centre{0, 0, 0};
  std::array<double, 3> diameters{1, 1, 1};  // first and second in-plane axis, craniocaudal
  double turn_deg = 0;

  // The point in the ellipsoid's axes, in units of its semi-axes: inside where the norm is <= 1.
  Point Scaled(const Point& p) const {
    const double c = std::cos(turn_deg * kPi / 180), s = std::sin(turn_deg * kPi / 180);
    const double x = p[0] - centre[0], y = p[1] - centre[1], z = p[2] - centre[2];
    return {(c * x + s * y) / (diameters[0] / 2), (-s * x + c * y) / (diameters[1] / 2),
            z / (diameters[2] / 2)};
  }
  double Volume() const { return kPi / 6 * diameters[0] * diameters[1] * diameters[2]; }
};

// A union of ellipsoids (one, or two lobes).
using Shape = std::vector<Ellipsoid>;

double Distance(const Point& a, const Point& b) {
  return std::hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

enum class Orientation { kAxial, kSagittal, kCoronal, kOblique };

// Row-major, column k = the LPS unit vector of index axis k, as DICOM orders a series' axes.
std::array<double, 9> Direction(Orientation orientation) {
  switch (orientation) {
    case Orientation::kAxial:
      return {1, 0, 0, 0, 1, 0, 0, 0, 1};
    case Orientation::kSagittal:  // rows posterior, columns inferior, slices towards the right
      return {0, 0, -1, 1, 0, 0, 0, -1, 0};
    case Orientation::kCoronal:  // rows left, columns inferior, slices posterior
      return {1, 0, 0, 0, 0, 1, 0, -1, 0};
    case Orientation::kOblique: {  // Rz(25) Ry(-20) Rx(35)
      const double a = 35 * kPi / 180, b = -20 * kPi / 180, c = 25 * kPi / 180;
      const double ca = std::cos(a), sa = std::sin(a), cb = std::cos(b), sb = std::sin(b), cc = std::cos(c),
                   sc = std::sin(c);
      // clang-format off
      return {cc * cb, cc * sb * sa - sc * ca, cc * sb * ca + sc * sa,
              sc * cb, sc * sb * sa + cc * ca, sc * sb * ca - cc * sa,
              -sb,     cb * sa,                cb * ca};
      // clang-format on
    }
  }
  return {};
}

// Where a nodule's centre falls within a voxel of the grid (fractions of a voxel along each axis): the
// middle, a corner, and two places between. The middle and corner are the extremes of partial volume.
constexpr std::array<std::array<double, 3>, 4> kPhases{
    {{0, 0, 0}, {0.5, 0.5, 0.5}, {0.31, -0.17, 0.43}, {-0.23, 0.38, -0.11}}};

// A grid of the given orientation and voxel size whose middle lies `phase` voxels from `centre`,
// reaching at least `reach_mm` from it along every axis.
io::VolumeGeometry GridAround(const Point& centre, double reach_mm, Orientation orientation,
                              const std::array<double, 3>& spacing_mm,
                              const std::array<double, 3>& phase = kPhases[2]) {
  io::VolumeGeometry g;
  g.direction = Direction(orientation);
  g.spacing_mm = spacing_mm;
  std::array<double, 3> middle{};
  for (int k = 0; k < 3; ++k) {
    g.size[k] = 2 * static_cast<std::size_t>(std::ceil(reach_mm / spacing_mm[k])) + 5;
    middle[k] = (g.size[k] - 1) / 2.0 + phase[k];
  }
  g.origin_mm = centre;
  for (int a = 0; a < 3; ++a) {
    for (int k = 0; k < 3; ++k)
      g.origin_mm[a] -= g.direction[a * 3 + k] * middle[k] * spacing_mm[k];
  }
  return g;
}

// How much of the segment p + t u, t in [-0.5, 0.5], lies inside the shape (as a fraction of it). Exact:
// each lobe holds one interval of t, where a quadratic in t is <= 0.
double InsideFraction(const Shape& shape, const Point& p, const Point& u) {
  std::vector<std::pair<double, double>> inside;
  for (const Ellipsoid& lobe : shape) {
    const Point q0 = lobe.Scaled(p), q1 = lobe.Scaled({p[0] + u[0], p[1] + u[1], p[2] + u[2]});
    double qa = 0, qb = 0, qc = -1;
    for (int a = 0; a < 3; ++a) {
      const double d = q1[a] - q0[a];
      qa += d * d, qb += 2 * q0[a] * d, qc += q0[a] * q0[a];
    }
    const double disc = qb * qb - 4 * qa * qc;
    if (disc <= 0) continue;
    const double from = std::max(-0.5, (-qb - std::sqrt(disc)) / (2 * qa));
    const double to = std::min(0.5, (-qb + std::sqrt(disc)) / (2 * qa));
    if (from < to) inside.emplace_back(from, to);
  }
  std::sort(inside.begin(), inside.end());
  double length = 0, covered_to = -0.5;
  for (const auto& [from, to] : inside) {
    length += std::max(0.0, to - std::max(from, covered_to));
    covered_to = std::max(covered_to, to);
  }
  return length;
}

// Each voxel holds the fraction of it inside the shape: exact along the slice axis, averaged over 8 x 8
// lines across the slice (an even count, so that no line runs through the middle of the voxel, where
// integer diameters put the tips). Voxels far from every surface are decided by their centre alone.
io::Volume Render(const Shape& shape, const io::VolumeGeometry& g) {
  constexpr int kLines = 8;
  io::Volume out;
  out.geometry = g;
  out.voxels.assign(g.VoxelCount(), 0.0f);
  double half_diagonal = 0;
  for (int k = 0; k < 3; ++k)
    half_diagonal += g.spacing_mm[k] * g.spacing_mm[k] / 4;
  half_diagonal = std::sqrt(half_diagonal);
  const Point slice_step{g.direction[2] * g.spacing_mm[2], g.direction[5] * g.spacing_mm[2],
                         g.direction[8] * g.spacing_mm[2]};
  std::size_t n = 0;
  for (std::size_t k = 0; k < g.size[2]; ++k) {
    for (std::size_t j = 0; j < g.size[1]; ++j) {
      for (std::size_t i = 0; i < g.size[0]; ++i, ++n) {
        const Point centre = g.IndexToPoint(i, j, k);
        bool near_surface = false, deep_inside = false;
        for (const Ellipsoid& lobe : shape) {
          const auto [lo, hi] = std::minmax_element(lobe.diameters.begin(), lobe.diameters.end());
          const double d = Distance(centre, lobe.centre);
          if (d < *lo / 2 - half_diagonal) deep_inside = true;
          if (d <= *hi / 2 + half_diagonal) near_surface = true;
        }
        if (deep_inside || !near_surface) {
          out.voxels[n] = deep_inside ? 1.0f : 0.0f;
          continue;
        }
        double inside = 0;
        for (int b = 0; b < kLines; ++b) {
          for (int a = 0; a < kLines; ++a) {
            const Point p = g.IndexToPoint(i + (a + 0.5) / kLines - 0.5, j + (b + 0.5) / kLines - 0.5, k);
            inside += InsideFraction(shape, p, slice_step);
          }
        }
        out.voxels[n] = static_cast<float>(inside / (kLines * kLines));
      }
    }
  }
  return out;
}

// --- single ellipsoids on every kind of grid --------------------------------------------------------

struct Case {
  Orientation orientation;
  bool thick;  // 1 x 1 x 3 mm voxels (3 mm between slices) instead of 1 mm
  std::array<double, 3> diameters;
  double turn_deg;
};

std::string Name(const Case& c) {
  const char* orientation[] = {"Axial", "Sagittal", "Coronal", "Oblique"};
  char name[96];
  std::snprintf(name, sizeof name, "%s_%s_%gx%gx%g_turn%g", orientation[static_cast<int>(c.orientation)],
                c.thick ? "1x1x3mm" : "1mm", c.diameters[0], c.diameters[1], c.diameters[2], c.turn_deg);
  return name;
}

using CaseParam = std::tuple<Orientation, bool, std::array<double, 3>, double>;

std::string ParamName(const ::testing::TestParamInfo<CaseParam>& info) {
  const auto& [orientation, thick, diameters, turn] = info.param;
  return Name({orientation, thick, diameters, turn});
}

class EllipsoidNodule : public ::testing::TestWithParam<CaseParam> {
 protected:
  Case Param() const {
    const auto& [orientation, thick, diameters, turn] = GetParam();
    return {orientation, thick, diameters, turn};
  }
};

struct Errors {
  double longest = 0, perpendicular = 0, craniocaudal = 0, volume_fraction = 0, centre_mm = 0;
};

Errors Measure(const Ellipsoid& e, Orientation orientation, bool thick, const std::array<double, 3>& phase,
               const NoduleMeasureOptions& options = {}) {
  const double reach = *std::max_element(e.diameters.begin(), e.diameters.end()) / 2 + 2;
  const io::Volume membership =
      Render({e}, GridAround(e.centre, reach, orientation, {1, 1, thick ? 3.0 : 1.0}, phase));
  const NoduleMeasures m = MeasureNodule(membership, options);
  return {m.diameters_mm[0] - std::max(e.diameters[0], e.diameters[1]),
          m.diameters_mm[1] - std::min(e.diameters[0], e.diameters[1]), m.craniocaudal_mm - e.diameters[2],
          m.volume_ml * 1000 / e.Volume() - 1, Distance(m.center_mm, e.centre)};
}

// The error of largest magnitude over all phases, sign kept, for the record.
void Print(const std::string& name, const std::vector<Errors>& all) {
  Errors worst;
  const auto keep = [](double& to, double e) {
    if (std::abs(e) > std::abs(to)) to = e;
  };
  for (const Errors& e : all) {
    keep(worst.longest, e.longest), keep(worst.perpendicular, e.perpendicular);
    keep(worst.craniocaudal, e.craniocaudal), keep(worst.volume_fraction, e.volume_fraction);
    keep(worst.centre_mm, e.centre_mm);
  }
  std::printf(
      "%-34s worst of %zu phases: longest %+.3f perpendicular %+.3f craniocaudal %+.3f mm volume %+.2f %% "
      "centre %.3f mm\n",
      name.c_str(), all.size(), worst.longest, worst.perpendicular, worst.craniocaudal,
      100 * worst.volume_fraction, worst.centre_mm);
}

TEST_P(EllipsoidNodule, MatchesTheAnalyticShape) {
  const Case c = Param();
  const Ellipsoid e{{12.3, -40.7, 18.1}, c.diameters, c.turn_deg};
  // On 1 mm voxels an edge is placed to a fraction of a voxel. The partial volume of a 3 mm slab does
  // not tell where within the slab an edge lies, so there the bound is one slice thickness.
  const double tolerance = c.thick ? 3.0 : 0.5;
  std::vector<Errors> all;
  for (const auto& phase : kPhases) {
    SCOPED_TRACE(::testing::Message() << "phase " << phase[0] << ", " << phase[1] << ", " << phase[2]);
    const Errors error = Measure(e, c.orientation, c.thick, phase);
    EXPECT_LE(std::abs(error.longest), tolerance);
    EXPECT_LE(std::abs(error.perpendicular), tolerance);
    EXPECT_LE(std::abs(error.craniocaudal), tolerance);
    EXPECT_LE(std::abs(error.volume_fraction), 0.05);
    EXPECT_LE(error.centre_mm, 0.3);
    all.push_back(error);
  }
  Print(Name(c), all);
}

INSTANTIATE_TEST_SUITE_P(Grids, EllipsoidNodule,
                         ::testing::Combine(::testing::Values(Orientation::kAxial, Orientation::kSagittal,
                                                              Orientation::kCoronal, Orientation::kOblique),
                                            ::testing::Bool(),
                                            ::testing::Values(std::array<double, 3>{14, 8, 9},
                                                              std::array<double, 3>{6, 5, 5},
                                                              std::array<double, 3>{20, 10, 6}),
                                            ::testing::Values(0.0, 30.0, 77.0)),
                         ParamName);

// --- a two-lobed nodule ---------------------------------------------------------------------------

// The outline of a shape's lobes in its axial plane of largest section (every lobe centred on it).
struct Ellipse {
  double cx, cy, a, b, turn;  // centre, semi-axes, turn of the first axis from LPS x (radians)

  std::array<double, 2> At(double angle) const {
    const double x = a * std::cos(angle), y = b * std::sin(angle);
    return {cx + x * std::cos(turn) - y * std::sin(turn), cy + x * std::sin(turn) + y * std::cos(turn)};
  }
  // Where the line p + s d (d a unit vector) is inside: [s_in, s_out], or false.
  bool Crossing(const std::array<double, 2>& p, const std::array<double, 2>& d, double* s_in,
                double* s_out) const {
    const double c = std::cos(turn), s = std::sin(turn);
    const double px = ((p[0] - cx) * c + (p[1] - cy) * s) / a, py = (-(p[0] - cx) * s + (p[1] - cy) * c) / b;
    const double dx = (d[0] * c + d[1] * s) / a, dy = (-d[0] * s + d[1] * c) / b;
    const double qa = dx * dx + dy * dy, qb = 2 * (px * dx + py * dy), qc = px * px + py * py - 1;
    const double disc = qb * qb - 4 * qa * qc;
    if (disc < 0) return false;
    *s_in = (-qb - std::sqrt(disc)) / (2 * qa), *s_out = (-qb + std::sqrt(disc)) / (2 * qa);
    return true;
  }
};

struct PlaneTruth {
  double longest = 0;
  double perpendicular = 0;  // edge to edge along one line perpendicular to the longest, at its widest
  double width = 0;          // the projection of the whole outline on that perpendicular direction
};

// Found by brute force on the analytic outline: the farthest pair of 2000 points per lobe, then every
// perpendicular line 1 um apart, each crossed with every lobe exactly.
PlaneTruth TruthInPlane(const std::vector<Ellipse>& lobes) {
  std::vector<std::array<double, 2>> points;
  for (const Ellipse& e : lobes) {
    for (int n = 0; n < 2000; ++n)
      points.push_back(e.At(2 * kPi * n / 2000));
  }
  PlaneTruth truth;
  std::array<double, 2> from{}, to{};
  for (std::size_t m = 0; m < points.size(); ++m) {
    for (std::size_t n = m + 1; n < points.size(); ++n) {
      const double d = std::hypot(points[n][0] - points[m][0], points[n][1] - points[m][1]);
      if (d > truth.longest) truth.longest = d, from = points[m], to = points[n];
    }
  }
  const std::array<double, 2> along{(to[0] - from[0]) / truth.longest, (to[1] - from[1]) / truth.longest};
  const std::array<double, 2> across{-along[1], along[0]};
  for (double t = 0; t <= truth.longest; t += 0.001) {
    const std::array<double, 2> p{from[0] + t * along[0], from[1] + t * along[1]};
    double lo = 1e9, hi = -1e9, s_in, s_out;
    for (const Ellipse& e : lobes) {
      if (e.Crossing(p, across, &s_in, &s_out)) lo = std::min(lo, s_in), hi = std::max(hi, s_out);
    }
    truth.perpendicular = std::max(truth.perpendicular, hi - lo);
  }
  double lo = 1e9, hi = -1e9;
  for (const auto& p : points) {
    const double w = (p[0] - from[0]) * across[0] + (p[1] - from[1]) * across[1];
    lo = std::min(lo, w), hi = std::max(hi, w);
  }
  truth.width = hi - lo;
  return truth;
}

// An L of two lobes, turned 30 degrees: the longest diameter runs from the end of one arm to the end
// of the other, and the perpendicular to it crosses the L's corner. Neither the shape's width across
// that diameter nor its arms' thickness is the answer.
TEST(NoduleMeasures, PerpendicularDiameterIsAcrossTheLongestOne) {
  const double turn = 30 * kPi / 180;
  const Point centre{-20.4, 31.8, -7.3};
  const auto place = [&](double x, double y) {
    return Point{centre[0] + x * std::cos(turn) - y * std::sin(turn),
                 centre[1] + x * std::sin(turn) + y * std::cos(turn), centre[2]};
  };
  const Shape l_shape{{place(0, 0), {16, 6, 8}, 30}, {place(6.5, 5), {5, 14, 8}, 30}};
  std::vector<Ellipse> outline;
  for (const Ellipsoid& lobe : l_shape)
    outline.push_back({lobe.centre[0], lobe.centre[1], lobe.diameters[0] / 2, lobe.diameters[1] / 2, turn});
  const PlaneTruth truth = TruthInPlane(outline);
  // The shape tells the definitions apart: the answer is more than the tolerance from the width and from
  // the thicker arm.
  ASSERT_GT(truth.width - truth.perpendicular, 1.0);
  ASSERT_GT(truth.perpendicular - 6, 1.0);

  for (const Orientation orientation : {Orientation::kAxial, Orientation::kOblique}) {
    SCOPED_TRACE(orientation == Orientation::kAxial ? "axial" : "oblique");
    const NoduleMeasures m =
        MeasureNodule(Render(l_shape, GridAround(place(3, 3), 14, orientation, {1, 1, 1})));
    std::printf(
        "L-shaped: longest %.3f (truth %.3f), perpendicular %.3f (truth %.3f, width %.3f), craniocaudal "
        "%.3f\n",
        m.diameters_mm[0], truth.longest, m.diameters_mm[1], truth.perpendicular, truth.width,
        m.craniocaudal_mm);
    EXPECT_NEAR(m.diameters_mm[0], truth.longest, 0.5);
    EXPECT_NEAR(m.diameters_mm[1], truth.perpendicular, 0.5);
    EXPECT_NEAR(m.craniocaudal_mm, 8, 0.5);
    EXPECT_NEAR(m.axial_level_mm, centre[2], 0.5);
  }
}

// Linear interpolation (spline order 1) cuts the pointed ends of flat nodules shorter than cubic does,
// but still meets the 1 mm target on 1 mm scans.
TEST(NoduleMeasures, LinearInterpolationMeetsTheMillimetreTarget) {
  NoduleMeasureOptions linear;
  linear.spline_order = 1;
  for (const Orientation orientation : {Orientation::kAxial, Orientation::kCoronal, Orientation::kOblique}) {
    for (const auto& diameters : {std::array<double, 3>{20, 10, 6}, std::array<double, 3>{6, 5, 5}}) {
      const Ellipsoid e{{-3.2, 11.9, 40.6}, diameters, 30};
      std::vector<Errors> all;
      for (const auto& phase : kPhases) {
        SCOPED_TRACE(::testing::Message()
                     << Name({orientation, false, diameters, 30}) << " phase " << phase[0]);
        const Errors error = Measure(e, orientation, false, phase, linear);
        EXPECT_LE(std::abs(error.longest), 1.0);
        EXPECT_LE(std::abs(error.perpendicular), 1.0);
        EXPECT_LE(std::abs(error.craniocaudal), 1.0);
        all.push_back(error);
      }
      Print("linear " + Name({orientation, false, diameters, 30}), all);
    }
  }
}

// Nothing reaches the threshold: the nodule still has a centre and a volume.
TEST(NoduleMeasures, FaintNoduleHasNoDiameters) {
  io::Volume faint;
  faint.geometry = GridAround({5, -5, 30}, 5, Orientation::kOblique, {1, 1, 3});
  faint.voxels.assign(faint.geometry.VoxelCount(), 0.0f);
  faint.voxels[faint.geometry.VoxelCount() / 2] = 0.3f;
  const NoduleMeasures m = MeasureNodule(faint);
  EXPECT_EQ(m.diameters_mm[0], 0);
  EXPECT_EQ(m.diameters_mm[1], 0);
  EXPECT_EQ(m.craniocaudal_mm, 0);
  EXPECT_NEAR(m.volume_ml, 0.3 * 3 / 1000, 1e-9);
  EXPECT_EQ(m.axial_level_mm, m.center_mm[2]);
}

TEST(NoduleMeasures, EmptyMembershipIsAnError) {
  io::Volume empty;
  empty.geometry = GridAround({0, 0, 0}, 5, Orientation::kAxial, {1, 1, 1});
  empty.voxels.assign(empty.geometry.VoxelCount(), 0.0f);
  EXPECT_THROW(MeasureNodule(empty), std::invalid_argument);
}

}  // namespace
}  // namespace leptoscan::filters
