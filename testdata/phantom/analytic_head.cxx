#include "testdata/phantom/analytic_head.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace leptoscan::phantom {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr Vec3 kCerebrumRadii{68, 85, 62};
constexpr Vec3 kCerebellumCentre{0, 52, -34};
constexpr Vec3 kCerebellumRadii{52, 26, 21};
constexpr double kSubarachnoidMm = 2.5;  // pia to arachnoid/dura over the convexity
constexpr double kDuraMm = 1.0;
constexpr double kCorticalGreyMm = 2.5;
constexpr double kCerebellarGreyMm = 1.2;
// Sulcal banks wave with this amplitude and wavelength, so sulci are not flat cuts.
constexpr double kWaveMm = 2.0;
constexpr double kWavelengthMm = 22.0;
constexpr int kFolia = 40;                // fissures around the cerebellum in a sagittal section
constexpr double kFoliumFissureMm = 1.0;  // CSF width of a cerebellar fissure
constexpr double kFoliumDepthMm = 9.0;

// The brainstem as a chain of cones: midbrain, pons (the bulge), medulla, upper cord.
struct StemPoint {
  Vec3 centre;
  double radius;
};
constexpr StemPoint kStem[] = {{{0, 14, -6}, 10}, {{0, 22, -28}, 13}, {{0, 28, -58}, 8}, {{0, 30, -95}, 7}};

struct Ellipsoid {
  Vec3 centre, radii;
};
// Basal cisterns: one basal compartment around the brainstem (prepontine, cerebellopontine angles,
// interpeduncular), the suprasellar cistern and sella, and the cisterna magna.
constexpr Ellipsoid kCisterns[] = {{{0, 12, -32}, {22, 16, 18}},
                                   {{0, -8, -18}, {14, 9, 6}},
                                   {{0, -12, -29}, {8, 7, 6}},
                                   {{0, 58, -58}, {14, 10, 8}}};
constexpr Ellipsoid kPituitaryGland{{0, -12, -30}, {6, 5, 4}};

struct SulcusSpec {
  const char* name;
  const char* lobe;
  Vec3 radial;  // left hemisphere (x > 0); mirrored for the right
  Vec3 run;
  double half_angle, depth, width;
};
// Major sulci of one hemisphere, placed by eye on an ellipsoidal cerebrum (LPS: +x left, +y posterior).
constexpr SulcusSpec kSulci[] = {
    {"precentral", "frontal", {0.55, -0.22, 0.80}, {0.55, -0.2, -0.8}, 0.42, 13, 1.6},
    {"central", "frontal", {0.55, 0.05, 0.83}, {0.6, -0.25, -0.75}, 0.48, 16, 1.6},
    {"postcentral", "parietal", {0.55, 0.32, 0.77}, {0.55, -0.3, -0.75}, 0.42, 13, 1.6},
    {"superior_frontal", "frontal", {0.30, -0.62, 0.72}, {0, 1, 0}, 0.34, 12, 1.6},
    {"middle_frontal", "frontal", {0.62, -0.62, 0.45}, {0, 1, 0.1}, 0.30, 11, 1.6},
    {"inferior_frontal", "frontal", {0.78, -0.55, 0.20}, {0, 1, 0.2}, 0.30, 11, 1.6},
    {"lateral_fissure", "temporal", {0.95, -0.05, -0.15}, {0, 1, 0.35}, 0.50, 20, 2.4},
    {"superior_temporal", "temporal", {0.88, 0.18, -0.42}, {0, 1, 0.1}, 0.42, 12, 1.6},
    {"inferior_temporal", "temporal", {0.72, 0.22, -0.66}, {0, 1, 0}, 0.36, 10, 1.6},
    {"intraparietal", "parietal", {0.58, 0.56, 0.58}, {0, 1, -0.3}, 0.34, 14, 1.6},
    {"parieto_occipital", "occipital", {0.22, 0.88, 0.42}, {1, 0, -0.4}, 0.30, 14, 1.6},
    {"lateral_occipital", "occipital", {0.62, 0.78, 0.05}, {0, 0, 1}, 0.30, 10, 1.6},
};

struct NerveSpec {
  const char* name;
  Vec3 from, to;  // left side
  double radius;
};
constexpr NerveSpec kNerves[] = {{"III", {5, 6, -13}, {13, -14, -22}, 1.3},
                                 {"V", {13, 19, -29}, {27, 2, -31}, 1.8},
                                 {"VII_VIII", {11, 25, -42}, {33, 22, -41}, 1.4}};
constexpr double kNerveSheathMm = 3.5;  // CSF around each cisternal nerve

Vec3 Mirror(const Vec3& v, Side side) {
  return side == Side::kLeft ? v : Vec3{-v.x, v.y, v.z};
}

double SmoothMin(double a, double b, double k) {
  const double h = std::max(k - std::abs(a - b), 0.0) / k;
  return std::min(a, b) - h * h * k * 0.25;
}

}  // namespace

AnalyticHead::AnalyticHead(HeadShape shape) : Anatomy(shape) {
  cerebrum_centre_ = kCerebrumCentre;
  landmarks_.head = {{-90, -106, -92}, {90, 106, 94}};
  landmarks_.cerebrum_interior = {{-55, -65, -10}, {55, 60, 55}};
  landmarks_.posterior_fossa = {{-60, 20, -60}, {60, 85, -8}};
  landmarks_.basal_cisterns = {{-30, -10, -60}, {30, 40, -5}};
  landmarks_.ventricles = {{-60, -60, -30}, {60, 60, 40}};
  landmarks_.cerebellum_centre = kCerebellumCentre;
  landmarks_.ventricle_front = -38, landmarks_.ventricle_back = 54;
  // Frontal horns 2 * (11 + 7.5) mm over an inner skull of 142.7 mm at their level.
  landmarks_.evans_index = 37.0 / 142.7;
  lesion_sulci_ = {"precentral",       "central",           "postcentral",   "superior_frontal",
                   "middle_frontal",   "superior_temporal", "intraparietal", "parieto_occipital",
                   "inferior_frontal", "lateral_occipital"};
  for (Side side : {Side::kLeft, Side::kRight}) {
    for (const SulcusSpec& spec : kSulci) {
      Sulcus s;
      s.name = spec.name;
      s.lobe = spec.lobe;
      s.side = side;
      s.radial = Mirror(spec.radial, side).Unit();
      const Vec3 run = Mirror(spec.run, side);
      s.run = (run - s.radial * run.Dot(s.radial)).Unit();
      s.normal = s.radial.Cross(s.run).Unit();
      s.half_angle = spec.half_angle;
      s.depth_mm = spec.depth;
      s.width_mm = spec.width;
      sulci_.push_back(s);
    }
    for (const NerveSpec& spec : kNerves) {
      nerves_.push_back({spec.name, side, Mirror(spec.from, side), Mirror(spec.to, side), spec.radius});
    }
  }
  // Cortical veins: two lie in sulci (where they look most like sulcal LM), one crosses a gyral crown.
  for (const auto& [name, side] :
       {std::pair{"central", Side::kLeft}, std::pair{"superior_frontal", Side::kRight}}) {
    const Sulcus& s = *std::find_if(sulci_.begin(), sulci_.end(),
                                    [&](const Sulcus& x) { return x.name == name && x.side == side; });
    Vec3 previous;
    for (int i = 0; i <= 6; ++i) {
      const double angle = (-0.6 + 0.2 * i) * s.half_angle;
      const Vec3 direction = s.radial * std::cos(angle) + s.run * std::sin(angle);
      Vec3 point = CerebralSurfacePoint(direction) - direction * 2.0;
      const Vec3 q = point - kCerebrumCentre;
      point =
          point - s.normal * (q.Dot(s.normal) + kWaveMm * std::sin(2 * M_PI * q.Dot(s.run) / kWavelengthMm));
      if (i > 0) veins_.push_back({previous, point, 0.9});
      previous = point;
    }
  }
  const Vec3 crown_from = CerebralSurfacePoint({0.9, 0.3, 0.3}) + Vec3{1.2, 0, 0};
  const Vec3 crown_to = CerebralSurfacePoint({0.35, 0.25, 0.9}) + Vec3{0.5, 0, 1.2};
  veins_.push_back({crown_from, crown_to, 1.0});
}

std::unique_ptr<Anatomy> AnalyticHead::WithShape(const HeadShape& shape) const {
  return std::make_unique<AnalyticHead>(shape);
}

Vec3 AnalyticHead::AtriumCentre(Side side) const {
  return {17 * shape_.ventricle_scale * (side == Side::kLeft ? 1 : -1), 26, 14};
}

Box AnalyticHead::SulcusBox(const Sulcus& s, double from, double to) const {
  const Vec3 a =
      CerebralSurfacePoint(s.radial * std::cos(from * s.half_angle) + s.run * std::sin(from * s.half_angle));
  const Vec3 b =
      CerebralSurfacePoint(s.radial * std::cos(to * s.half_angle) + s.run * std::sin(to * s.half_angle));
  const double pad = s.depth_mm + 10;
  return {{std::min(a.x, b.x) - pad, std::min(a.y, b.y) - pad, std::min(a.z, b.z) - pad},
          {std::max(a.x, b.x) + pad, std::max(a.y, b.y) + pad, std::max(a.z, b.z) + pad}};
}

double AnalyticHead::TentoriumZ(double y) const {
  return -13 + 0.08 * (y - 30);
}

double AnalyticHead::CerebrumDistance(const Vec3& p) const {
  const double ellipsoid = EllipsoidDistance(p, kCerebrumCentre, kCerebrumRadii);
  // Behind the temporal lobes the cerebrum sits on the tentorium, above the cerebellum.
  const double above_tentorium = p.y > 28 ? TentoriumZ(p.y) + 1.5 - p.z : -kInf;
  return std::max(ellipsoid, above_tentorium);
}

double AnalyticHead::CerebellumDistance(const Vec3& p) const {
  const double ellipsoid = EllipsoidDistance(p, kCerebellumCentre, kCerebellumRadii);
  return std::max(ellipsoid, p.z - (TentoriumZ(p.y) - 1.5));
}

double AnalyticHead::BrainstemDistance(const Vec3& p) const {
  double best = kInf;
  for (std::size_t i = 0; i + 1 < std::size(kStem); ++i) {
    double t = 0;
    const double d = SegmentDistance(p, kStem[i].centre, kStem[i + 1].centre, &t);
    best = std::min(best, d - (kStem[i].radius + t * (kStem[i + 1].radius - kStem[i].radius)));
  }
  return best;
}

double AnalyticHead::InnerSkullDistance(const Vec3& p) const {
  const double cerebrum = EllipsoidDistance(p, kCerebrumCentre, kCerebrumRadii);
  const double fossa = EllipsoidDistance(p, kCerebellumCentre, kCerebellumRadii);
  // Above z = 10 the brainstem (top at z = 4) lies deep inside the cerebrum and cannot shape the skull.
  const double supratentorial = SmoothMin(cerebrum, fossa, 10);
  const double brain = p.z < 10 ? SmoothMin(supratentorial, BrainstemDistance(p), 6) : supratentorial;
  return brain - (kSubarachnoidMm + kDuraMm);
}

double AnalyticHead::SulcusOffset(const Sulcus& s, const Vec3& q) const {
  return q.Dot(s.normal) + kWaveMm * std::sin(2 * M_PI * q.Dot(s.run) / kWavelengthMm);
}

bool AnalyticHead::SulcusFrame(const Sulcus& s, const Vec3& p, double* along, double* offset) const {
  const Vec3 q = p - kCerebrumCentre;
  const double radial = q.Dot(s.radial);
  if (radial <= 0) return false;
  const double a = std::atan2(q.Dot(s.run), radial) / s.half_angle;
  if (std::abs(a) > 1) return false;
  *along = a;
  *offset = SulcusOffset(s, q);
  return true;
}

double AnalyticHead::CerebralPialDistance(const Vec3& p, double cerebrum, double cutoff) const {
  const double depth = -cerebrum;
  double pial = depth;
  const bool left = p.x >= 0;
  const Vec3 q = p - kCerebrumCentre;
  for (const Sulcus& s : sulci_) {
    if ((s.side == Side::kLeft) != left) continue;
    // Terms that cannot come under the cutoff are skipped before the trigonometry.
    if (depth - s.depth_mm > cutoff || std::abs(q.Dot(s.normal)) - kWaveMm - s.width_mm / 2 > cutoff)
      continue;
    double along = 0, offset = 0;
    if (!SulcusFrame(s, p, &along, &offset)) continue;
    const double bottom = s.depth_mm * (1 - std::pow(along, 4));  // sulci taper at their ends
    const double bank = std::abs(offset) - s.width_mm / 2;
    pial = std::min(pial, depth <= bottom ? bank : std::hypot(std::max(bank, 0.0), depth - bottom));
  }
  // Interhemispheric fissure: down to the corpus callosum over its length, deeper in front and behind.
  const double fissure_bottom = std::abs(p.y - 5) < 40 ? 24.0 : -60.0;
  const double bank = std::abs(p.x) - 0.75;
  pial = std::min(pial, p.z >= fissure_bottom ? bank : std::hypot(std::max(bank, 0.0), fissure_bottom - p.z));
  return pial;
}

double AnalyticHead::FoliumDistance(const Vec3& p, double cerebellum) const {
  const Vec3 q = p - kCerebellumCentre;
  const double spacing = 2 * M_PI / kFolia;
  const double angle = std::remainder(std::atan2(q.z, q.y), spacing);
  const double bank = std::hypot(q.y, q.z) * std::abs(angle) - kFoliumFissureMm / 2;
  const double depth = -cerebellum;
  const double folium =
      depth <= kFoliumDepthMm ? bank : std::hypot(std::max(bank, 0.0), depth - kFoliumDepthMm);
  return std::min(depth, folium);
}

double AnalyticHead::VentricleDistanceScaled(const Vec3& p) const {
  const double s = shape_.ventricle_scale;
  // Outside the box that holds every ventricle, the distance to the box is a lower bound.
  const double box = std::max({std::abs(p.x) - 40 * s, -45 - p.y, p.y - 58, -50 - p.z, p.z - 30});
  if (box > 0) return box;
  const double side = p.x >= 0 ? 1 : -1;
  const Ellipsoid lateral[] = {{{side * 11 * s, -22, 14}, {7.5 * s, 15, 7}},   // frontal horn
                               {{side * 12 * s, 3, 19}, {6 * s, 20, 6}},       // body
                               {{side * 17 * s, 30, 12}, {7.5 * s, 10, 8.5}},  // atrium
                               {{side * 15 * s, 44, 10}, {4 * s, 8, 4.5}},     // occipital horn
                               {{side * 27, 10, -14}, {3.5 * s, 13, 3.5}}};    // temporal horn
  double d = kInf;
  for (const auto& e : lateral)
    d = std::min(d, EllipsoidDistance(p, e.centre, e.radii));
  d = std::min(d, EllipsoidDistance(p, {0, 2, 2}, {2.5 * s, 12, 9}));    // third ventricle
  d = std::min(d, EllipsoidDistance(p, {0, 39, -38}, {7, 4, 8}));        // fourth ventricle
  d = std::min(d, SegmentDistance(p, {0, 14, -4}, {0, 36, -32}) - 1.2);  // aqueduct
  return d;
}

double AnalyticHead::VentricleDistance(const Vec3& p) const {
  return VentricleDistanceScaled(p);
}

bool AnalyticHead::InChoroidPlexus(const Vec3& p) const {
  const double s = shape_.ventricle_scale;
  const double side = p.x >= 0 ? 1 : -1;
  return (p - Vec3{side * 18 * s, 32, 10}).Norm() < 4.0 ||
         SegmentDistance(p, {side * 13 * s, -2, 15}, {side * 17 * s, 28, 9}) < 1.6 ||
         (p - Vec3{0, 41, -42}).Norm() < 2.5 || SegmentDistance(p, {0, -6, 9}, {0, 12, 9}) < 1.2;
}

double AnalyticHead::CisternDistance(const Vec3& p, double cutoff) const {
  // Every cistern and nerve sheath lies below z = -9.5, so p.z + 9.5 bounds the distance from below;
  // when that bound is past the cutoff the exact value cannot matter.
  if (p.z + 9.5 > cutoff) return p.z + 9.5;
  double d = kInf;
  for (const auto& c : kCisterns)
    d = std::min(d, EllipsoidDistance(p, c.centre, c.radii));
  for (const auto& n : nerves_)
    d = std::min(d, SegmentDistance(p, n.from, n.to) - kNerveSheathMm);
  return d;
}

double AnalyticHead::TissuePialDistance(const Vec3& p, double cerebrum, double cerebellum,
                                        double cutoff) const {
  const double own =
      cerebellum < 0 ? FoliumDistance(p, cerebellum) : CerebralPialDistance(p, cerebrum, cutoff);
  return std::min(own, CisternDistance(p, cutoff));
}

bool AnalyticHead::InVenousSinus(const Vec3& p, double inner_skull) const {
  // Superior sagittal sinus: a triangle in section, in the falx's attachment along the vertex.
  if (p.z > 20 && inner_skull > -6 && std::abs(p.x) < 4.5 + 0.6 * inner_skull) return true;
  if (inner_skull > 2 || p.y < 25 || p.z > 0) return false;
  const double side = p.x >= 0 ? 1 : -1;
  const Vec3 transverse[] = {{0, 79, -10}, {side * 35, 70, -18}, {side * 50, 48, -28}, {side * 46, 30, -45}};
  for (std::size_t i = 0; i + 1 < std::size(transverse); ++i) {
    if (SegmentDistance(p, transverse[i], transverse[i + 1]) < 3.5) return true;
  }
  return SegmentDistance(p, {0, 30, 2}, {0, 79, -10}) < 2.5;  // straight sinus
}

bool AnalyticHead::InVein(const Vec3& p) const {
  return std::any_of(veins_.begin(), veins_.end(), [&](const Vein& v) {
    const double r = v.radius_mm;
    if (p.x < std::min(v.a.x, v.b.x) - r || p.x > std::max(v.a.x, v.b.x) + r ||
        p.y < std::min(v.a.y, v.b.y) - r || p.y > std::max(v.a.y, v.b.y) + r ||
        p.z < std::min(v.a.z, v.b.z) - r || p.z > std::max(v.a.z, v.b.z) + r) {
      return false;
    }
    return SegmentDistance(p, v.a, v.b) < r;
  });
}

double AnalyticHead::PialDistance(const Vec3& p) const {
  const double stem = BrainstemDistance(p);
  if (stem < 0) return -stem;
  const double cerebellum = CerebellumDistance(p);
  const double cerebrum = CerebrumDistance(p);
  if (cerebellum < 0 || cerebrum < 0) return TissuePialDistance(p, cerebrum, cerebellum, kInf);
  return -std::min(stem, std::min(cerebellum, cerebrum));
}

Label AnalyticHead::LabelAt(const Vec3& p) const {
  if (p.z < -90) return kAir;
  // Far outside both brain ellipsoids grown by more than the scalp's reach (16.5 mm, plus slack for the
  // smooth union) and away from the neck, the point is air: skip the distance functions.
  const Vec3 a = (p - kCerebrumCentre) / (kCerebrumRadii + Vec3{24, 24, 24});
  const Vec3 b = (p - kCerebellumCentre) / (kCerebellumRadii + Vec3{24, 24, 24});
  const bool neck = p.z < 10 && std::abs(p.x) < 35 && p.y > -10 && p.y < 70;
  if (a.Dot(a) > 1 && b.Dot(b) > 1 && !neck) return kAir;
  const double inner_skull = InnerSkullDistance(p);
  if (inner_skull > 13) return kAir;
  if (inner_skull > 7) return kScalp;
  if (InVenousSinus(p, inner_skull)) return kVenousSinus;
  if (inner_skull > 5) return kSkull;
  if (inner_skull > 2) return kMarrow;
  if (inner_skull > 0) return kSkull;
  if (inner_skull > -kDuraMm) return kDura;

  const double cerebrum = CerebrumDistance(p);
  const double cerebellum = CerebellumDistance(p);
  // Tentorium between the occipital lobes and the cerebellum; falx in the interhemispheric fissure.
  if (p.y > 28 && std::abs(p.z - TentoriumZ(p.y)) < 0.5 && cerebrum > 0 && cerebellum > 0) return kDura;
  const bool in_fissure =
      std::abs(p.x) < 0.5 && cerebrum < 0 && (p.z > 32 || (std::abs(p.y - 5) > 40 && p.z > 0));
  if (in_fissure) return kDura;

  Label label = kSubarachnoidCsf;
  if (p.z < 10 && BrainstemDistance(p) < 0) {
    label = kBrainstem;
  } else if (cerebrum < 0 || cerebellum < 0) {
    const double pial = TissuePialDistance(p, cerebrum, cerebellum, kCorticalGreyMm);
    const bool cerebellar = cerebellum < 0;
    if (pial < 0) {
      label = CisternDistance(p, 0) < 0 ? kCisternCsf : kSubarachnoidCsf;
    } else if (pial < (cerebellar ? kCerebellarGreyMm : kCorticalGreyMm)) {
      label = cerebellar ? kCerebellarGrey : kGreyMatter;
    } else {
      label = cerebellar ? kCerebellarWhite : kWhiteMatter;
    }
  } else if (CisternDistance(p, 0) < 0) {
    label = kCisternCsf;
  }
  if (VentricleDistanceScaled(p) < 0) label = InChoroidPlexus(p) ? kChoroidPlexus : kVentricleCsf;
  if (p.z < -5) {
    for (const auto& n : nerves_) {
      if (SegmentDistance(p, n.from, n.to) < n.radius_mm) return kCranialNerve;
    }
  }
  if (EllipsoidDistance(p, kPituitaryGland.centre, kPituitaryGland.radii) < 0 ||
      SegmentDistance(p, {0, -11, -26}, {0, -6, -16}) < 1.5) {
    return kPituitary;
  }
  if (IsCsf(label) && label != kVentricleCsf && InVein(p)) return kCorticalVein;
  return label;
}

}  // namespace leptoscan::phantom
