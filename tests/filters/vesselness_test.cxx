// Vesselness on synthetic shapes (a tube scores, a plate and blobs do not) and on the lesion phantom:
// cortical veins against sulcal and folia LM (sheets) and nodules (blobs), on the enhancement map and on
// the post-contrast image.
#include "filters/vesselness.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <functional>
#include <map>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "filters/binary_masks.h"
#include "filters/intensity_normalization.h"
#include "filters/surface_distance.h"
#include "tests/filters/phantom_scans.h"

namespace leptoscan::filters {
namespace {

using phantom::Label;
using testing::PhantomScan;

// The threshold a caller applies to Vesselness (the middle of the plateau the phantom shows, 0.02-0.3).
constexpr float kThreshold = 0.1f;

// A 48 mm cube at 1 mm holding 1 where `inside` holds (coordinates in mm from the centre), with partial
// volume from 4x4x4 sub-samples and uniform noise of +-0.05.
io::Volume Synthetic(const std::function<bool(double, double, double)>& inside) {
  io::Volume v;
  v.geometry.size = {48, 48, 48};
  v.voxels.resize(v.geometry.VoxelCount());
  std::mt19937 noise(7);
  std::size_t index = 0;
  for (int k = 0; k < 48; ++k) {
    for (int j = 0; j < 48; ++j) {
      for (int i = 0; i < 48; ++i, ++index) {
        int hits = 0;
        for (int s = 0; s < 64; ++s) {
          hits += inside(i - 23.5 + (s % 4 + 0.5) / 4 - 0.5, j - 23.5 + (s / 4 % 4 + 0.5) / 4 - 0.5,
                         k - 23.5 + (s / 16 + 0.5) / 4 - 0.5);
        }
        v.voxels[index] = static_cast<float>(hits / 64.0 + 0.1 * (noise() / 4294967296.0 - 0.5));
      }
    }
  }
  return v;
}

// Coordinates of voxel `index` of the synthetic cube, in mm from its centre.
std::array<double, 3> Position(std::size_t index) {
  return {index % 48 - 23.5, index / 48 % 48 - 23.5, index / (48 * 48) - 23.5};
}

double Dot(const std::array<double, 3>& a, const std::array<double, 3>& b) {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

std::array<double, 3> Unit(double x, double y, double z) {
  const double n = std::sqrt(x * x + y * y + z * z);
  return {x / n, y / n, z / n};
}

double Largest(const io::Volume& v) {
  return *std::max_element(v.voxels.begin(), v.voxels.end());
}

TEST(Vesselness, ACylinderScoresOnItsAxis) {
  // A 2 mm vessel along an oblique axis, through the whole cube.
  const auto axis = Unit(1, 0.6, 0.3);
  const auto distance = [&](const std::array<double, 3>& p) {
    const double t = Dot(p, axis);
    return std::sqrt(std::max(0.0, Dot(p, p) - t * t));
  };
  const io::Volume image = Synthetic([&](double x, double y, double z) { return distance({x, y, z}) < 1.0; });
  const io::Volume v = Vesselness(image);
  double lowest_on_axis = 1;
  std::size_t vessel = 0, flagged = 0, outside_flagged = 0;
  for (std::size_t i = 0; i < v.voxels.size(); ++i) {
    const auto p = Position(i);
    if (std::abs(Dot(p, axis)) > 15) continue;  // away from where it leaves the cube
    const double d = distance(p);
    if (d < 0.5) lowest_on_axis = std::min<double>(lowest_on_axis, v.voxels[i]);
    if (d < 1.0) ++vessel, flagged += v.voxels[i] > kThreshold;
    if (d > 4.0) outside_flagged += v.voxels[i] > kThreshold;
  }
  std::printf("cylinder: lowest vesselness on the axis %.3f, %zu of %zu vessel voxels flagged\n",
              lowest_on_axis, flagged, vessel);
  EXPECT_GT(lowest_on_axis, 0.75);
  EXPECT_EQ(flagged, vessel);
  EXPECT_EQ(outside_flagged, 0u);
}

TEST(Vesselness, APlateAndBlobsScoreLow) {
  // LM's shapes: a 1.5 mm layer (a disc 24 mm across, oblique, edges included), a 6 mm nodule and a
  // 14 x 9 x 8 mm one, the elongated kind that plain Frangi vesselness takes for a short fat tube.
  const auto normal = Unit(0.3, 0.2, 1);
  const io::Volume plate = Synthetic([&](double x, double y, double z) {
    const double h = Dot({x, y, z}, normal);
    return std::abs(h) < 0.75 && x * x + y * y + z * z - h * h < 144;
  });
  const io::Volume sphere = Synthetic([](double x, double y, double z) { return x * x + y * y + z * z < 9; });
  const io::Volume nodule =
      Synthetic([](double x, double y, double z) { return x * x / 49 + y * y / 20.25 + z * z / 16 < 1; });
  const HessianShapes on_plate = MeasureShapes(plate), on_sphere = MeasureShapes(sphere),
                      on_nodule = MeasureShapes(nodule);
  std::printf("largest vesselness: plate %.3f, 6 mm sphere %.3f, 14 x 9 x 8 mm nodule %.3f\n",
              Largest(on_plate.vessel), Largest(on_sphere.vessel), Largest(on_nodule.vessel));
  std::printf("largest sheet measure on the plate %.3f, blob measure on the sphere %.3f\n",
              Largest(on_plate.sheet), Largest(on_sphere.blob));
  EXPECT_LT(Largest(on_plate.vessel), kThreshold);
  EXPECT_LT(Largest(on_sphere.vessel), kThreshold);
  EXPECT_LT(Largest(on_nodule.vessel), kThreshold);
  EXPECT_GT(Largest(on_plate.sheet), 0.9);
  EXPECT_GT(Largest(on_sphere.blob), 0.65);
}

TEST(Vesselness, AMaskLimitsTheWorkNotTheResult) {
  const io::Volume image = Synthetic([](double x, double y, double) { return x * x + y * y < 1; });
  io::Volume mask = image;
  for (std::size_t i = 0; i < mask.voxels.size(); ++i) {
    const auto p = Position(i);
    mask.voxels[i] = std::abs(p[0]) < 8 && std::abs(p[1]) < 6;  // the whole vessel, in a small box
  }
  const HessianShapes whole = MeasureShapes(image), masked = MeasureShapes(image, {}, &mask);
  // The kernels read past the mask's box, so its voxels measure the same; only the noise's faint tube
  // readings outside the mask no longer spread into it.
  std::size_t differ = 0, outside = 0;
  for (std::size_t i = 0; i < mask.voxels.size(); ++i) {
    if (mask.voxels[i] > 0) {
      differ += (whole.vessel.voxels[i] > kThreshold) != (masked.vessel.voxels[i] > kThreshold) ||
                whole.sheet.voxels[i] != masked.sheet.voxels[i] ||
                whole.blob.voxels[i] != masked.blob.voxels[i];
    } else {
      outside += masked.vessel.voxels[i] != 0 || masked.sheet.voxels[i] != 0 || masked.blob.voxels[i] != 0;
    }
  }
  EXPECT_EQ(differ, 0u);
  EXPECT_EQ(outside, 0u);
  EXPECT_GT(Largest(masked.vessel), 0.6);
}

TEST(Vesselness, RefusesBadInput) {
  const io::Volume image = Synthetic([](double x, double y, double) { return x * x + y * y < 1; });
  io::Volume flat = image;
  std::fill(flat.voxels.begin(), flat.voxels.end(), 1.0f);
  EXPECT_THROW(Vesselness(flat), std::invalid_argument);
  VesselnessOptions none;
  none.sigmas_mm.clear();
  EXPECT_THROW(Vesselness(image, none), std::invalid_argument);
  VesselnessOptions negative;
  negative.blob_sigmas_mm = {-1};
  EXPECT_THROW(Vesselness(image, negative), std::invalid_argument);
  io::Volume empty = image;
  std::fill(empty.voxels.begin(), empty.voxels.end(), 0.0f);
  EXPECT_THROW(Vesselness(image, {}, &empty), std::invalid_argument);
  io::Volume other = empty;
  other.geometry.spacing_mm = {1, 1, 2};
  EXPECT_THROW(Vesselness(image, {}, &other), std::invalid_argument);
}

// Phantom truth classes of the lesion phantom's series voxels.
enum Class { kOther, kVein, kVeinSegment, kVeinNearLm, kSinus, kSulcal, kFolia, kNodule, kVentricularNodule };
constexpr const char* kClassNames[] = {"other intracranial",
                                       "cortical vein > 3 mm from LM",
                                       "  of it in segments >= 8 mm",
                                       "cortical vein near LM",
                                       "dural sinus",
                                       "sulcal LM",
                                       "folia LM",
                                       "subarachnoid nodule",
                                       "ventricular nodule"};

bool IsIntracranial(Label l) {
  return l != phantom::kAir && l != phantom::kScalp && l != phantom::kSkull && l != phantom::kMarrow;
}
bool IsBrain(Label l) {
  return l == phantom::kGreyMatter || l == phantom::kWhiteMatter || l == phantom::kCerebellarGrey ||
         l == phantom::kCerebellarWhite || l == phantom::kBrainstem;
}

// The voxels of 26-connected components of `mask` whose bounding box diagonal is at least `mm`.
std::vector<bool> InLongComponents(const io::Volume& mask, double mm) {
  const auto& n = mask.geometry.size;
  std::vector<bool> seen(mask.voxels.size()), out(mask.voxels.size());
  for (std::size_t start = 0; start < mask.voxels.size(); ++start) {
    if (mask.voxels[start] <= 0 || seen[start]) continue;
    std::vector<std::size_t> component{start};
    seen[start] = true;
    long lo[3] = {long(n[0]), long(n[1]), long(n[2])}, hi[3] = {-1, -1, -1};
    for (std::size_t next = 0; next < component.size(); ++next) {
      const std::size_t c = component[next];
      const long at[3] = {long(c % n[0]), long(c / n[0] % n[1]), long(c / (n[0] * n[1]))};
      for (int a = 0; a < 3; ++a)
        lo[a] = std::min(lo[a], at[a]), hi[a] = std::max(hi[a], at[a]);
      for (int d = 0; d < 27; ++d) {
        const long q[3] = {at[0] + d % 3 - 1, at[1] + d / 3 % 3 - 1, at[2] + d / 9 - 1};
        if (q[0] < 0 || q[1] < 0 || q[2] < 0 || q[0] >= long(n[0]) || q[1] >= long(n[1]) ||
            q[2] >= long(n[2]))
          continue;
        const std::size_t qi = (q[2] * n[1] + q[1]) * n[0] + q[0];
        if (mask.voxels[qi] > 0 && !seen[qi]) seen[qi] = true, component.push_back(qi);
      }
    }
    const double diagonal = std::hypot(hi[0] - lo[0] + 1.0, hi[1] - lo[1] + 1.0, hi[2] - lo[2] + 1.0);
    for (std::size_t c : component)
      out[c] = diagonal >= mm;
  }
  return out;
}

struct PhantomCase {
  io::Volume enhancement, post, intracranial;
  std::vector<Label> labels;                     // truth at each voxel centre
  std::vector<std::vector<std::size_t>> voxels;  // per class
};

// The lesion phantom as the detector sees it: the enhancement map (post - pre, both divided by the
// white-matter peak) and the normalised post-contrast image, with the truth class of every voxel.
const PhantomCase& LesionCase() {
  static const PhantomCase c = [] {
    const PhantomScan& scan = testing::LesionPhantom();
    const auto& g = scan.t1.geometry;
    PhantomCase c;
    c.labels = scan.Labels();
    const auto truth = [&](bool (*in)(Label)) {
      return MaskWhere(g, [&](std::size_t i) { return in(c.labels[i]); });
    };
    const io::Volume brain = truth(IsBrain);
    const io::Volume pre = NormalizeToWhiteMatter(scan.t1, brain);
    c.post = NormalizeToWhiteMatter(scan.t1_post, brain);
    c.enhancement = c.post;
    for (std::size_t i = 0; i < pre.voxels.size(); ++i)
      c.enhancement.voxels[i] -= pre.voxels[i];
    c.intracranial = truth(IsIntracranial);
    const io::Volume to_lesion = SignedDistanceMm(truth(phantom::IsLesion));
    // The phantom's vein that should cross a gyral crown runs as a chord through the gyrus, so only short
    // stubs of it lie in CSF; they are counted apart.
    const std::vector<bool> long_vein =
        InLongComponents(truth([](Label l) { return l == phantom::kCorticalVein; }), 8);
    c.voxels.resize(std::size(kClassNames));
    for (std::size_t i = 0; i < c.labels.size(); ++i) {
      const Label l = c.labels[i];
      if (!IsIntracranial(l)) continue;
      Class kind = kOther;
      if (l == phantom::kCorticalVein) kind = to_lesion.voxels[i] > 3 ? kVein : kVeinNearLm;
      if (l == phantom::kVenousSinus) kind = kSinus;
      if (phantom::IsLesion(l)) {
        const phantom::LesionSpec& spec = scan.lesions[l - phantom::kFirstLesion].spec;
        kind = spec.kind == phantom::LesionKind::kSulcal  ? kSulcal
               : spec.kind == phantom::LesionKind::kFolia ? kFolia
               : spec.ventricular                         ? kVentricularNodule
                                                          : kNodule;
      }
      c.voxels[kind].push_back(i);
      if (kind == kVein && long_vein[i]) c.voxels[kVeinSegment].push_back(i);
    }
    return c;
  }();
  return c;
}

// Fraction of each class's voxels above each threshold, printed as a table; returns the fractions at
// kThreshold.
std::vector<double> Separation(const char* name, const io::Volume& vesselness, const PhantomCase& c) {
  std::printf("%s: fraction of each class's voxels above the threshold\n%-36s", name, "threshold");
  const double thresholds[] = {0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7};
  for (double t : thresholds)
    std::printf(" %5.2f", t);
  std::printf("\n");
  std::vector<double> at_threshold;
  for (std::size_t kind = 0; kind < c.voxels.size(); ++kind) {
    std::printf(
        "%-36s",
        (std::string(kClassNames[kind]) + " (" + std::to_string(c.voxels[kind].size()) + ")").c_str());
    for (double t : thresholds) {
      std::size_t above = 0;
      for (std::size_t i : c.voxels[kind])
        above += vesselness.voxels[i] > t;
      const double fraction = static_cast<double>(above) / static_cast<double>(c.voxels[kind].size());
      std::printf(" %5.3f", fraction);
      if (static_cast<float>(t) == kThreshold) at_threshold.push_back(fraction);
    }
    std::printf("\n");
  }
  return at_threshold;
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// The levels asserted are the ones measured (see filters/README.md) with a small margin.
TEST(Vesselness, FlagsPhantomVeinsAndNotItsLm) {
  const PhantomCase& c = LesionCase();
  const auto start = std::chrono::steady_clock::now();
  const io::Volume on_enhancement = Vesselness(c.enhancement, {}, &c.intracranial);
  std::printf("vesselness of the enhancement map inside the intracranial mask: %.2f s\n", Seconds(start));
  const std::vector<double> f = Separation("enhancement map", on_enhancement, c);
  EXPECT_GE(f[kVein], 0.86);
  EXPECT_GE(f[kVeinSegment], 0.98);
  EXPECT_LE(f[kSulcal], 0.01);
  EXPECT_LE(f[kFolia], 0.01);
  EXPECT_LE(f[kNodule], 0.01);
  EXPECT_LE(f[kVentricularNodule], 0.05);
  EXPECT_LE(f[kOther], 0.005);
  std::map<Label, std::size_t> other;  // what the flagged other voxels are
  for (std::size_t i : c.voxels[kOther])
    other[c.labels[i]] += on_enhancement.voxels[i] > kThreshold;
  std::printf("flagged other voxels by structure label:");
  for (const auto& [label, count] : other)
    if (count > 0) std::printf(" %d: %zu", label, count);
  std::printf("\n");
  // The post-contrast image alone separates worse: its veins lie between grey matter and CSF, not on a
  // flat background.
  const std::vector<double> post =
      Separation("post-contrast image", Vesselness(c.post, {}, &c.intracranial), c);
  EXPECT_LT(post[kVein], f[kVein]);
}

TEST(Vesselness, WholeHeadTakesSecondsAndMatchesTheMaskedRun) {
  const PhantomCase& c = LesionCase();
  const auto start = std::chrono::steady_clock::now();
  const auto cpu = std::clock();
  const io::Volume whole = Vesselness(c.enhancement);
  const auto& s = c.enhancement.geometry.size;
  std::printf("vesselness of the whole %zux%zux%zu 1 mm enhancement map: %.2f s (%.2f s of CPU)\n", s[0],
              s[1], s[2], Seconds(start), static_cast<double>(std::clock() - cpu) / CLOCKS_PER_SEC);
  // Inside the mask the two runs differ only where a faint tube reading outside it spreads in.
  const io::Volume masked = Vesselness(c.enhancement, {}, &c.intracranial);
  std::size_t differ = 0;
  for (std::size_t i = 0; i < masked.voxels.size(); ++i)
    differ +=
        c.intracranial.voxels[i] > 0 && (whole.voxels[i] > kThreshold) != (masked.voxels[i] > kThreshold);
  std::printf("%zu intracranial voxels flagged differently\n", differ);
  EXPECT_LE(differ, 10u);
}

}  // namespace
}  // namespace leptoscan::filters
