#include "testdata/phantom/spine_anatomy.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace leptoscan::phantom {
namespace {

constexpr double kDuraMm = 0.6;
constexpr double kConusTaperMm = 22;  // the cord narrows to its tip over this length
constexpr double kSacTaperMm = 30;    // and the sac to its end

// The canal's centre line: its offset (mm, posterior positive) at s, from the top of C1. Cervical
// lordosis, thoracic kyphosis, lumbar lordosis and the sacrum sloping back.
constexpr std::array<std::pair<double, double>, 8> kCurve{
    {{-40, 2}, {70, -7}, {125, 0}, {270, 18}, {420, 4}, {520, -10}, {590, 0}, {690, 40}}};

// Cross-section sizes (mm) at levels s, interpolated linearly between: C1, C5 (cervical enlargement),
// C7-T1, mid-thoracic, T12, L1, L3, S1, S3. One row per field of SpineAnatomy::Profile, in its order.
constexpr std::array<double, 9> kAnchors{0, 60, 122, 250, 400, 440, 520, 590, 640};
constexpr std::array<std::array<double, 9>, 15> kRows{{
    {13, 12.5, 10, 8.5, 9, 10.5, 11.5, 12, 9},           // canal_a: bony canal, half width
    {8.5, 7.5, 7.5, 8, 8, 8.5, 9, 8, 5},                 // canal_b: half depth
    {1.5, 1.5, 1.5, 1.5, 2, 2, 2.5, 3, 3},               // sac_gap_a: epidural space beside the sac
    {1.25, 1.25, 1.5, 1.75, 1.75, 2.25, 2.5, 2.5, 2.5},  // sac_gap_b: (in front + behind) / 2
    {6.5, 7, 5, 4.5, 5, 5, 5, 5, 5},                     // cord_a
    {4.2, 4.5, 3.8, 3.6, 4, 4, 4, 4, 4},                 // cord_b
    {9, 9.5, 11, 14, 18, 21, 23, 24, 20},                // body_a
    {14, 16, 18, 25, 30, 32, 34, 32, 22},                // body_depth
    {5, 4, 5, 5, 6, 7, 7, 6, 5},                         // arch: lamina thickness
    {16, 20, 30, 30, 28, 28, 28, 15, 10},                // spinous: length behind the canal
    {0.3, 0.3, 0.6, 1.0, 0.5, 0.1, 0.1, 0.1, 0},         // spinous_slope: caudal drop per mm
    {8, 8, 10, 10, 14, 20, 20, 12, 10},                  // spinous_height
    {8, 8, 10, 10, 12, 14, 14, 10, 8},                   // muscle_behind: past the spinous tips
    {8, 10, 12, 12, 15, 18, 20, 20, 20},                 // fat: subcutaneous
    {60, 65, 110, 170, 160, 150, 140, 130, 120},         // front: skin in front of the canal
}};

double Interpolate(const std::array<double, 9>& row, double s) {
  if (s <= kAnchors.front()) return row.front();
  if (s >= kAnchors.back()) return row.back();
  std::size_t i = 1;
  while (kAnchors[i] < s)
    ++i;
  const double t = (s - kAnchors[i - 1]) / (kAnchors[i] - kAnchors[i - 1]);
  return row[i - 1] + t * (row[i] - row[i - 1]);
}

constexpr double kTableFrom = SpineAnatomy::kFieldTop - 60, kTableTo = SpineAnatomy::kFieldBottom + 60;
constexpr double kTableStep = 0.25;

// Cubic Hermite spline through kCurve (finite-difference tangents): the offset and its derivative in s.
std::pair<double, double> CurveAt(double s) {
  const auto& c = kCurve;
  std::size_t i = 1;
  while (i + 1 < c.size() && c[i].first < s)
    ++i;
  const auto tangent = [&](std::size_t k) {
    const std::size_t lo = k == 0 ? 0 : k - 1, hi = std::min(k + 1, c.size() - 1);
    return (c[hi].second - c[lo].second) / (c[hi].first - c[lo].first);
  };
  const double h = c[i].first - c[i - 1].first, t = (s - c[i - 1].first) / h;
  const double m0 = tangent(i - 1) * h, m1 = tangent(i) * h;
  const double y0 = c[i - 1].second, y1 = c[i].second;
  const double t2 = t * t, t3 = t2 * t;
  const double y =
      (2 * t3 - 3 * t2 + 1) * y0 + (t3 - 2 * t2 + t) * m0 + (-2 * t3 + 3 * t2) * y1 + (t3 - t2) * m1;
  const double dy =
      ((6 * t2 - 6 * t) * y0 + (3 * t2 - 4 * t + 1) * m0 + (-6 * t2 + 6 * t) * y1 + (3 * t2 - 2 * t) * m1) /
      h;
  return {y, dy};
}

// Approximate signed distance to an ellipse of half-axes a, b centred at the origin (negative inside),
// accurate near its boundary.
double EllipseDistance(double u, double v, double a, double b) {
  a = std::max(a, 0.05), b = std::max(b, 0.05);
  const double p = u / a, q = v / b, k0 = std::sqrt(p * p + q * q),
               k1 = std::sqrt(p * p / (a * a) + q * q / (b * b));
  return k1 > 0 ? k0 * (k0 - 1) / k1 : -std::min(a, b);
}

// Bone: a cortical shell of 1 mm around marrow.
Label Bone(double depth_mm) {
  return depth_mm < 1.0 ? kSkull : kMarrow;
}

}  // namespace

SpineAnatomy::SpineAnatomy(SpineShape shape) : shape_(shape) {
  for (double s = kTableFrom; s <= kTableTo + kTableStep; s += kTableStep) {
    const auto row = [s](int r) { return Interpolate(kRows[r], s); };
    const auto [y, dy] = CurveAt(s);
    profiles_.push_back({row(0), row(1), row(2), row(3), row(4), row(5), row(6), row(7), row(8), row(9),
                         row(10), row(11), row(12), row(13), row(14), y, dy});
  }
  // Body heights and the discs below them (mm), an adult of about 1.65 m.
  struct Level {
    std::string name;
    double body, disc;
  };
  std::vector<Level> levels = {{"C1", 10, 1.5}, {"C2", 17, 4.5}};
  for (int i = 3; i <= 7; ++i)
    levels.push_back({"C" + std::to_string(i), 13, 5});
  for (int i = 1; i <= 12; ++i)
    levels.push_back({"T" + std::to_string(i), 16.5 + (i - 1) * 6.0 / 11, 4 + (i - 1) * 2.0 / 11});
  const double lumbar_discs[] = {8, 9, 10, 10, 9};
  for (int i = 1; i <= 5; ++i)
    levels.push_back({"L" + std::to_string(i), 25, lumbar_discs[i - 1]});
  const double sacral[] = {24, 20, 17, 14, 11};
  for (int i = 1; i <= 5; ++i)
    levels.push_back({"S" + std::to_string(i), sacral[i - 1], 0});
  double s = 0;
  for (const Level& l : levels) {
    vertebrae_.push_back({l.name, s, s + l.body, l.disc});
    s += l.body + l.disc;
  }
  const Vertebra& l1 = VertebraNamed("L1");
  conus_tip_ = l1.bottom + l1.disc_below / 2 + shape.conus_shift_mm;
  sac_end_ = VertebraNamed("S2").top + 6;

  // Cauda equina: a dorsal (sensory) and a ventral (motor) root per level and side, from the conus down
  // the sac, lying dorsally as they do in a supine patient, out through the dura into their foramen.
  const char* exits[] = {"L1", "L2", "L3", "L4", "L5", "S1", "S2"};
  for (int rank = 0; rank < 7; ++rank) {
    const Vertebra& v = VertebraNamed(exits[rank]);
    const double exit = std::min(v.bottom - 0.2 * (v.bottom - v.top), sac_end_ - 6);
    for (double side : {1.0, -1.0}) {
      for (bool dorsal : {true, false}) {
        NerveRoot root;
        root.name = std::string(exits[rank]) + (side > 0 ? "_L" : "_R") + (dorsal ? "_dorsal" : "_ventral");
        root.radius_mm = dorsal ? 0.75 : 0.6;
        const double start = conus_tip_ - 24 + 3 * rank;
        const Section cord = Cord(start), sac = SacInside(exit - 10), at_exit = SacInside(exit);
        root.path = {PointAt(start, side * cord.a * 0.85, cord.centre_v + (dorsal ? 0.6 : -0.6) * cord.b),
                     PointAt(exit - 10, side * (sac.a - 1.5), sac.centre_v + (dorsal ? 1.5 : -0.5)),
                     PointAt(exit, side * (at_exit.a + kDuraMm + 0.5), at_exit.centre_v),
                     PointAt(exit + 6, side * (ProfileAt(exit + 6).canal_a + 7), -1.5)};
        root.top = start, root.bottom = exit + 6, root.exit = exit;
        roots_.push_back(root);
      }
    }
  }
  NerveRoot filum;
  filum.name = "filum_terminale";
  filum.radius_mm = 0.5;
  const double filum_v = Cord(conus_tip_ - 2).centre_v;
  for (double at = conus_tip_ - 2; at < sac_end_ + 10; at += 10)
    filum.path.push_back(PointAt(at, 0, filum_v));
  filum.top = conus_tip_ - 2, filum.bottom = filum.top + 10 * (filum.path.size() - 1);
  filum.exit = sac_end_;
  roots_.push_back(filum);
}

const SpineAnatomy::Profile& SpineAnatomy::ProfileAt(double s) const {
  const double at = std::clamp((s - kTableFrom) / kTableStep, 0.0, static_cast<double>(profiles_.size() - 1));
  return profiles_[static_cast<std::size_t>(std::lround(at))];
}

const Vertebra& SpineAnatomy::VertebraNamed(const std::string& name) const {
  for (const Vertebra& v : vertebrae_) {
    if (v.name == name) return v;
  }
  throw std::invalid_argument("unknown vertebra '" + name + "'");
}

std::pair<double, double> SpineAnatomy::Centre(double z) const {
  // Linear between table rows, so that the Newton steps of Frame see a continuous line.
  const double at = std::clamp((z_top_ - z - kTableFrom) / kTableStep, 0.0, profiles_.size() - 1.001);
  const std::size_t i = static_cast<std::size_t>(at);
  const double t = at - i;
  const Profile &a = profiles_[i], &b = profiles_[i + 1];
  return {y_top_ + a.curve_y + t * (b.curve_y - a.curve_y), -(a.curve_dy + t * (b.curve_dy - a.curve_dy))};
}

CanalPoint SpineAnatomy::Frame(const Vec3& p) const {
  // The foot of the perpendicular from p on the centre line, by Newton steps on z.
  double z = p.z;
  for (int i = 0; i < 2; ++i) {
    const auto [y, slope] = Centre(z);
    z += ((p.y - y) * slope + (p.z - z)) / (1 + slope * slope);
  }
  const auto [y, slope] = Centre(z);
  return {z_top_ - z, p.x, ((p.y - y) - slope * (p.z - z)) / std::sqrt(1 + slope * slope)};
}

Vec3 SpineAnatomy::PointAt(double s, double u, double v) const {
  const double z = z_top_ - s;
  return Vec3{u, Centre(z).first, z} + Posterior(s) * v;
}

Vec3 SpineAnatomy::Tangent(double s) const {
  return Vec3{0, -Centre(z_top_ - s).second, -1}.Unit();
}

Vec3 SpineAnatomy::Posterior(double s) const {
  return Vec3{0, 1, -Centre(z_top_ - s).second}.Unit();
}

SpineAnatomy::Section SpineAnatomy::Cord(double s) const {
  const Profile& pr = ProfileAt(s);
  const double taper = std::clamp((conus_tip_ - s) / kConusTaperMm, 0.0, 1.0);
  return {pr.cord_a * taper, pr.cord_b * taper, SacInside(s).centre_v - 0.5};
}

SpineAnatomy::Section SpineAnatomy::SacInside(double s) const {
  const Profile& pr = ProfileAt(s);
  const double taper = std::pow(std::clamp((sac_end_ - s) / kSacTaperMm, 0.0, 1.0), 0.6);
  const double outer_a = (pr.canal_a - pr.sac_gap_a) * taper, outer_b = (pr.canal_b - pr.sac_gap_b) * taper;
  // The sac lies against the front of the canal (0.8 mm of venous plexus); the fat is behind it.
  return {outer_a - kDuraMm, outer_b - kDuraMm, -pr.canal_b + 0.8 + (pr.canal_b - pr.sac_gap_b)};
}

double SpineAnatomy::CordDistance(const Vec3& p) const {
  const CanalPoint c = Frame(p);
  const Section cord = Cord(std::min(c.s, conus_tip_ - 0.5));
  const double across = EllipseDistance(c.u, c.v - cord.centre_v, cord.a, cord.b);
  return c.s < conus_tip_ ? across : std::hypot(std::max(across, 0.0), c.s - conus_tip_);
}

double SpineAnatomy::SacDistance(const Vec3& p) const {
  const CanalPoint c = Frame(p);
  const Section sac = SacInside(c.s);
  const double across = EllipseDistance(c.u, c.v - sac.centre_v, sac.a, sac.b);
  return c.s < sac_end_ ? across : std::hypot(std::max(across, 0.0), c.s - sac_end_);
}

double SpineAnatomy::RootDistance(const Vec3& p) const {
  return RootDistanceAt(p, Frame(p).s);
}

double SpineAnatomy::RootDistanceAt(const Vec3& p, double s) const {
  double best = std::numeric_limits<double>::infinity();
  for (const NerveRoot& root : roots_) {
    if (s < root.top - 3 || s > root.bottom + 3) continue;
    for (std::size_t i = 0; i + 1 < root.path.size(); ++i)
      best = std::min(best, SegmentDistance(p, root.path[i], root.path[i + 1]) - root.radius_mm);
  }
  return best;
}

Label SpineAnatomy::LabelAt(const Vec3& p) const {
  const CanalPoint c = Frame(p);
  const double s = std::clamp(c.s, kFieldTop - 30, kFieldBottom + 30);
  const Profile& pr = ProfileAt(s);
  const double muscle_back = pr.canal_b + pr.spinous + pr.muscle_behind;
  if (c.v > muscle_back + pr.fat || c.v < -pr.front) return kAir;
  if (c.v > muscle_back) return kFat;
  // In front of the bodies: soft tissue, and the airway in front of the cervical spine.
  const double front = -pr.canal_b - 0.3 - pr.body_depth;
  if (c.v < front - 1)
    return s < 122 && c.v < front - 6 && c.v > front - 22 && std::abs(c.u) < 8 ? kAir : kMuscle;
  const double in_canal = EllipseDistance(c.u, c.v, pr.canal_a, pr.canal_b);
  if (in_canal < 0) {
    const Section sac = SacInside(s);
    if (s < sac_end_) {
      const double in_sac = EllipseDistance(c.u, c.v - sac.centre_v, sac.a, sac.b);
      if (in_sac >= 0 && in_sac < kDuraMm) return kDura;
      if (in_sac < 0) {
        const Section cord = Cord(s);
        if (s < conus_tip_ && EllipseDistance(c.u, c.v - cord.centre_v, cord.a, cord.b) < 0)
          return kSpinalCord;
        return RootDistanceAt(p, s) < 0 ? kNerveRoot : kSubarachnoidCsf;
      }
    }
    if (RootDistanceAt(p, s) < 0) return kNerveRoot;
    // The anterior internal venous plexus lies between the sac and the back of the bodies.
    if (c.v < sac.centre_v - 0.5 * sac.b && std::abs(c.u) < 0.7 * pr.canal_a) return kCorticalVein;
    return kFat;
  }
  // Vertebral bodies and discs in front of the canal.
  const double body_centre = -pr.canal_b - 0.3 - pr.body_depth / 2;
  const auto next = std::upper_bound(vertebrae_.begin(), vertebrae_.end(), s,
                                     [](double at, const Vertebra& v) { return at < v.top; });
  const Vertebra* level = next == vertebrae_.begin() ? nullptr : &*(next - 1);
  if (level && c.v < -pr.canal_b) {
    if (s <= level->bottom) {
      const double inside = -EllipseDistance(c.u, c.v - body_centre, pr.body_a, pr.body_depth / 2);
      if (inside > 0) return Bone(std::min({inside, s - level->top, level->bottom - s}));
    } else if (EllipseDistance(c.u, c.v - body_centre, pr.body_a + 0.5, pr.body_depth / 2 + 0.5) < 0) {
      return kDisc;
    }
  }
  // Posterior arch (pedicles and laminae) around the canal, with the neural foramina between pedicles.
  const bool sacrum = level && level->name[0] == 'S';
  if (level && c.v > -pr.canal_b - 0.5 && in_canal < pr.arch) {
    const double h = level->bottom - level->top;
    const bool pedicle = std::abs(c.u) > 0.55 * pr.canal_a && c.v < 0.5 * pr.canal_b;
    const double from = level->top + (pedicle ? 1 : 0.15 * h);
    const double to = pedicle ? level->top + 0.6 * h : level->bottom + (sacrum ? 0 : 0.6 * level->disc_below);
    if (s >= from && s <= to) return Bone(std::min({in_canal, pr.arch - in_canal, s - from, to - s}));
    if (pedicle) return RootDistanceAt(p, s) < 0 ? kNerveRoot : kFat;  // the foramen
    if (!sacrum) return kMuscle;                                       // ligamentum flavum
  }
  // Spinous processes, sloping down from their laminae (steeply in the thoracic spine).
  if (c.v > pr.canal_b && c.v < pr.canal_b + pr.spinous && std::abs(c.u) < 3.5) {
    for (auto v = next; v != vertebrae_.begin();) {
      --v;
      if (v->top < s - 60) break;
      const Profile& own = ProfileAt(v->top);
      const double at = v->top + 0.2 * (v->bottom - v->top) + own.spinous_slope * (c.v - pr.canal_b);
      if (s >= at && s <= at + own.spinous_height) {
        return Bone(std::min(
            {3.5 - std::abs(c.u), s - at, at + own.spinous_height - s, pr.canal_b + pr.spinous - c.v}));
      }
    }
  }
  return kMuscle;
}

Box SpineAnatomy::field_of_view() const {
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (double s = kFieldTop; s <= kFieldBottom; s += 1) {
    const Profile& pr = ProfileAt(s);
    hi = std::max(hi, PointAt(s, 0, pr.canal_b + pr.spinous + pr.muscle_behind + pr.fat).y + 8);
    lo = std::min(lo, PointAt(s, 0, -pr.canal_b - pr.body_depth - 80).y);
  }
  return {{-22.5, lo, z_top_ - kFieldBottom}, {22.5, hi, z_top_ - kFieldTop}};
}

Box SpineAnatomy::CanalBox(double s0, double s1, double margin_mm) const {
  const double inf = std::numeric_limits<double>::infinity();
  Vec3 lo{inf, inf, inf}, hi{-inf, -inf, -inf};
  for (double s = s0;; s = std::min(s + 1, s1)) {
    const Profile& pr = ProfileAt(s);
    for (double u : {-pr.canal_a, pr.canal_a}) {
      for (double v : {-pr.canal_b, pr.canal_b}) {
        const Vec3 p = PointAt(s, u, v);
        lo = {std::min(lo.x, p.x), std::min(lo.y, p.y), std::min(lo.z, p.z)};
        hi = {std::max(hi.x, p.x), std::max(hi.y, p.y), std::max(hi.z, p.z)};
      }
    }
    if (s >= s1) break;
  }
  const Vec3 m{margin_mm, margin_mm, margin_mm};
  return {lo - m, hi + m};
}

LabelMap RasterizeSpine(const SpineAnatomy& spine, double spacing_mm) {
  // Room for the pre-contrast series' drift and the per-visit planning offset.
  const Box view = spine.field_of_view();
  const Vec3 margin{5, 10, 8};
  return Rasterize({view.lo - margin, view.hi + margin}, spacing_mm,
                   [&spine](const Vec3& p) { return spine.LabelAt(p); });
}

}  // namespace leptoscan::phantom
