#include "testdata/phantom/scenario.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "scoring/calendar.h"
#include "testdata/phantom/random.h"

namespace leptoscan::phantom {
namespace {

const std::vector<VendorStyle>& Vendors() {
  static const std::vector<VendorStyle> vendors = {
      {"SIEMENS",
       "Prisma",
       3.0,
       SliceOrientation::kSagittal,
       "t1_mprage_sag_p2_iso",
       "t1_mprage_sag_p2_iso_post",
       "t2_spc_da-fl_sag_p2_iso_post",
       "*tfl3d1_16ns",
       2300,
       2.3,
       900,
       8,
       "Gadovist 0.1 mmol/kg",
       "t1_tse_sag_ws",
       "t1_tse_fs_sag_ws_post",
       "*tse2d1_3",
       650,
       11,
       150,
       true},
      {"GE MEDICAL SYSTEMS",
       "SIGNA Premier",
       3.0,
       SliceOrientation::kAxial,
       "Ax T1 BRAVO",
       "Ax T1 BRAVO +C",
       "Ax T2 FLAIR +C",
       "efgre3d",
       8.2,
       3.2,
       450,
       12,
       "Dotarem 0.1 mmol/kg",
       "Sag T1 FSE Spine",
       "Sag T1 FSE Spine +C",
       "fse-xl",
       550,
       9,
       90,
       false},
      {"Philips Medical Systems",
       "Ingenia",
       1.5,
       SliceOrientation::kCoronal,
       "sT1W_3D_TFE",
       "sT1W_3D_TFE_gd",
       "3D_Brain_VIEW_FLAIR_gd",
       "T1TFE",
       8.1,
       3.7,
       0,
       8,
       "Gadovist 0.1 mmol/kg",
       "T1W_TSE_SAG_Total_Spine",
       "T1W_TSE_SAG_Total_Spine_SPIR_gd",
       "TSE",
       600,
       8,
       90,
       true},
  };
  return vendors;
}

Side RandomSide(Random& rng) {
  return rng.Chance(0.5) ? Side::kLeft : Side::kRight;
}

LesionSpec SulcalLesion(const Anatomy& head, Random& rng, const std::string& id) {
  LesionSpec s;
  s.id = id;
  s.kind = LesionKind::kSulcal;
  s.side = RandomSide(rng);
  s.sulcus = head.lesion_sulci()[rng.Index(head.lesion_sulci().size())];
  const double half = rng.Uniform(0.25, 0.45), middle = rng.Uniform(-0.3, 0.3);
  s.from = middle - half, s.to = middle + half;
  s.thickness_mm = rng.Uniform(1.0, 2.0);
  return s;
}

// A subarachnoid nodule on the convexity, reaching 2 mm past the pia into the subarachnoid space (which
// is 2.5 mm deep), so it indents the cortex the way a real one does and is never clipped by the dura.
// Measurable means > 10 x 5 mm (RANO-LM).
LesionSpec ConvexityNodule(const Anatomy& head, Random& rng, const std::string& id, bool measurable) {
  LesionSpec s;
  s.id = id;
  s.kind = LesionKind::kNodule;
  const double d1 = measurable ? rng.Uniform(11, 18) : rng.Uniform(3, 8);
  const double d2 = measurable ? rng.Uniform(6, std::min(d1, 12.0)) : rng.Uniform(3, d1);
  s.diameters_mm = {d1, d2, d2 * rng.Uniform(0.7, 1.0)};
  s.rotation_deg = rng.Uniform(0, 180);
  Vec3 direction;
  do {  // convexity away from the midline and the skull base
    direction = {rng.Uniform(-1, 1), rng.Uniform(-1, 1), rng.Uniform(-0.1, 1)};
  } while (direction.Norm() > 1 || direction.Norm() < 0.3 || std::abs(direction.Unit().x) < 0.3);
  const Vec3 outward = direction.Unit();
  // Half-extent of the ellipsoid along `outward` (its support function).
  const double a = s.rotation_deg * M_PI / 180;
  const double u = outward.x * std::cos(a) + outward.y * std::sin(a),
               v = -outward.x * std::sin(a) + outward.y * std::cos(a);
  const double reach = std::hypot(u * d1 / 2, v * d2 / 2, outward.z * s.diameters_mm[2] / 2);
  s.centre = head.CerebralSurfacePoint(outward) - outward * (reach - 2.0);
  s.side = s.centre.x >= 0 ? Side::kLeft : Side::kRight;
  return s;
}

LesionSpec VentricularNodule(const Anatomy& head, Random& rng, const std::string& id) {
  LesionSpec s;
  s.id = id;
  s.kind = LesionKind::kNodule;
  s.ventricular = true;
  s.side = RandomSide(rng);
  const double d = rng.Uniform(5, 8);
  s.diameters_mm = {d, d * rng.Uniform(0.75, 1.0), d * rng.Uniform(0.75, 1.0)};
  const Vec3 atrium = head.AtriumCentre(s.side);
  s.centre = {atrium.x + rng.Uniform(-1, 1), atrium.y + rng.Uniform(-2, 2), atrium.z + rng.Uniform(-1, 1)};
  return s;
}

// A parenchymal metastasis: drawn until its edge lies more than 3 mm from any pia or ventricle.
LesionSpec ParenchymalMetastasis(const Anatomy& head, Random& rng, const std::string& id) {
  for (int attempt = 0; attempt < 500; ++attempt) {
    LesionSpec s;
    s.id = id;
    s.kind = LesionKind::kParenchymal;
    const double d = rng.Uniform(6, 14);
    s.diameters_mm = {d, d * rng.Uniform(0.7, 1.0), d * rng.Uniform(0.7, 1.0)};
    s.rotation_deg = rng.Uniform(0, 180);
    const Box& box = head.landmarks().cerebrum_interior;
    s.centre = Vec3{rng.Uniform(box.lo.x, box.hi.x), rng.Uniform(box.lo.y, box.hi.y),
                    rng.Uniform(box.lo.z, box.hi.z)};
    s.side = s.centre.x >= 0 ? Side::kLeft : Side::kRight;
    if (head.CerebrumDistance(s.centre) > -d) continue;
    const double r = d / 2;
    if (head.PialDistance(s.centre) - r > 3 && head.VentricleDistance(s.centre) - r > 3) return s;
  }
  throw std::runtime_error("no place found for a parenchymal metastasis");
}

LesionSpec NerveLesion(Random& rng, const std::string& id) {
  static const char* const kNerves[] = {"III", "V", "VII_VIII"};
  LesionSpec s;
  s.id = id;
  s.kind = LesionKind::kCranialNerve;
  s.nerve = kNerves[rng.Index(3)];
  s.side = RandomSide(rng);
  return s;
}

LesionSpec LinearLesion(Random& rng, LesionKind kind, const std::string& id) {
  LesionSpec s;
  s.id = id;
  s.kind = kind;
  s.side = RandomSide(rng);
  s.thickness_mm = rng.Uniform(1.0, 2.0);
  if (kind == LesionKind::kFolia) s.from = rng.Uniform(-0.5, 0.1), s.to = s.from + 0.35;
  if (kind == LesionKind::kEpendymal) s.from = -1, s.to = rng.Uniform(-0.4, 0.2);  // frontal horn and body
  return s;
}

LesionSpec SpineLesion(const std::string& id, LesionKind kind, const std::string& site) {
  LesionSpec s;
  s.id = id;
  s.kind = kind;
  s.site = site;
  return s;
}

// Linear enhancement coating the cord over 30-80 mm of the cervical or thoracic canal.
LesionSpec CordCoating(const SpineAnatomy& spine, Random& rng, const std::string& id) {
  LesionSpec s = SpineLesion(id, LesionKind::kCordSurface, "cord_surface");
  s.from = rng.Uniform(20, spine.conus_tip() - 140);
  s.to = s.from + rng.Uniform(30, 80);
  s.thickness_mm = rng.Uniform(1.0, 1.5);
  return s;
}

// Thickened, enhancing cauda equina roots over 40-80 mm below the conus.
LesionSpec CaudaRoots(const SpineAnatomy& spine, Random& rng, const std::string& id) {
  LesionSpec s = SpineLesion(id, LesionKind::kNerveRoots, "cauda_equina");
  s.from = spine.conus_tip() + rng.Uniform(0, 20);
  s.to = std::min(s.from + rng.Uniform(40, 80), spine.sac_end() - 10);
  return s;
}

// A nodule among the cauda equina roots, inside the sac; measurable means > 10 x 5 mm (RANO-LM).
LesionSpec CaudaNodule(const SpineAnatomy& spine, Random& rng, const std::string& id, bool measurable) {
  LesionSpec s = SpineLesion(id, LesionKind::kSpinalNodule, "cauda_equina");
  const double at = rng.Uniform(spine.conus_tip() + 25, spine.sac_end() - 45);
  const SpineAnatomy::Section sac = spine.SacInside(at);
  const double across = measurable ? rng.Uniform(6, std::min(10.0, 2 * sac.a - 3)) : rng.Uniform(3, 6);
  const double front_back = std::min(across * rng.Uniform(0.7, 1.0), 2 * sac.b - 3);
  s.diameters_mm = {across, front_back, measurable ? rng.Uniform(11, 16) : rng.Uniform(4, 8)};
  // Grown on the most medial root at its level (the roots lie in the back of the sac); never through the
  // sac's wall.
  const double room_u = sac.a - 0.5 - across / 2, room_v = sac.b - 0.5 - front_back / 2;
  CanalPoint root{at, 0, sac.centre_v + 1.5};
  for (const NerveRoot& r : spine.roots()) {
    for (std::size_t i = 0; i + 1 < r.path.size(); ++i) {
      const CanalPoint a = spine.Frame(r.path[i]), b = spine.Frame(r.path[i + 1]);
      if (a.s > at || b.s <= at) continue;
      const double t = (at - a.s) / (b.s - a.s), u = a.u + t * (b.u - a.u), v = a.v + t * (b.v - a.v);
      if (std::abs(u) < std::abs(root.u) || root.u == 0) root = {at, u, v};
    }
  }
  s.centre = spine.PointAt(at, std::clamp(root.u, -room_u, room_u),
                           std::clamp(root.v, sac.centre_v - room_v, sac.centre_v + room_v));
  return s;
}

// A nodule on the cord's surface, behind it or beside it, pressing into the cord where the CSF space is
// thinner than the nodule and always touching it.
LesionSpec CordNodule(const SpineAnatomy& spine, Random& rng, const std::string& id) {
  LesionSpec s = SpineLesion(id, LesionKind::kSpinalNodule, "cord_surface");
  const double at = rng.Uniform(30, spine.conus_tip() - 60);
  const SpineAnatomy::Section cord = spine.Cord(at), sac = spine.SacInside(at);
  const int where = static_cast<int>(rng.Index(3));  // behind, left, right
  const double radial = rng.Uniform(3, 4.5), tangential = rng.Uniform(3, 6);
  const double cord_r = where == 0 ? cord.b : cord.a;
  const double gap = where == 0 ? sac.centre_v + sac.b - cord.centre_v - cord.b : sac.a - cord.a;
  const double centre_r = std::min(cord_r + gap - 0.3 - radial / 2, cord_r + radial / 2 - 0.5);
  s.diameters_mm = {where == 0 ? tangential : radial, where == 0 ? radial : tangential, rng.Uniform(5, 12)};
  const double side = where == 1 ? 1 : -1;
  s.centre = where == 0 ? spine.PointAt(at, 0, cord.centre_v + centre_r)
                        : spine.PointAt(at, side * centre_r, cord.centre_v);
  s.outward = where == 0 ? spine.Posterior(at) : Vec3{side, 0, 0};
  return s;
}

// Spinal LM: a coating of the cord, often thickened roots, and one or two nodules.
std::vector<LesionSpec> SpineDisease(const SpineAnatomy& spine, Random& rng) {
  std::vector<LesionSpec> lesions = {CordCoating(spine, rng, "SL1")};
  if (rng.Chance(0.7)) lesions.push_back(CaudaRoots(spine, rng, "SR1"));
  const bool cauda = rng.Chance(0.8);
  if (cauda) lesions.push_back(CaudaNodule(spine, rng, "SN1", rng.Chance(0.5)));
  if (!cauda || rng.Chance(0.5)) lesions.push_back(CordNodule(spine, rng, "SN2"));
  return lesions;
}

// The disease of a baseline visit for a preset.
std::vector<LesionSpec> BaselineDisease(const Anatomy& head, const std::string& preset, Random& rng) {
  std::vector<LesionSpec> lesions;
  int nodules = 0, linear = 0;
  auto nodule = [&](bool measurable) {
    lesions.push_back(ConvexityNodule(head, rng, fmt::format("N{}", ++nodules), measurable));
  };
  auto sulcal = [&] { lesions.push_back(SulcalLesion(head, rng, fmt::format("L{}", ++linear))); };
  if (preset == "linear") {
    for (int i = 0, n = 1 + static_cast<int>(rng.Index(2)); i < n; ++i)
      sulcal();
    if (rng.Chance(0.5))
      lesions.push_back(LinearLesion(rng, LesionKind::kFolia, fmt::format("L{}", ++linear)));
    if (rng.Chance(0.3))
      lesions.push_back(LinearLesion(rng, LesionKind::kCistern, fmt::format("L{}", ++linear)));
  } else if (preset == "nodular") {
    nodule(true);
    for (int i = 0, n = static_cast<int>(rng.Index(3)); i < n; ++i)
      nodule(rng.Chance(0.5));
    if (rng.Chance(0.3)) lesions.push_back(VentricularNodule(head, rng, fmt::format("N{}", ++nodules)));
  } else if (preset == "mixed") {
    sulcal();
    nodule(true);
    if (rng.Chance(0.5)) nodule(false);
    lesions.push_back(NerveLesion(rng, "C1"));
    if (rng.Chance(0.5))
      lesions.push_back(LinearLesion(rng, LesionKind::kEpendymal, fmt::format("L{}", ++linear)));
  } else if (preset == "parenchymal-only") {
    for (int i = 0, n = 1 + static_cast<int>(rng.Index(2)); i < n; ++i) {
      lesions.push_back(ParenchymalMetastasis(head, rng, fmt::format("P{}", i + 1)));
    }
  } else if (preset == "cr" || preset == "pr" || preset == "sd" || preset == "pd-growth" ||
             preset == "pd-new") {
    // Measurable targets the composite follows: one or two nodules and a sulcal lesion.
    nodule(true);
    if (rng.Chance(0.5)) nodule(true);
    sulcal();
  }
  return lesions;
}

// Scales a lesion's size: nodules' products (diameter product) by `area`, linear lesions' extent by
// `area` through their length along the sulcus.
LesionSpec Resized(LesionSpec s, double area) {
  if (s.kind == LesionKind::kNodule || s.kind == LesionKind::kParenchymal) {
    const double k = std::sqrt(area);
    for (double& d : s.diameters_mm)
      d *= k;
  } else if (s.kind == LesionKind::kSulcal || s.kind == LesionKind::kCordSurface ||
             s.kind == LesionKind::kNerveRoots) {
    const double middle = (s.from + s.to) / 2, half = (s.to - s.from) / 2 * area;
    s.from = middle - half, s.to = middle + half;
  } else if (s.kind == LesionKind::kSpinalNodule) {
    // A nodule on the cord stays on it: its centre moves in by the change of its radial half-extent.
    const double radial_before = std::abs(s.outward.x) > 0.5 ? s.diameters_mm[0] : s.diameters_mm[1];
    for (double& d : s.diameters_mm)
      d *= std::sqrt(area);
    const double radial_after = std::abs(s.outward.x) > 0.5 ? s.diameters_mm[0] : s.diameters_mm[1];
    s.centre = s.centre - s.outward * (std::abs(radial_before - radial_after) / 2);
  }
  return s;
}

struct Followup {
  std::vector<LesionSpec> lesions;
  std::string response;
  double area = 0;  // the change of every lesion's size (0: all disease resolved)
};

// The follow-up disease and its expected response.
Followup FollowupDisease(const Anatomy& head, const std::string& preset,
                         const std::vector<LesionSpec>& baseline, Random& rng) {
  std::vector<LesionSpec> next;
  double area = rng.Uniform(0.95, 1.05);  // stable disease varies a little
  std::string response = "SD";
  // All disease resolves. RANO-LM confirms CR only when every item is absent, so without a spine study
  // (its items are NE) a complete resolution scores PR (-100%); PlanSubject makes it CR with one.
  if (preset == "cr") return {{}, "PR", 0};
  if (preset == "pr") area = rng.Uniform(0.3, 0.4), response = "PR";
  if (preset == "pd-growth") area = rng.Uniform(1.45, 1.7), response = "PD";
  for (const LesionSpec& s : baseline)
    next.push_back(Resized(s, area));
  if (preset == "pd-new") {
    // The new nodule must be far from every old one, or lesion matching (10 mm) takes it for the same.
    const auto far_from_old = [&](const LesionSpec& candidate) {
      return std::all_of(baseline.begin(), baseline.end(), [&](const LesionSpec& old) {
        return old.kind != LesionKind::kNodule || (old.centre - candidate.centre).Norm() > 30;
      });
    };
    LesionSpec added;
    do {
      added = ConvexityNodule(head, rng, "N9", true);
    } while (!far_from_old(added));
    next.push_back(added);
    response = "PD";
  }
  return {next, response, area};
}

// YYYYMMDD plus a number of days.
std::string AddDays(const std::string& yyyymmdd, int days) {
  std::string next = scoring::IsoDate(*scoring::DayNumber(scoring::DicomDateToIso(yyyymmdd)) + days);
  next.erase(std::remove(next.begin(), next.end(), '-'), next.end());
  return next;
}

RigidMotion RandomMotion(Random& rng, double degrees, double mm) {
  return RigidMotion::FromEuler(
      {rng.Uniform(-degrees, degrees), rng.Uniform(-degrees, degrees), rng.Uniform(-degrees, degrees)},
      {rng.Uniform(-mm, mm), rng.Uniform(-mm, mm), rng.Uniform(-mm, mm)});
}

RigidMotion Compose(const RigidMotion& outer, const RigidMotion& inner) {
  RigidMotion out;
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j) {
      out.rotation[i * 3 + j] = outer.rotation[i * 3] * inner.rotation[j] +
                                outer.rotation[i * 3 + 1] * inner.rotation[3 + j] +
                                outer.rotation[i * 3 + 2] * inner.rotation[6 + j];
    }
  }
  out.translation = outer.Apply(inner.translation);
  return out;
}

// A rigid motion given about the origin, turned about `centre` instead.
RigidMotion About(const RigidMotion& motion, const Vec3& centre) {
  RigidMotion about = motion;
  about.translation = motion.translation + centre - (motion.Apply(centre) - motion.translation);
  return about;
}

// The spine study of a visit, acquired in the same session as the brain: the pre-contrast spine series
// after the brain's pre-contrast T1, the post-contrast one last. The sagittal slab is planned on the spine
// (a little off at every visit), and the patient moves a little between the two spine series. Their
// descriptions are the vendor's, filled in when they are written.
void PlanSpineStudy(const SpineAnatomy& spine, const std::vector<LesionSpec>& lesions, Random& rng,
                    VisitPlan& visit) {
  const Box view = spine.field_of_view();
  const Vec3 centre = (view.lo + view.hi) * 0.5;
  visit.spine_lesions = lesions;
  visit.spine_intensity_scale = rng.Uniform(0.85, 1.2);
  // Tilted in the sagittal plane by up to 1.5 degrees, barely out of it, shifted by up to 3 mm.
  visit.spine_planning =
      About(RigidMotion::FromEuler({rng.Uniform(-1.5, 1.5), rng.Uniform(-0.4, 0.4), rng.Uniform(-0.4, 0.4)},
                                   {rng.Uniform(-3, 3), rng.Uniform(-3, 3), rng.Uniform(-3, 3)}),
            centre);
  const RigidMotion& post = visit.series[1].motion;
  const RigidMotion drift = About(RandomMotion(rng, 0.3, 1.0), centre);
  const SeriesPlan pre{Sequence::kT1Pre, 4, "121000", Compose(post, drift), rng.Next(), true};
  const SeriesPlan after{Sequence::kT1Post, 9, "123000", post, rng.Next(), true};
  visit.spine_series = {pre, after};
}

}  // namespace

std::string SubjectPlan::Label() const {
  return spine && preset != "spine" ? preset + "+spine" : preset;
}

const std::vector<std::string>& PresetNames() {
  static const std::vector<std::string> names = {
      "normal", "linear", "nodular", "mixed", "hydrocephalus", "parenchymal-only",
      "spine",  "cr",     "pr",      "sd",    "pd-growth",     "pd-new"};
  return names;
}

SubjectPlan PlanSubject(const Anatomy& head, const std::string& preset, const std::string& id,
                        std::uint64_t seed, const PhantomOptions& options) {
  if (std::find(PresetNames().begin(), PresetNames().end(), preset) == PresetNames().end()) {
    throw std::invalid_argument("unknown scenario '" + preset + "'");
  }
  Random rng(Mix(seed, HashText(id)));
  SubjectPlan plan;
  plan.id = id;
  plan.preset = preset;
  plan.vendor = Vendors()[rng.Index(Vendors().size())];
  plan.study_uid_key = fmt::format("leptoscan-phantom/{}/{}", seed, id);

  HeadShape shape;
  // The Evans index grows linearly with the ventricle scale.
  if (preset == "hydrocephalus")
    shape.ventricle_scale = rng.Uniform(0.33, 0.40) / head.landmarks().evans_index;
  std::vector<LesionSpec> lesions = BaselineDisease(*head.WithShape(shape), preset, rng);
  // The spine draws from its own stream: a brain preset with spinal LM has the same brain as without.
  plan.spine = preset == "spine" || options.spine;
  Random spine_rng(Mix(seed, HashText(id + "/spine")));
  const SpineAnatomy spine;
  std::vector<LesionSpec> spine_lesions =
      plan.spine ? SpineDisease(spine, spine_rng) : std::vector<LesionSpec>{};
  std::string date = AddDays("20240108", static_cast<int>(rng.Index(300)));
  for (int v = 0; v <= options.followups; ++v) {
    VisitPlan visit;
    visit.name = v == 0 ? "baseline" : fmt::format("followup{}", v);
    visit.date = date;
    visit.shape = shape;
    visit.lesions = lesions;
    visit.intensity_scale = rng.Uniform(0.85, 1.2);
    // The head lies differently at every visit, and moves a little between pre and post contrast.
    const RigidMotion position = RandomMotion(rng, 4, 6);
    struct Acquisition {
      Sequence sequence;
      int number;
      const char* time;
    };
    std::vector<Acquisition> acquisitions = {{Sequence::kT1Pre, 3, "120500"},
                                             {Sequence::kT1Post, 7, "122000"}};
    if (options.flair) acquisitions.push_back({Sequence::kFlairPost, 8, "122600"});
    for (const Acquisition& a : acquisitions) {
      const RigidMotion drift = a.sequence == Sequence::kT1Pre ? RigidMotion{} : RandomMotion(rng, 1.5, 1.5);
      visit.series.push_back({a.sequence, a.number, a.time, Compose(drift, position), rng.Next()});
    }
    if (plan.spine) PlanSpineStudy(spine, spine_lesions, spine_rng, visit);
    plan.visits.push_back(visit);
    if (v == options.followups) break;
    Followup next = FollowupDisease(head, preset, lesions, rng);
    lesions = std::move(next.lesions);
    if (plan.spine) {
      // Spinal disease follows the brain's: it resolves, shrinks, grows or stays with it.
      for (LesionSpec& s : spine_lesions)
        s = Resized(s, next.area);
      if (next.area == 0) spine_lesions.clear();
      // With the spine imaged and clear, complete resolution is a complete response.
      if (preset == "cr") next.response = "CR";
    }
    plan.expected_responses.push_back(next.response);
    date = AddDays(date, 56);  // an 8-week follow-up interval
  }
  return plan;
}

// The cohort mix: each subject's preset is drawn with these weights (percent).
constexpr std::pair<const char*, int> kCohortMix[] = {
    {"normal", 10},   {"linear", 15},       {"nodular", 15},
    {"mixed", 15},    {"hydrocephalus", 5}, {"parenchymal-only", 10},
    {"cr", 5},        {"pr", 10},           {"sd", 5},
    {"pd-growth", 5}, {"pd-new", 5}};

std::vector<SubjectPlan> PlanCohort(const Anatomy& head, int count, std::uint64_t seed,
                                    const PhantomOptions& options) {
  Random rng(Mix(seed, 0xC0407));
  std::vector<SubjectPlan> cohort;
  for (int n = 1; n <= count; ++n) {
    int pick = static_cast<int>(rng.Index(100));
    const char* preset = kCohortMix[0].first;
    for (const auto& [name, weight] : kCohortMix) {
      if (pick < weight) {
        preset = name;
        break;
      }
      pick -= weight;
    }
    PhantomOptions subject_options = options;
    subject_options.spine =
        options.spine || UniformFromKey(Mix(seed, 0x5B14E), n) < options.cohort_spine_share;
    cohort.push_back(PlanSubject(head, preset, fmt::format("PH{:04d}", n), seed, subject_options));
    // Vendors rotate, so every cohort of three or more has sagittal, axial and coronal acquisitions.
    cohort.back().vendor = Vendors()[(n - 1) % Vendors().size()];
  }
  return cohort;
}

}  // namespace leptoscan::phantom
