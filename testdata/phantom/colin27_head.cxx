#include "testdata/phantom/colin27_head.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <deque>
#include <limits>
#include <vector>

#include "io/errors.h"
#include "io/nifti.h"
#include "testdata/phantom/distance_transform.h"

namespace leptoscan::phantom {
namespace {

constexpr double kSubarachnoidMm = 2.5;  // pia to arachnoid over the convexity, as in the analytic head
constexpr double kDuraMm = 1.0;
constexpr double kHullClosingMm = 3.0;  // the outer cerebral surface bridges sulci narrower than this
constexpr double kSulcusGyrusMm = 3.0;  // a sulcus is named by the gyri this close to its CSF
constexpr double kSulcusReachMm = 8.0;  // SulcusFrame answers this far from a sulcus's CSF
constexpr double kSulcusWidthMm = 1.0;  // a sulcus at 1 mm is a one-voxel cleft
constexpr std::size_t kMinSulcusVoxels = 40;
constexpr double kNerveSheathMm = 3.5;  // CSF around each cisternal nerve counts as cistern
constexpr double kCisternMm = 8.0;      // CSF this close to the brainstem is cisternal
constexpr double kFieldOfViewMarginMm = 8.0;

// Sulci named by the AAL gyri on their two banks (AAL labels of the left hemisphere; +1 is the right).
struct SulcusSpec {
  const char* name;
  const char* lobe;
  std::vector<int> bank_a, bank_b;
};
const SulcusSpec kSulci[] = {
    {"central", "frontal", {1}, {57}},                // precentral | postcentral gyrus
    {"precentral", "frontal", {1}, {3, 7}},           // precentral | superior, middle frontal
    {"postcentral", "parietal", {57}, {59, 61, 63}},  // postcentral | parietal lobules, supramarginal
    {"superior_frontal", "frontal", {3}, {7}},        // superior | middle frontal gyrus
    {"inferior_frontal", "frontal", {7}, {11, 13}},   // middle | inferior frontal (opercular, triangular)
    {"lateral_fissure", "temporal", {81}, {17, 29}},  // superior temporal | rolandic operculum, insula
    {"superior_temporal", "temporal", {81}, {85}},    // superior | middle temporal gyrus
    {"inferior_temporal", "temporal", {85}, {89}},    // middle | inferior temporal gyrus
    {"intraparietal", "parietal", {59}, {61, 65}},    // superior | inferior parietal lobule, angular
    {"parieto_occipital", "occipital", {67}, {45}},   // precuneus | cuneus
    {"lateral_occipital", "occipital", {49}, {51}},   // superior | middle occipital gyrus
};
// The order scenarios draw sulcal LM in.
const char* const kLesionSulci[] = {
    "precentral",        "central",       "postcentral",       "superior_frontal",  "inferior_frontal",
    "superior_temporal", "intraparietal", "parieto_occipital", "lateral_occipital", "lateral_fissure"};
constexpr int kCerebellumFirst = 91, kCerebellumLast = 116;  // AAL cerebellar hemispheres and vermis

// Cisternal cranial nerves (MNI, left side: x < 0): from the brainstem towards the skull-base foramen.
// The start is moved to where the nerve leaves the brainstem on this brain.
struct NerveSpec {
  const char* name;
  Vec3 from, to;  // MNI (RAS)
  double radius;
};
const NerveSpec kNerves[] = {{"III", {-4, -16, -14}, {-12, 0, -22}, 1.3},
                             {"V", {-17, -18, -30}, {-24, -10, -31}, 1.8},
                             {"VII_VIII", {-14, -30, -40}, {-30, -24, -40}, 1.4}};

// MNI (RAS) to head (LPS) coordinates.
Vec3 FromMni(const Vec3& m) {
  return {-m.x, -m.y, m.z};
}
Vec3 Mirror(const Vec3& v, Side side) {
  return side == Side::kLeft ? v : Vec3{-v.x, v.y, v.z};
}

// In the body of the left lateral ventricle of Colin27.
const Vec3 kLateralVentricleSeed = FromMni({-8, 0, 20});

struct Ellipsoid {
  Vec3 centre, radii;  // head coordinates
};
const Ellipsoid kPituitaryGland{FromMni({0, 5, -30}), {6, 5, 3.5}};
const Vec3 kStalkFrom = FromMni({0, 4, -27}), kStalkTo = FromMni({0, 1, -17});
const Ellipsoid kSuprasellarCistern{FromMni({0, 4, -18}), {14, 10, 7}};
// Dural sinuses: the straight sinus from the vein of Galen to the torcula, and the transverse sinuses from
// the torcula along the inner table (left side; mirrored).
const Vec3 kGalen = FromMni({0, -50, 2}), kTorcula = FromMni({0, -100, 4});
const Vec3 kTransverse[] = {FromMni({0, -100, 4}), FromMni({-28, -96, -4}), FromMni({-46, -80, -14}),
                            FromMni({-50, -60, -28})};
constexpr double kTransverseRadiusMm = 3.5;

bool InVenousSinus(const Vec3& p, double inner_skull) {
  // Superior sagittal sinus: a triangle in section along the vertex, as in the analytic head, within the
  // inner table.
  if (p.z > 20 && inner_skull > -6 && inner_skull < 2 && std::abs(p.x) < 4.5 + 0.6 * inner_skull) return true;
  if (std::abs(p.x) < 2.5 && SegmentDistance(p, kGalen, kTorcula) < 2.5) return true;  // straight sinus
  if (inner_skull < -5 || inner_skull > 3 || p.z > 10) return false;
  const Side side = p.x >= 0 ? Side::kLeft : Side::kRight;
  for (std::size_t i = 0; i + 1 < std::size(kTransverse); ++i) {
    if (SegmentDistance(p, Mirror(kTransverse[i], side), Mirror(kTransverse[i + 1], side)) <
        kTransverseRadiusMm)
      return true;
  }
  return false;
}

// Fields sampled together, one struct per 1 mm voxel, so that one trilinear fetch serves every distance.
struct Fields {
  float t1;          // ch2 intensity
  float pial;        // signed, positive in tissue (brain with its ventricles)
  float ventricle;   // signed, negative inside the ventricles
  float cerebrum;    // signed, negative inside the outer cerebral surface (ch2bet closed)
  float cerebellum;  // signed, negative inside the cerebellum
  float brainstem;   // signed, negative inside the brainstem
};

struct Grid {
  std::array<std::size_t, 3> n{};
  Vec3 origin;  // head coordinates of voxel (0, 0, 0); spacing 1 mm, axes along x, y, z
  std::size_t Index(std::size_t i, std::size_t j, std::size_t k) const { return (k * n[1] + j) * n[0] + i; }
  std::size_t Count() const { return n[0] * n[1] * n[2]; }
  Vec3 Centre(std::size_t index) const {
    return origin + Vec3{double(index % n[0]), double(index / n[0] % n[1]), double(index / (n[0] * n[1]))};
  }
};

// Principal axis (unit) of a point cloud about its centroid: power iteration from a fixed start.
Vec3 PrincipalAxis(const std::vector<Vec3>& points, const Vec3& centroid) {
  double c[3][3] = {};
  for (const Vec3& p : points) {
    const double d[3] = {p.x - centroid.x, p.y - centroid.y, p.z - centroid.z};
    for (int a = 0; a < 3; ++a) {
      for (int b = 0; b < 3; ++b)
        c[a][b] += d[a] * d[b];
    }
  }
  Vec3 v{0.577, 0.577, 0.577};
  for (int iteration = 0; iteration < 100; ++iteration) {
    v = Vec3{c[0][0] * v.x + c[0][1] * v.y + c[0][2] * v.z, c[1][0] * v.x + c[1][1] * v.y + c[1][2] * v.z,
             c[2][0] * v.x + c[2][1] * v.y + c[2][2] * v.z}
            .Unit();
  }
  return v;
}

// Three-class k-means (CSF, grey, white) on the intensities of the masked voxels, from fixed percentiles;
// ch2 holds whole numbers 0-255, so it runs on their histogram.
std::array<double, 3> TissueMeans(const std::vector<float>& t1, const std::vector<std::uint8_t>& mask) {
  std::array<double, 256> histogram{};
  double total = 0;
  for (std::size_t i = 0; i < t1.size(); ++i) {
    if (mask[i]) ++histogram[std::clamp(static_cast<int>(std::lround(t1[i])), 0, 255)], ++total;
  }
  const auto percentile = [&](double fraction) {
    double seen = 0;
    for (int v = 0; v < 256; ++v) {
      if ((seen += histogram[v]) >= fraction * total) return double(v);
    }
    return 255.0;
  };
  std::array<double, 3> means = {percentile(0.05), percentile(0.5), percentile(0.95)};
  for (int iteration = 0; iteration < 50; ++iteration) {
    std::array<double, 3> sum{}, count{};
    for (int v = 0; v < 256; ++v) {
      int best = 0;
      for (int c = 1; c < 3; ++c) {
        if (std::abs(v - means[c]) < std::abs(v - means[best])) best = c;
      }
      sum[best] += v * histogram[v], count[best] += histogram[v];
    }
    for (int c = 0; c < 3; ++c) {
      if (count[c] > 0) means[c] = sum[c] / count[c];
    }
  }
  return means;
}

// The voxels of `allowed` 6-connected to a voxel of `seeds` (seeds outside `allowed` are ignored).
std::vector<std::uint8_t> GrowFrom(const Grid& g, const std::vector<std::uint8_t>& seeds,
                                   const std::vector<std::uint8_t>& allowed) {
  std::vector<std::uint8_t> out(g.Count(), 0);
  std::deque<std::size_t> queue;
  for (std::size_t i = 0; i < seeds.size(); ++i) {
    if (seeds[i] && allowed[i]) out[i] = 1, queue.push_back(i);
  }
  const std::ptrdiff_t steps[6] = {1,
                                   -1,
                                   std::ptrdiff_t(g.n[0]),
                                   -std::ptrdiff_t(g.n[0]),
                                   std::ptrdiff_t(g.n[0] * g.n[1]),
                                   -std::ptrdiff_t(g.n[0] * g.n[1])};
  while (!queue.empty()) {
    const std::size_t v = queue.front();
    queue.pop_front();
    const std::size_t i = v % g.n[0], j = v / g.n[0] % g.n[1], k = v / (g.n[0] * g.n[1]);
    const bool inner[6] = {i + 1 < g.n[0], i > 0, j + 1 < g.n[1], j > 0, k + 1 < g.n[2], k > 0};
    for (int s = 0; s < 6; ++s) {
      if (!inner[s]) continue;
      const std::size_t w = v + steps[s];
      if (allowed[w] && !out[w]) out[w] = 1, queue.push_back(w);
    }
  }
  return out;
}

template <typename Inside>
std::vector<std::uint8_t> MaskOf(const Grid& g, Inside inside) {
  std::vector<std::uint8_t> mask(g.Count());
  tbb::parallel_for(std::size_t{0}, g.Count(),
                    [&](std::size_t i) { mask[i] = inside(i, g.Centre(i)) ? 1 : 0; });
  return mask;
}

std::vector<float> Negated(std::vector<float> values) {
  for (float& v : values)
    v = -v;
  return values;
}

// Reads a NIfTI volume onto the head grid (axes along x, y, z), as MNI templates are stored with
// diagonal orientations only.
std::vector<float> ReadOnGrid(const std::filesystem::path& path, Grid* grid) {
  const io::Volume volume = io::ReadNifti(path);
  const auto& v = volume.geometry;
  Grid g;
  g.n = v.size;
  std::array<bool, 3> flip{};
  for (int a = 0; a < 3; ++a) {
    for (int b = 0; b < 3; ++b) {
      const double d = v.direction[a * 3 + b];
      if ((a == b && std::abs(std::abs(d) - 1) > 1e-6) || (a != b && std::abs(d) > 1e-6))
        throw io::InputError(path, "is not axis-aligned");
    }
    if (std::abs(v.spacing_mm[a] - 1) > 1e-6) throw io::InputError(path, "does not have 1 mm voxels");
    flip[a] = v.direction[a * 4] < 0;
  }
  const auto far =
      v.IndexToPoint(flip[0] ? v.size[0] - 1 : 0, flip[1] ? v.size[1] - 1 : 0, flip[2] ? v.size[2] - 1 : 0);
  g.origin = {far[0], far[1], far[2]};
  if (grid->Count() > 0 && (grid->n != g.n || (grid->origin - g.origin).Norm() > 1e-3))
    throw io::InputError(path, "is not on the grid of ch2.nii.gz");
  *grid = g;
  std::vector<float> out(g.Count());
  for (std::size_t k = 0; k < g.n[2]; ++k) {
    for (std::size_t j = 0; j < g.n[1]; ++j) {
      for (std::size_t i = 0; i < g.n[0]; ++i) {
        const std::size_t si = flip[0] ? g.n[0] - 1 - i : i, sj = flip[1] ? g.n[1] - 1 - j : j,
                          sk = flip[2] ? g.n[2] - 1 - k : k;
        out[g.Index(i, j, k)] = volume.voxels[g.Index(si, sj, sk)];
      }
    }
  }
  return out;
}

Box BoundingBox(const Grid& g, const std::vector<std::uint8_t>& mask, double pad) {
  Box box{{1e9, 1e9, 1e9}, {-1e9, -1e9, -1e9}};
  for (std::size_t i = 0; i < mask.size(); ++i) {
    if (!mask[i]) continue;
    const Vec3 p = g.Centre(i);
    box.lo = {std::min(box.lo.x, p.x), std::min(box.lo.y, p.y), std::min(box.lo.z, p.z)};
    box.hi = {std::max(box.hi.x, p.x), std::max(box.hi.y, p.y), std::max(box.hi.z, p.z)};
  }
  box.lo = box.lo - Vec3{pad, pad, pad};
  box.hi = box.hi + Vec3{pad, pad, pad};
  return box;
}

}  // namespace

struct Colin27Head::Data {
  struct SulcusData {
    std::vector<Vec3> voxels;  // centres of its CSF voxels
    Vec3 centroid, axis;
    double half_length = 1;
    Grid local;                   // a box around it, with
    std::vector<float> distance;  // the distance to its CSF
  };
  struct Vein {
    Vec3 a, b;
    double radius_mm;
  };

  Grid grid;
  std::vector<Fields> fields;
  std::vector<std::uint8_t> head;  // inside the head (not air)
  double grey_white = 0;           // intensity threshold between grey and white matter
  double bone = 0;                 // below it, tissue outside the cranium is bone
  double horn_span_mm = 0;         // frontal horns at ventricle scale 1
  std::vector<SulcusData> sulci;   // parallel to Anatomy::sulci()
  std::vector<Vein> veins;
  std::array<Vec3, 2> atrium;  // left, right
  std::array<Vec3, 2> monro;   // the foramina of Monro, where the choroid plexus leaves the body
  Vec3 third_roof_from, third_roof_to;

  // Fields at p (trilinear); p outside the grid takes the nearest border values.
  Fields At(const Vec3& p) const {
    std::size_t base[3];
    double f[3];
    const double c[3] = {p.x - grid.origin.x, p.y - grid.origin.y, p.z - grid.origin.z};
    for (int a = 0; a < 3; ++a) {
      const double clamped = std::clamp(c[a], 0.0, grid.n[a] - 1.0);
      base[a] = std::min(static_cast<std::size_t>(clamped), grid.n[a] - 2);
      f[a] = clamped - base[a];
    }
    float out[6] = {};
    for (int corner = 0; corner < 8; ++corner) {
      const int dx = corner & 1, dy = (corner >> 1) & 1, dz = corner >> 2;
      const double w = (dx ? f[0] : 1 - f[0]) * (dy ? f[1] : 1 - f[1]) * (dz ? f[2] : 1 - f[2]);
      const Fields& v = fields[grid.Index(base[0] + dx, base[1] + dy, base[2] + dz)];
      const float values[6] = {v.t1, v.pial, v.ventricle, v.cerebrum, v.cerebellum, v.brainstem};
      for (int n = 0; n < 6; ++n)
        out[n] += static_cast<float>(w) * values[n];
    }
    return {out[0], out[1], out[2], out[3], out[4], out[5]};
  }
  bool InHead(const Vec3& p) const {
    // Below the data the neck goes on as in its last slice, out of the field of view as in a scan.
    const double c[3] = {p.x - grid.origin.x + 0.5, p.y - grid.origin.y + 0.5,
                         std::max(p.z - grid.origin.z + 0.5, 0.5)};
    if (c[0] < 0 || c[1] < 0 || c[2] < 0 || c[0] >= grid.n[0] || c[1] >= grid.n[1] || c[2] >= grid.n[2])
      return false;
    return head[grid.Index(std::size_t(c[0]), std::size_t(c[1]), std::size_t(c[2]))] != 0;
  }
};

std::filesystem::path Colin27Head::DefaultFolder() {
  return "/usr/share/mricron/templates";
}

Colin27Head::Colin27Head(const Colin27Head& head, HeadShape shape) : Anatomy(head), data_(head.data_) {
  shape_ = shape;
}

Colin27Head::Colin27Head(const std::filesystem::path& folder) : Anatomy(HeadShape{}) {
  auto data = std::make_shared<Data>();
  Grid& g = data->grid;
  const std::vector<float> t1 = ReadOnGrid(folder / "ch2.nii.gz", &g);
  const std::vector<float> bet_values = ReadOnGrid(folder / "ch2bet.nii.gz", &g);
  const std::vector<float> aal_values = ReadOnGrid(folder / "aal.nii.gz", &g);
  const std::size_t count = g.Count();
  const auto at = [&](std::size_t index) { return g.Centre(index); };
  std::vector<std::uint8_t> bet(count);
  std::vector<int> aal(count);
  for (std::size_t i = 0; i < count; ++i)
    bet[i] = bet_values[i] > 0, aal[i] = static_cast<int>(std::lround(aal_values[i]));

  // Tissue classes inside the brain.
  const std::array<double, 3> means = TissueMeans(t1, bet);
  const double csf_grey = (means[0] + means[1]) / 2;
  data->grey_white = (means[1] + means[2]) / 2;
  data->bone = csf_grey;

  // The outer cerebral surface: the brain closed over its sulci.
  const std::vector<float> to_brain = DistanceToMask(bet, g.n, 1.0);
  const auto dilated = MaskOf(g, [&](std::size_t i, const Vec3&) { return to_brain[i] <= kHullClosingMm; });
  const std::vector<float> to_outside =
      DistanceToMask(MaskOf(g, [&](std::size_t i, const Vec3&) { return !dilated[i]; }), g.n, 1.0);
  const auto hull =
      MaskOf(g, [&](std::size_t i, const Vec3&) { return bet[i] || to_outside[i] > kHullClosingMm; });
  const std::vector<float> depth =
      DistanceToMask(MaskOf(g, [&](std::size_t i, const Vec3&) { return !hull[i]; }), g.n, 1.0);
  // ch2bet leaves out the midsagittal plane in places; the closed surface bridges it.
  const auto tissue = MaskOf(g, [&](std::size_t i, const Vec3&) { return hull[i] && t1[i] > csf_grey; });
  const auto csf = MaskOf(g, [&](std::size_t i, const Vec3&) { return hull[i] && !tissue[i]; });

  // Brainstem: tissue AAL leaves unlabelled around the midline, below the thalami and in front of the
  // cerebellum; the largest connected part.
  const auto stem_candidates = MaskOf(g, [&](std::size_t i, const Vec3& p) {
    return tissue[i] && aal[i] == 0 && std::abs(p.x) <= 18 && p.y >= 2 && p.y <= 42 && p.z <= -6;
  });
  std::vector<std::uint8_t> stem_seed(count, 0);
  stem_seed[g.Index(std::size_t(-g.origin.x), std::size_t(25 - g.origin.y), std::size_t(-30 - g.origin.z))] =
      1;
  const auto brainstem = GrowFrom(g, stem_seed, stem_candidates);
  const auto aal_cerebellum = MaskOf(
      g, [&](std::size_t i, const Vec3&) { return aal[i] >= kCerebellumFirst && aal[i] <= kCerebellumLast; });
  const std::vector<float> to_aal_cerebellum = DistanceToMask(aal_cerebellum, g.n, 1.0);
  const auto cerebellum = MaskOf(g, [&](std::size_t i, const Vec3&) {
    return tissue[i] && !brainstem[i] && (aal_cerebellum[i] || (aal[i] == 0 && to_aal_cerebellum[i] <= 5));
  });

  // Ventricles: CSF deep in the middle of the brain, grown through the CSF around it; the fourth
  // ventricle from its own seed behind the pons.
  const auto lateral_seeds = MaskOf(g, [&](std::size_t i, const Vec3& p) {
    return csf[i] && ((p - kLateralVentricleSeed).Norm() < 3 ||
                      (p - Mirror(kLateralVentricleSeed, Side::kRight)).Norm() < 3);
  });
  const auto lateral_allowed = MaskOf(g, [&](std::size_t i, const Vec3& p) {
    return csf[i] && t1[i] < means[0] && depth[i] > 10 && std::abs(p.x) < 35 && p.z > -25 && p.z < 35 &&
           p.y > -35 && p.y < 45;
  });
  const auto lateral = GrowFrom(g, lateral_seeds, lateral_allowed);
  const auto fourth =
      GrowFrom(g,
               MaskOf(g,
                      [&](std::size_t i, const Vec3& p) {
                        return csf[i] && std::abs(p.x) < 6 && p.y > 35 && p.y < 50 && p.z > -35 && p.z < -20;
                      }),
               MaskOf(g, [&](std::size_t i, const Vec3& p) {
                 return csf[i] && t1[i] < means[0] && depth[i] > 8 && std::abs(p.x) < 12 && p.y > 25 &&
                        p.y < 60 && p.z > -45 && p.z < -12;
               }));
  const auto ventricles = MaskOf(g, [&](std::size_t i, const Vec3&) { return lateral[i] || fourth[i]; });

  // Air: the background reached from the volume's border through dark voxels.
  std::vector<std::uint8_t> border(count, 0);
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t x = i % g.n[0], y = i / g.n[0] % g.n[1], z = i / (g.n[0] * g.n[1]);
    border[i] = x == 0 || y == 0 || z == 0 || x + 1 == g.n[0] || y + 1 == g.n[1] || z + 1 == g.n[2];
  }
  const auto air =
      GrowFrom(g, border, MaskOf(g, [&](std::size_t i, const Vec3&) { return t1[i] < means[0] / 2; }));
  data->head = MaskOf(g, [&](std::size_t i, const Vec3&) { return !air[i]; });

  // The signed distance maps.
  const std::vector<float> pial = Negated(SignedDistanceToMask(
      MaskOf(g, [&](std::size_t i, const Vec3&) { return tissue[i] || ventricles[i]; }), g.n, 1.0));
  const std::vector<float> ventricle = SignedDistanceToMask(ventricles, g.n, 1.0);
  const std::vector<float> cerebrum = SignedDistanceToMask(hull, g.n, 1.0);
  const std::vector<float> cerebellum_distance = SignedDistanceToMask(cerebellum, g.n, 1.0);
  const std::vector<float> brainstem_distance = SignedDistanceToMask(brainstem, g.n, 1.0);
  data->fields.resize(count);
  for (std::size_t i = 0; i < count; ++i) {
    data->fields[i] = {
        t1[i], pial[i], ventricle[i], cerebrum[i], cerebellum_distance[i], brainstem_distance[i]};
  }

  // Landmarks.
  // The scanner's field of view leaves air around the head (the neck runs out of it at the bottom).
  const Vec3 margin{kFieldOfViewMarginMm, kFieldOfViewMarginMm, kFieldOfViewMarginMm};
  landmarks_.head = {g.origin - margin, g.origin + Vec3{g.n[0] - 1.0, g.n[1] - 1.0, g.n[2] - 1.0} + margin};
  const Box brain = BoundingBox(g, hull, 0);
  landmarks_.cerebrum_interior = {brain.lo + Vec3{15, 15, 40}, brain.hi - Vec3{15, 15, 15}};
  landmarks_.posterior_fossa = BoundingBox(g, cerebellum, 3);
  const Box stem = BoundingBox(g, brainstem, 0);
  // ch2bet cuts the medulla off: cistern lesions keep away from its cut end.
  landmarks_.basal_cisterns = {{stem.lo.x - 25, stem.lo.y - 20, stem.lo.z + 5}, stem.hi + Vec3{25, 10, 5}};
  landmarks_.ventricles = BoundingBox(g, lateral, 3);
  Vec3 cerebellum_sum, brain_sum;
  std::size_t cerebellum_count = 0, brain_count = 0;
  for (std::size_t i = 0; i < count; ++i) {
    if (cerebellum[i]) cerebellum_sum = cerebellum_sum + at(i), ++cerebellum_count;
    if (hull[i] && !cerebellum[i] && !brainstem[i]) brain_sum = brain_sum + at(i), ++brain_count;
  }
  landmarks_.cerebellum_centre = cerebellum_sum * (1.0 / cerebellum_count);
  cerebrum_centre_ = brain_sum * (1.0 / brain_count);
  landmarks_.ventricle_front = landmarks_.ventricles.lo.y + 3;
  landmarks_.ventricle_back = landmarks_.ventricles.hi.y - 3;

  // Evans index as MeasureEvansIndex takes it from a label map: the widest row of frontal horn (in front
  // of y = -8) over the inner skull's width on the slice where the horns are widest.
  double best_horns = 0, skull_on_best = 1;
  for (std::size_t k = 0; k < g.n[2]; ++k) {
    const double z = g.origin.z + k;
    if (z < -5 || z > 35) continue;
    double horns = 0, skull = 0;
    for (std::size_t j = 0; j < g.n[1]; ++j) {
      const double y = g.origin.y + j;
      double horn_lo = 1e9, horn_hi = -1e9, skull_lo = 1e9, skull_hi = -1e9;
      for (std::size_t i = 0; i < g.n[0]; ++i) {
        const std::size_t index = g.Index(i, j, k);
        const double x = g.origin.x + i;
        if (cerebrum[index] < kSubarachnoidMm + kDuraMm) skull_lo = std::min(skull_lo, x), skull_hi = x;
        if (y < -8 && lateral[index]) horn_lo = std::min(horn_lo, x), horn_hi = x;
      }
      skull = std::max(skull, skull_hi - skull_lo + 1);
      horns = std::max(horns, horn_hi - horn_lo + 1);
    }
    if (horns > best_horns) best_horns = horns, skull_on_best = skull;
  }
  data->horn_span_mm = best_horns;
  landmarks_.evans_index = best_horns / skull_on_best;

  // Atria (where the choroid plexus glomus lies) and the foramina of Monro, per side.
  for (Side side : {Side::kLeft, Side::kRight}) {
    Vec3 atrium_sum, monro_sum;
    std::size_t atrium_count = 0, monro_count = 0;
    for (std::size_t i = 0; i < count; ++i) {
      if (!lateral[i]) continue;
      const Vec3 p = at(i);
      if ((side == Side::kLeft) != (p.x > 0) || std::abs(p.x) < 6) continue;
      if (p.y > 20 && p.y < 45 && p.z > 0) atrium_sum = atrium_sum + p, ++atrium_count;
      if (p.y > -8 && p.y < 4 && p.z > 0 && p.z < 20) monro_sum = monro_sum + p, ++monro_count;
    }
    const int s = side == Side::kLeft ? 0 : 1;
    data->atrium[s] = atrium_sum * (1.0 / std::max<std::size_t>(atrium_count, 1));
    data->monro[s] = monro_sum * (1.0 / std::max<std::size_t>(monro_count, 1));
  }
  data->third_roof_from = FromMni({0, 0, 12});
  data->third_roof_to = FromMni({0, -18, 12});

  // Sulci: CSF inside the cerebral surface (not ventricle, not near the brainstem) between two named gyri.
  const int reach = static_cast<int>(std::ceil(kSulcusGyrusMm));
  std::vector<std::vector<Vec3>> sulcus_voxels(2 * std::size(kSulci));
  for (std::size_t i = 0; i < count; ++i) {
    if (!csf[i] || ventricles[i] || brainstem_distance[i] < kCisternMm) continue;
    const std::size_t x = i % g.n[0], y = i / g.n[0] % g.n[1], z = i / (g.n[0] * g.n[1]);
    if (x < std::size_t(reach) || y < std::size_t(reach) || z < std::size_t(reach) || x + reach >= g.n[0] ||
        y + reach >= g.n[1] || z + reach >= g.n[2])
      continue;
    std::vector<int> near;
    for (int dz = -reach; dz <= reach; ++dz) {
      for (int dy = -reach; dy <= reach; ++dy) {
        for (int dx = -reach; dx <= reach; ++dx) {
          if (dx * dx + dy * dy + dz * dz > kSulcusGyrusMm * kSulcusGyrusMm) continue;
          const int label = aal[g.Index(x + dx, y + dy, z + dz)];
          if (label > 0 && std::find(near.begin(), near.end(), label) == near.end()) near.push_back(label);
        }
      }
    }
    for (std::size_t s = 0; s < 2 * std::size(kSulci); ++s) {
      const SulcusSpec& spec = kSulci[s / 2];
      const int right = static_cast<int>(s % 2);  // AAL: odd labels left, even right
      const auto has = [&](const std::vector<int>& bank) {
        return std::any_of(bank.begin(), bank.end(), [&](int label) {
          return std::find(near.begin(), near.end(), label + right) != near.end();
        });
      };
      if (has(spec.bank_a) && has(spec.bank_b)) {
        sulcus_voxels[s].push_back(at(i));
        break;
      }
    }
  }
  for (std::size_t s = 0; s < sulcus_voxels.size(); ++s) {
    if (sulcus_voxels[s].size() < kMinSulcusVoxels) continue;
    Sulcus sulcus;
    sulcus.name = kSulci[s / 2].name;
    sulcus.lobe = kSulci[s / 2].lobe;
    sulcus.side = s % 2 ? Side::kRight : Side::kLeft;
    sulcus.width_mm = kSulcusWidthMm;
    sulci_.push_back(sulcus);
    Data::SulcusData d;
    d.voxels = std::move(sulcus_voxels[s]);
    for (const Vec3& p : d.voxels)
      d.centroid = d.centroid + p;
    d.centroid = d.centroid * (1.0 / d.voxels.size());
    d.axis = PrincipalAxis(d.voxels, d.centroid);
    d.half_length = 1;
    std::vector<std::uint8_t> own;
    Vec3 lo{1e9, 1e9, 1e9}, hi{-1e9, -1e9, -1e9};
    for (const Vec3& p : d.voxels) {
      d.half_length = std::max(d.half_length, std::abs((p - d.centroid).Dot(d.axis)));
      lo = {std::min(lo.x, p.x), std::min(lo.y, p.y), std::min(lo.z, p.z)};
      hi = {std::max(hi.x, p.x), std::max(hi.y, p.y), std::max(hi.z, p.z)};
    }
    d.local.origin = lo - Vec3{kSulcusReachMm, kSulcusReachMm, kSulcusReachMm};
    d.local.n = {std::size_t(hi.x - lo.x + 2 * kSulcusReachMm + 1.5),
                 std::size_t(hi.y - lo.y + 2 * kSulcusReachMm + 1.5),
                 std::size_t(hi.z - lo.z + 2 * kSulcusReachMm + 1.5)};
    own.assign(d.local.Count(), 0);
    for (const Vec3& p : d.voxels) {
      const Vec3 q = p - d.local.origin;
      own[d.local.Index(std::size_t(std::lround(q.x)), std::size_t(std::lround(q.y)),
                        std::size_t(std::lround(q.z)))] = 1;
    }
    d.distance = DistanceToMask(own, d.local.n, 1.0);
    data->sulci.push_back(std::move(d));
  }
  for (const char* name : kLesionSulci) {
    const auto count_named =
        std::count_if(sulci_.begin(), sulci_.end(), [&](const Sulcus& s) { return s.name == name; });
    if (count_named == 2) lesion_sulci_.push_back(name);
  }

  // Cortical veins along the mouths of two sulci, where they look most like sulcal LM.
  for (const auto& [name, side] :
       {std::pair{"central", Side::kLeft}, std::pair{"superior_frontal", Side::kRight}}) {
    const auto found = std::find_if(sulci_.begin(), sulci_.end(),
                                    [&](const Sulcus& s) { return s.name == name && s.side == side; });
    if (found == sulci_.end()) continue;
    const Data::SulcusData& d = data->sulci[found - sulci_.begin()];
    Vec3 previous;
    bool first = true;
    for (int n = 0; n <= 6; ++n) {
      const double along = -0.6 + 0.2 * n;
      Vec3 sum;
      std::size_t in = 0;
      for (const Vec3& p : d.voxels) {
        const double a = (p - d.centroid).Dot(d.axis) / d.half_length;
        if (std::abs(a - along) < 0.1 &&
            cerebrum[g.Index(std::size_t(p.x - g.origin.x + 0.5), std::size_t(p.y - g.origin.y + 0.5),
                             std::size_t(p.z - g.origin.z + 0.5))] > -4)
          sum = sum + p, ++in;
      }
      if (in == 0) continue;
      const Vec3 point = sum * (1.0 / in);
      if (!first) data->veins.push_back({previous, point, 0.9});
      previous = point, first = false;
    }
  }

  // Cisternal nerves, each starting where it leaves the brainstem on this brain.
  data_ = data;
  for (Side side : {Side::kLeft, Side::kRight}) {
    for (const NerveSpec& spec : kNerves) {
      const Vec3 mni_side = side == Side::kLeft ? Vec3{1, 1, 1} : Vec3{-1, 1, 1};
      Vec3 from = FromMni({spec.from.x * mni_side.x, spec.from.y, spec.from.z});
      const Vec3 to = FromMni({spec.to.x * mni_side.x, spec.to.y, spec.to.z});
      const Vec3 step = (to - from).Unit() * 0.5;
      while ((to - from).Norm() > 3 && data->At(from).pial > 0)
        from = from + step;
      nerves_.push_back({spec.name, side, from - step * 2, to, spec.radius});
    }
  }
}

std::unique_ptr<Anatomy> Colin27Head::WithShape(const HeadShape& shape) const {
  return std::unique_ptr<Anatomy>(new Colin27Head(*this, shape));
}

double Colin27Head::VentricleGrowthMm() const {
  return (shape_.ventricle_scale - 1) * data_->horn_span_mm / 2;
}

double Colin27Head::PialDistance(const Vec3& p) const {
  return data_->At(p).pial;
}
double Colin27Head::VentricleDistance(const Vec3& p) const {
  return data_->At(p).ventricle - VentricleGrowthMm();
}
double Colin27Head::CerebrumDistance(const Vec3& p) const {
  return data_->At(p).cerebrum;
}
double Colin27Head::InnerSkullDistance(const Vec3& p) const {
  return data_->At(p).cerebrum - (kSubarachnoidMm + kDuraMm);
}
double Colin27Head::CerebellumDistance(const Vec3& p) const {
  return data_->At(p).cerebellum;
}
double Colin27Head::BrainstemDistance(const Vec3& p) const {
  return data_->At(p).brainstem;
}

Vec3 Colin27Head::AtriumCentre(Side side) const {
  return data_->atrium[side == Side::kLeft ? 0 : 1];
}

bool Colin27Head::SulcusFrame(const Sulcus& s, const Vec3& p, double* along, double* offset) const {
  const auto found = std::find_if(sulci_.begin(), sulci_.end(),
                                  [&](const Sulcus& x) { return x.name == s.name && x.side == s.side; });
  if (found == sulci_.end()) return false;
  const Data::SulcusData& d = data_->sulci[found - sulci_.begin()];
  const Vec3 q = p - d.local.origin;
  if (q.x < 0 || q.y < 0 || q.z < 0 || q.x > d.local.n[0] - 1.0 || q.y > d.local.n[1] - 1.0 ||
      q.z > d.local.n[2] - 1.0)
    return false;
  const double a = (p - d.centroid).Dot(d.axis) / d.half_length;
  if (std::abs(a) > 1) return false;
  // Trilinear distance to the sulcus's CSF voxel centres.
  std::size_t base[3];
  double f[3];
  const double c[3] = {q.x, q.y, q.z};
  for (int axis = 0; axis < 3; ++axis) {
    base[axis] = std::min(static_cast<std::size_t>(c[axis]), d.local.n[axis] - 2);
    f[axis] = c[axis] - base[axis];
  }
  double distance = 0;
  for (int corner = 0; corner < 8; ++corner) {
    const int dx = corner & 1, dy = (corner >> 1) & 1, dz = corner >> 2;
    distance += (dx ? f[0] : 1 - f[0]) * (dy ? f[1] : 1 - f[1]) * (dz ? f[2] : 1 - f[2]) *
                d.distance[d.local.Index(base[0] + dx, base[1] + dy, base[2] + dz)];
  }
  if (distance > kSulcusReachMm) return false;
  *along = a;
  *offset = distance;
  return true;
}

Box Colin27Head::SulcusBox(const Sulcus& s, double from, double to) const {
  const auto found = std::find_if(sulci_.begin(), sulci_.end(),
                                  [&](const Sulcus& x) { return x.name == s.name && x.side == s.side; });
  Box box{{0, 0, 0}, {-1, -1, -1}};
  if (found == sulci_.end()) return box;
  const Data::SulcusData& d = data_->sulci[found - sulci_.begin()];
  box = {{1e9, 1e9, 1e9}, {-1e9, -1e9, -1e9}};
  for (const Vec3& p : d.voxels) {
    const double a = (p - d.centroid).Dot(d.axis) / d.half_length;
    if (a < from || a > to) continue;
    box.lo = {std::min(box.lo.x, p.x), std::min(box.lo.y, p.y), std::min(box.lo.z, p.z)};
    box.hi = {std::max(box.hi.x, p.x), std::max(box.hi.y, p.y), std::max(box.hi.z, p.z)};
  }
  const Vec3 pad{kSulcusReachMm, kSulcusReachMm, kSulcusReachMm};
  return {box.lo - pad, box.hi + pad};
}

Label Colin27Head::LabelAt(const Vec3& p) const {
  const Data& d = *data_;
  if (!d.InHead(p)) return kAir;
  const Fields f = d.At(p);
  const double inner_skull = f.cerebrum - (kSubarachnoidMm + kDuraMm);
  const bool sinus = InVenousSinus(p, inner_skull);
  if (inner_skull > 0) {
    if (sinus) return kVenousSinus;
    // By intensity, as ch2 shows them: bone is dark, fat bright; muscle, glands and diploe read about as
    // grey matter, which is what the marrow label renders.
    if (f.t1 < d.bone) return kSkull;
    return f.t1 < d.grey_white ? kMarrow : kScalp;
  }
  if (sinus) return kVenousSinus;
  if (inner_skull > -kDuraMm) return kDura;

  Label label = kSubarachnoidCsf;
  if (f.pial > 0) {
    const bool white = f.t1 > d.grey_white;
    if (f.brainstem < 0) {
      label = kBrainstem;
    } else if (f.cerebellum < 0) {
      label = white ? kCerebellarWhite : kCerebellarGrey;
    } else {
      label = white ? kWhiteMatter : kGreyMatter;
    }
  } else {
    // Falx in the interhemispheric fissure above the cisterns; tentorium over the cerebellum.
    if (std::abs(p.x) < 0.5 && f.cerebrum < 0 && p.z > 10 && f.ventricle > 2 && f.brainstem > kCisternMm)
      return kDura;
    if (f.cerebellum > 0 && f.cerebellum < 1.2 && p.z > landmarks_.cerebellum_centre.z + 6 &&
        f.brainstem > 3 && f.cerebrum < 0)
      return kDura;
    bool cistern = f.brainstem < kCisternMm ||
                   EllipsoidDistance(p, kSuprasellarCistern.centre, kSuprasellarCistern.radii) < 0;
    for (const NerveSegment& n : nerves_)
      cistern = cistern || (p.z < -10 && SegmentDistance(p, n.from, n.to) < kNerveSheathMm);
    label = cistern ? kCisternCsf : kSubarachnoidCsf;
  }
  const double growth = VentricleGrowthMm();
  if (f.pial > 0 && f.ventricle < growth) {
    const int s = p.x >= 0 ? 0 : 1;
    const bool plexus = (p - d.atrium[s]).Norm() < 4.0 || SegmentDistance(p, d.monro[s], d.atrium[s]) < 1.6 ||
                        SegmentDistance(p, d.third_roof_from, d.third_roof_to) < 1.2;
    label = plexus ? kChoroidPlexus : kVentricleCsf;
  }
  if (IsCsf(label) && label != kVentricleCsf) {
    for (const NerveSegment& n : nerves_) {
      if (SegmentDistance(p, n.from, n.to) < n.radius_mm) return kCranialNerve;
    }
  }
  const bool sella = std::abs(p.x) < kPituitaryGland.radii.x && p.z < kStalkTo.z + 1.5 &&
                     p.z > kPituitaryGland.centre.z - kPituitaryGland.radii.z;
  if (sella && (EllipsoidDistance(p, kPituitaryGland.centre, kPituitaryGland.radii) < 0 ||
                SegmentDistance(p, kStalkFrom, kStalkTo) < 1.5))
    return kPituitary;
  if (IsCsf(label) && label != kVentricleCsf) {
    for (const Data::Vein& v : d.veins) {
      if (SegmentDistance(p, v.a, v.b) < v.radius_mm) return kCorticalVein;
    }
  }
  return label;
}

}  // namespace leptoscan::phantom
