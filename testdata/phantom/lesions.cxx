#include "testdata/phantom/lesions.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <stdexcept>

namespace leptoscan::phantom {
namespace {

constexpr double kNerveSwelling = 1.7;  // an enhancing nerve's radius over the normal one

const Sulcus& FindSulcus(const Anatomy& head, const LesionSpec& spec) {
  for (const Sulcus& s : head.sulci()) {
    if (s.name == spec.sulcus && s.side == spec.side) return s;
  }
  throw std::invalid_argument("unknown sulcus '" + spec.sulcus + "'");
}

const NerveSegment& FindNerve(const Anatomy& head, const LesionSpec& spec) {
  for (const NerveSegment& n : head.nerves()) {
    if (n.nerve == spec.nerve && n.side == spec.side) return n;
  }
  throw std::invalid_argument("unknown cranial nerve '" + spec.nerve + "'");
}

bool OnSide(const Vec3& p, Side side) {
  return side == Side::kLeft ? p.x >= 0 : p.x < 0;
}

bool IsIntracranialSoft(Label label) {
  return label != kAir && label != kScalp && label != kSkull && label != kMarrow && label != kDura &&
         label != kVenousSinus;
}

// Point of a nodule's ellipsoid in its own frame (x, y in-plane rotated, z craniocaudal), scaled so
// that the surface is at |q| = 1.
Vec3 NoduleFrame(const LesionSpec& spec, const Vec3& p) {
  const double a = spec.rotation_deg * M_PI / 180;
  const Vec3 d = p - spec.centre;
  const double u = d.x * std::cos(a) + d.y * std::sin(a), v = -d.x * std::sin(a) + d.y * std::cos(a);
  return {u / (spec.diameters_mm[0] / 2), v / (spec.diameters_mm[1] / 2), d.z / (spec.diameters_mm[2] / 2)};
}

// Closest approach of the nodule's surface to the pia (or, inside the ventricles, the ependyma).
double EdgeToPia(const Anatomy& head, const LesionSpec& spec) {
  const double a = spec.rotation_deg * M_PI / 180;
  double closest = std::numeric_limits<double>::infinity();
  constexpr int kPoints = 400;
  for (int n = 0; n < kPoints; ++n) {  // Fibonacci sphere
    const double z = 1 - 2 * (n + 0.5) / kPoints, r = std::sqrt(1 - z * z),
                 phi = n * M_PI * (3 - std::sqrt(5.0));
    const double u = r * std::cos(phi) * spec.diameters_mm[0] / 2,
                 v = r * std::sin(phi) * spec.diameters_mm[1] / 2;
    const Vec3 p = spec.centre + Vec3{u * std::cos(a) - v * std::sin(a), u * std::sin(a) + v * std::cos(a),
                                      z * spec.diameters_mm[2] / 2};
    closest = std::min({closest, head.PialDistance(p), std::max(0.0, head.VentricleDistance(p))});
  }
  return std::max(0.0, closest);
}

using Region = LesionRegion;

Region RegionOf(const Anatomy& head, const LesionSpec& spec) {
  const double t = spec.thickness_mm;
  switch (spec.kind) {
    case LesionKind::kSulcal: {
      const Sulcus& s = FindSulcus(head, spec);
      const Box box = head.SulcusBox(s, spec.from, spec.to);
      return {box.lo, box.hi,
              [&head, &s, spec, t](const Vec3& p, Label label) {
                double along = 0, offset = 0;
                if (label != kSubarachnoidCsf || !head.SulcusFrame(s, p, &along, &offset)) return false;
                if (along < spec.from || along > spec.to) return false;
                const double surface = head.CerebrumDistance(p);
                if (surface >= 0) return surface < t && std::abs(offset) < 6;  // over the gyri beside it
                return std::abs(offset) < s.width_mm / 2 + 0.3;                // down into the sulcus
              },
              "sulcal", kLinearSignal};
    }
    case LesionKind::kFolia: {
      const Box box = HalfBox(head.landmarks().posterior_fossa, spec.side);
      return {box.lo, box.hi,
              [&head, spec, t](const Vec3& p, Label label) {
                if (label != kSubarachnoidCsf || !OnSide(p, spec.side) || head.CerebellumDistance(p) >= t)
                  return false;
                const Vec3& c = head.landmarks().cerebellum_centre;
                const double angle = std::atan2(p.z - c.z, p.y - c.y) / M_PI;  // around the cerebellar centre
                return angle >= spec.from && angle <= spec.to;
              },
              "cerebellar_folia", kLinearSignal};
    }
    case LesionKind::kCistern:
      return {head.landmarks().basal_cisterns.lo, head.landmarks().basal_cisterns.hi,
              [&head, spec, t](const Vec3& p, Label label) {
                if (label != kCisternCsf || !OnSide(p, spec.side)) return false;
                const double stem = head.BrainstemDistance(p);
                return stem > 0 && stem < t;
              },
              "basal_cisterns", kLinearSignal};
    case LesionKind::kEpendymal: {
      const Box box = HalfBox(head.landmarks().ventricles, spec.side);
      return {box.lo, box.hi,
              [&head, spec, t](const Vec3& p, Label label) {
                if (label != kVentricleCsf || !OnSide(p, spec.side)) return false;
                const double front = head.landmarks().ventricle_front, back = head.landmarks().ventricle_back;
                const double y0 = front + (spec.from + 1) / 2 * (back - front);
                const double y1 = front + (spec.to + 1) / 2 * (back - front);
                return p.y >= y0 && p.y <= y1 && head.VentricleDistance(p) > -t;
              },
              "ependymal", kLinearSignal};
    }
    case LesionKind::kCranialNerve: {
      const NerveSegment& n = FindNerve(head, spec);
      const double r = n.radius_mm * kNerveSwelling;
      return {
          {std::min(n.from.x, n.to.x) - r, std::min(n.from.y, n.to.y) - r, std::min(n.from.z, n.to.z) - r},
          {std::max(n.from.x, n.to.x) + r, std::max(n.from.y, n.to.y) + r, std::max(n.from.z, n.to.z) + r},
          [&n, r](const Vec3& p, Label label) {
            return (label == kCranialNerve || IsCsf(label)) && SegmentDistance(p, n.from, n.to) < r;
          },
          n.Name(),
          kNerveSignal};
    }
    case LesionKind::kNodule:
    case LesionKind::kParenchymal: {
      const double r = *std::max_element(spec.diameters_mm.begin(), spec.diameters_mm.end()) / 2;
      const bool parenchymal = spec.kind == LesionKind::kParenchymal;
      return {spec.centre - Vec3{r, r, r}, spec.centre + Vec3{r, r, r},
              [spec](const Vec3& p, Label label) {
                return IsIntracranialSoft(label) && NoduleFrame(spec, p).Norm() < 1;
              },
              parenchymal        ? "parenchymal"
              : spec.ventricular ? "ventricular"
                                 : "subarachnoid",
              parenchymal ? kParenchymalSignal : kNoduleSignal};
    }
    default:
      break;
  }
  throw std::invalid_argument("unknown lesion kind");
}

}  // namespace

PaintedLesion PaintRegion(const LesionSpec& spec, const LesionRegion& region, Label label,
                          const std::function<double(const Vec3&)>& layer_mm, LabelMap& map,
                          double* surface_mm2) {
  const double voxel_mm3 = map.geometry.VoxelVolumeMm3();
  map.ForEachIn(region.lo, region.hi, [&](std::size_t index, const Vec3& p) {
    if (region.inside(p, map.labels[index])) map.labels[index] = label;
  });
  PaintedLesion lesion{spec, 0, {}, 0, 0, region.location, region.signal};
  *surface_mm2 = 0;
  // Measured serially over the box, so sums do not depend on thread scheduling.
  const auto& g = map.geometry;
  for (std::size_t k = 0; k < g.size[2]; ++k) {
    const double z = g.origin_mm[2] + k * g.spacing_mm[2];
    if (z < region.lo.z || z > region.hi.z) continue;
    for (std::size_t j = 0; j < g.size[1]; ++j) {
      const double y = g.origin_mm[1] + j * g.spacing_mm[1];
      if (y < region.lo.y || y > region.hi.y) continue;
      for (std::size_t i = 0; i < g.size[0]; ++i) {
        if (map.labels[map.Index(i, j, k)] != label) continue;
        const Vec3 p = map.Centre(i, j, k);
        ++lesion.voxels;
        lesion.centroid = lesion.centroid + p;
        *surface_mm2 += voxel_mm3 / layer_mm(p);
      }
    }
  }
  if (lesion.voxels == 0)
    throw std::invalid_argument("lesion " + spec.id + " paints no voxel where it was placed");
  lesion.centroid = lesion.centroid * (1.0 / static_cast<double>(lesion.voxels));
  return lesion;
}

std::vector<PaintedLesion> PaintLesions(const Anatomy& head, const std::vector<LesionSpec>& specs,
                                        LabelMap& map) {
  std::vector<PaintedLesion> painted;
  for (std::size_t n = 0; n < specs.size(); ++n) {
    const LesionSpec& spec = specs[n];
    const double t = spec.thickness_mm;
    const double sulcal_layer_mm = spec.kind == LesionKind::kSulcal ? FindSulcus(head, spec).width_mm / 4 : t;
    // A layer of thickness t covers volume / t of surface; inside a sulcus the CSF lines two banks.
    const auto layer_mm = [&](const Vec3& p) {
      const bool in_sulcus = spec.kind == LesionKind::kSulcal && head.CerebrumDistance(p) < 0;
      return in_sulcus ? sulcal_layer_mm : t;
    };
    double surface_mm2 = 0;
    PaintedLesion lesion = PaintRegion(spec, RegionOf(head, spec), static_cast<Label>(kFirstLesion + n),
                                       layer_mm, map, &surface_mm2);
    if (spec.kind == LesionKind::kNodule || spec.kind == LesionKind::kParenchymal) {
      lesion.edge_to_pia_mm = EdgeToPia(head, spec);
    } else if (spec.kind == LesionKind::kCranialNerve) {
      const NerveSegment& nerve = FindNerve(head, spec);
      lesion.extent_mm2 = 2 * M_PI * nerve.radius_mm * kNerveSwelling * (nerve.to - nerve.from).Norm();
    } else {
      lesion.extent_mm2 = surface_mm2;
    }
    painted.push_back(std::move(lesion));
  }
  return painted;
}

double MeasureEvansIndex(const LabelMap& map) {
  const auto& g = map.geometry;
  double best_horns = 0, skull_on_best = 1;
  for (std::size_t k = 0; k < g.size[2]; ++k) {
    const double z = g.origin_mm[2] + k * g.spacing_mm[2];
    if (z < -5 || z > 35) continue;  // the frontal horns lie between these levels
    double horns = 0, skull = 0;
    for (std::size_t j = 0; j < g.size[1]; ++j) {
      const double y = g.origin_mm[1] + j * g.spacing_mm[1];
      std::size_t horn_lo = g.size[0], horn_hi = 0, skull_lo = g.size[0], skull_hi = 0;
      // Runs of ventricle, plexus and lesion voxels along the row: a run is horn when it holds ventricle
      // or plexus (lesions on or in the ventricles), not when it is a lesion elsewhere.
      std::size_t run_start = 0;
      bool in_run = false, run_is_horn = false;
      for (std::size_t i = 0; i < g.size[0]; ++i) {
        const Label l = map.labels[map.Index(i, j, k)];
        if (l != kAir && l != kScalp && l != kSkull && l != kMarrow)
          skull_lo = std::min(skull_lo, i), skull_hi = i;
        const bool ventricular = l == kVentricleCsf || l == kChoroidPlexus;
        if (y >= -8 || !(ventricular || IsLesion(l))) {
          in_run = false;
          continue;
        }
        if (!in_run) run_start = i, in_run = true, run_is_horn = false;
        run_is_horn = run_is_horn || ventricular;
        if (run_is_horn) horn_lo = std::min(horn_lo, run_start), horn_hi = i;
      }
      if (skull_hi >= skull_lo) skull = std::max(skull, (skull_hi - skull_lo + 1) * g.spacing_mm[0]);
      if (horn_hi >= horn_lo) horns = std::max(horns, (horn_hi - horn_lo + 1) * g.spacing_mm[0]);
    }
    if (horns > best_horns) best_horns = horns, skull_on_best = skull;
  }
  return best_horns / skull_on_best;
}

}  // namespace leptoscan::phantom
