#include "testdata/phantom/spine_lesions.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace leptoscan::phantom {
namespace {

// Distance from p to the nearest cauda equina root's swollen surface over the canal levels from..to (the
// filum terminale is not a root).
double SwollenRootDistance(const SpineAnatomy& spine, const Vec3& p, double s) {
  double best = std::numeric_limits<double>::infinity();
  for (const NerveRoot& root : spine.roots()) {
    if (root.name == "filum_terminale" || s < root.top - 3 || s > root.bottom + 3) continue;
    for (std::size_t i = 0; i + 1 < root.path.size(); ++i) {
      best =
          std::min(best, SegmentDistance(p, root.path[i], root.path[i + 1]) - root.radius_mm * kRootSwelling);
    }
  }
  return best;
}

// Closest approach of a spinal nodule to the leptomeninges (the pia of the cord and of the roots): 0
// when it touches or overlaps them. Sampled over its surface and inside it.
double NoduleToPia(const SpineAnatomy& spine, const LesionSpec& spec) {
  const double s = spine.Frame(spec.centre).s;
  const Vec3 axes[3] = {{1, 0, 0}, spine.Posterior(s), spine.Tangent(s)};
  double closest = std::numeric_limits<double>::infinity();
  constexpr int kPoints = 400;
  for (double shell : {1.0, 0.66, 0.33}) {
    for (int n = 0; n < kPoints; ++n) {  // Fibonacci sphere
      const double z = 1 - 2 * (n + 0.5) / kPoints, r = std::sqrt(1 - z * z),
                   phi = n * M_PI * (3 - std::sqrt(5.0));
      const double q[3] = {r * std::cos(phi), r * std::sin(phi), z};
      Vec3 p = spec.centre;
      for (int a = 0; a < 3; ++a)
        p = p + axes[a] * (q[a] * shell * spec.diameters_mm[a] / 2);
      closest = std::min({closest, spine.CordDistance(p), spine.RootDistance(p)});
    }
  }
  return std::max(0.0, closest);
}

LesionRegion SpineRegionOf(const SpineAnatomy& spine, const LesionSpec& spec) {
  const double t = spec.thickness_mm, from = spec.from, to = spec.to;
  switch (spec.kind) {
    case LesionKind::kCordSurface: {
      const Box box = spine.CanalBox(from, to, 1);
      return {box.lo, box.hi,
              [&spine, t, from, to](const Vec3& p, Label label) {
                if (label != kSubarachnoidCsf) return false;
                const double s = spine.Frame(p).s;
                return s >= from && s <= to && spine.CordDistance(p) < t;
              },
              "cord_surface", kLinearSignal};
    }
    case LesionKind::kNerveRoots: {
      const Box box = spine.CanalBox(from, to, 2);
      return {box.lo, box.hi,
              [&spine, from, to](const Vec3& p, Label label) {
                if (label != kNerveRoot && label != kSubarachnoidCsf) return false;
                const double s = spine.Frame(p).s;
                return s >= from && s <= to && SwollenRootDistance(spine, p, s) < 0;
              },
              "cauda_equina", kNerveSignal};
    }
    case LesionKind::kSpinalNodule: {
      const double r = *std::max_element(spec.diameters_mm.begin(), spec.diameters_mm.end()) / 2;
      return {spec.centre - Vec3{r, r, r}, spec.centre + Vec3{r, r, r},
              [&spine, spec](const Vec3& p, Label label) {
                return InThecalSac(label) && SpinalNoduleFrame(spine, spec, p).Norm() < 1;
              },
              "subarachnoid", kNoduleSignal};
    }
    default:
      break;
  }
  throw std::invalid_argument("lesion " + spec.id + " is not a spine lesion");
}

}  // namespace

bool InThecalSac(Label label) {
  return label == kSubarachnoidCsf || label == kSpinalCord || label == kNerveRoot;
}

Vec3 SpinalNoduleFrame(const SpineAnatomy& spine, const LesionSpec& spec, const Vec3& p) {
  const double s = spine.Frame(spec.centre).s;
  const Vec3 d = p - spec.centre;
  return {d.x / (spec.diameters_mm[0] / 2), d.Dot(spine.Posterior(s)) / (spec.diameters_mm[1] / 2),
          d.Dot(spine.Tangent(s)) / (spec.diameters_mm[2] / 2)};
}

std::vector<PaintedLesion> PaintSpineLesions(const SpineAnatomy& spine, const std::vector<LesionSpec>& specs,
                                             std::size_t first_index, LabelMap& map) {
  std::vector<PaintedLesion> painted;
  for (std::size_t n = 0; n < specs.size(); ++n) {
    const LesionSpec& spec = specs[n];
    // A coating of thickness t covers volume / t of surface; a swollen root of radius r, volume * 2 / r.
    const double layer = spec.kind == LesionKind::kNerveRoots ? 0.75 * kRootSwelling / 2 : spec.thickness_mm;
    double surface_mm2 = 0;
    PaintedLesion lesion = PaintRegion(
        spec, SpineRegionOf(spine, spec), static_cast<Label>(kFirstLesion + first_index + n),
        [layer](const Vec3&) { return layer; }, map, &surface_mm2);
    if (spec.kind == LesionKind::kSpinalNodule) {
      lesion.edge_to_pia_mm = NoduleToPia(spine, spec);
    } else {
      lesion.extent_mm2 = surface_mm2;
    }
    painted.push_back(std::move(lesion));
  }
  return painted;
}

}  // namespace leptoscan::phantom
