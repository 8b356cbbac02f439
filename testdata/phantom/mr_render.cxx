#include "testdata/phantom/mr_render.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>

#include "testdata/phantom/random.h"

namespace leptoscan::phantom {
namespace {

// Signal per structure (Structure order) at 3 T: 3-D T1 gradient echo before and after gadolinium,
// and post-contrast 3-D FLAIR; white matter ~700 on T1. Dura, vessels, choroid plexus and the
// pituitary enhance normally: they are the look-alikes a detector must not flag. The spine's structures
// (cord, roots, disc, fat, muscle) are last; roots and cord enhance only where LM coats them.
constexpr double kT1Pre[kStructureCount] = {0,   800, 60,  450, 250, 120, 450, 700, 120, 380, 430, 650,
                                            620, 560, 180, 200, 520, 120, 560, 540, 330, 850, 380};
constexpr double kT1Post[kStructureCount] = {0,   800, 60,   450, 620, 125, 460, 705, 125, 950, 440, 655,
                                             625, 565, 1000, 900, 950, 125, 565, 545, 335, 850, 390};
constexpr double kFlairPost[kStructureCount] = {0,   500, 40,  300, 480, 45, 600, 480, 40,  420, 580, 460,
                                                500, 450, 100, 160, 520, 45, 450, 430, 250, 500, 300};

// What is left of fatty tissue under spectral fat suppression.
double FatSuppression(Label label) {
  return label == kFat || label == kScalp ? 0.12 : label == kMarrow ? 0.5 : 1.0;
}

double TissueSignal(Sequence sequence, Label label, const std::vector<LesionSignal>& lesions) {
  if (IsLesion(label)) {
    const LesionSignal& s = lesions.at(label - kFirstLesion);
    return sequence == Sequence::kT1Pre ? s.t1_pre : sequence == Sequence::kT1Post ? s.t1_post : s.flair_post;
  }
  const double* table = sequence == Sequence::kT1Pre    ? kT1Pre
                        : sequence == Sequence::kT1Post ? kT1Post
                                                        : kFlairPost;
  return table[label < kStructureCount ? label : 0];
}

std::uint16_t LookAlike(Label label) {
  switch (label) {
    case kDura:
      return kTruthDura;
    case kVenousSinus:
    case kCorticalVein:
      return kTruthVessel;
    case kChoroidPlexus:
      return kTruthChoroidPlexus;
    case kPituitary:
      return kTruthPituitary;
    default:
      return 0;
  }
}

// A smooth multiplicative field: 1 + amplitude * a random quadratic in position, normalised so that
// it stays within 1 +- amplitude over the box of that centre and half-size.
class BiasField {
 public:
  BiasField(double amplitude, const Vec3& centre, const Vec3& radius, std::uint64_t seed)
      : amplitude_(amplitude), centre_(centre), radius_(radius) {
    double total = 0;
    for (int i = 0; i < 9; ++i) {
      coefficients_[i] = 2 * UniformFromKey(seed, i) - 1;
      total += std::abs(coefficients_[i]);
    }
    for (double& c : coefficients_)
      c /= total;
  }
  double At(const Vec3& p) const {
    const double x = (p.x - centre_.x) / radius_.x, y = (p.y - centre_.y) / radius_.y,
                 z = (p.z - centre_.z) / radius_.z;
    const double terms[9] = {x, y, z, x * y, x * z, y * z, x * x, y * y, z * z};
    double f = 0;
    for (int i = 0; i < 9; ++i)
      f += coefficients_[i] * terms[i];
    return 1 + amplitude_ * f;
  }

 private:
  double amplitude_;
  Vec3 centre_, radius_;
  double coefficients_[9];
};

// The truth value of a voxel: the lesion hit by most sub-samples if any (thin lesions must not vanish),
// else a look-alike covering at least half of the voxel.
std::uint16_t TruthVote(const std::vector<std::pair<std::uint16_t, int>>& votes, std::size_t samples) {
  std::uint16_t best = 0;
  int best_votes = 0;
  bool lesion = false;
  for (const auto& [value, count] : votes) {
    const bool is_lesion = value < kTruthDura;
    if ((is_lesion && !lesion) ||
        (is_lesion == lesion && (count > best_votes || (count == best_votes && value < best)))) {
      best = value, best_votes = count, lesion = is_lesion;
    }
  }
  return lesion || 2 * static_cast<std::size_t>(best_votes) >= samples ? best : 0;
}

}  // namespace

RigidMotion RigidMotion::FromEuler(const Vec3& degrees, const Vec3& translation_mm) {
  const double a = degrees.x * M_PI / 180, b = degrees.y * M_PI / 180, c = degrees.z * M_PI / 180;
  const double rx[9] = {1, 0, 0, 0, std::cos(a), -std::sin(a), 0, std::sin(a), std::cos(a)};
  const double ry[9] = {std::cos(b), 0, std::sin(b), 0, 1, 0, -std::sin(b), 0, std::cos(b)};
  const double rz[9] = {std::cos(c), -std::sin(c), 0, std::sin(c), std::cos(c), 0, 0, 0, 1};
  auto multiply = [](const double* l, const double* r, double* out) {
    for (int i = 0; i < 3; ++i) {
      for (int j = 0; j < 3; ++j)
        out[i * 3 + j] = l[i * 3] * r[j] + l[i * 3 + 1] * r[3 + j] + l[i * 3 + 2] * r[6 + j];
    }
  };
  double ryx[9];
  multiply(ry, rx, ryx);
  RigidMotion motion;
  multiply(rz, ryx, motion.rotation.data());
  motion.translation = translation_mm;
  return motion;
}

Vec3 RigidMotion::Apply(const Vec3& h) const {
  const auto& r = rotation;
  return Vec3{r[0] * h.x + r[1] * h.y + r[2] * h.z, r[3] * h.x + r[4] * h.y + r[5] * h.z,
              r[6] * h.x + r[7] * h.y + r[8] * h.z} +
         translation;
}

Vec3 RigidMotion::Inverse(const Vec3& s) const {
  const Vec3 d = s - translation;
  const auto& r = rotation;
  return {r[0] * d.x + r[3] * d.y + r[6] * d.z, r[1] * d.x + r[4] * d.y + r[7] * d.z,
          r[2] * d.x + r[5] * d.y + r[8] * d.z};
}

io::VolumeGeometry ScannerGrid(SliceOrientation orientation, const std::array<double, 3>& spacing_mm,
                               const Box& head_box) {
  const double lo[3] = {head_box.lo.x, head_box.lo.y, head_box.lo.z};
  const double hi[3] = {head_box.hi.x, head_box.hi.y, head_box.hi.z};
  // For each index axis: the world axis it runs along and its sign. Sagittal and coronal slices read
  // top-down, as scanners write them.
  const std::array<std::pair<int, double>, 3> axes =
      orientation == SliceOrientation::kAxial
          ? std::array<std::pair<int, double>, 3>{{{0, 1}, {1, 1}, {2, 1}}}
      : orientation == SliceOrientation::kSagittal
          ? std::array<std::pair<int, double>, 3>{{{1, 1}, {2, -1}, {0, -1}}}
          : std::array<std::pair<int, double>, 3>{{{0, 1}, {2, -1}, {1, 1}}};
  io::VolumeGeometry g;
  g.direction = {0, 0, 0, 0, 0, 0, 0, 0, 0};
  for (int a = 0; a < 3; ++a) {
    const auto [world, sign] = axes[a];
    const double extent = hi[world] - lo[world];
    g.size[a] = static_cast<std::size_t>(std::floor(extent / spacing_mm[a]));
    g.spacing_mm[a] = spacing_mm[a];
    const double margin = (extent - (g.size[a] - 1) * spacing_mm[a]) / 2;  // centres the grid in the box
    g.origin_mm[world] = sign > 0 ? lo[world] + margin : hi[world] - margin;
    g.direction[world * 3 + a] = sign;
  }
  return g;
}

io::VolumeGeometry MovedGrid(const io::VolumeGeometry& grid, const RigidMotion& motion) {
  io::VolumeGeometry moved = grid;
  moved.origin_mm = motion.Apply({grid.origin_mm[0], grid.origin_mm[1], grid.origin_mm[2]}).ToArray();
  for (int w = 0; w < 3; ++w) {
    for (int a = 0; a < 3; ++a) {
      moved.direction[w * 3 + a] = 0;
      for (int k = 0; k < 3; ++k)
        moved.direction[w * 3 + a] += motion.rotation[w * 3 + k] * grid.direction[k * 3 + a];
    }
  }
  return moved;
}

RenderedSeries RenderSeries(const LabelMap& map, const std::vector<LesionSignal>& lesions,
                            const RenderSettings& settings, bool with_truth) {
  const io::VolumeGeometry& g = settings.grid;
  RenderedSeries out;
  out.image.geometry = g;
  out.image.voxels.resize(g.VoxelCount());
  if (with_truth) {
    out.truth.geometry = g;
    out.truth.voxels.resize(g.VoxelCount());
    out.truth.integer_valued = true;
  }
  // Sub-samples: as many per axis as fit at the label map's resolution.
  int samples[3];
  for (int a = 0; a < 3; ++a) {
    samples[a] = std::max(1, static_cast<int>(std::lround(g.spacing_mm[a] / map.geometry.spacing_mm[0])));
  }
  // Everything is linear in the voxel index: walk the label map's continuous index directly, so a
  // sub-sample costs three additions and a lookup instead of a transform and three divisions.
  const Vec3 origin{g.origin_mm[0], g.origin_mm[1], g.origin_mm[2]};
  const auto& m = map.geometry;
  const auto to_map = [&](const Vec3& scanner) {
    const Vec3 head = settings.head_to_scanner.Inverse(scanner);
    return Vec3{(head.x - m.origin_mm[0]) / m.spacing_mm[0] + 0.5,
                (head.y - m.origin_mm[1]) / m.spacing_mm[1] + 0.5,
                (head.z - m.origin_mm[2]) / m.spacing_mm[2] + 0.5};
  };
  const Vec3 map_origin = to_map(origin);
  Vec3 map_step[3], scanner_step[3];
  for (int a = 0; a < 3; ++a) {
    scanner_step[a] = Vec3{g.direction[a], g.direction[3 + a], g.direction[6 + a]} * g.spacing_mm[a];
    map_step[a] = to_map(origin + scanner_step[a]) - map_origin;
  }
  std::vector<Vec3> offsets;
  for (int c = 0; c < samples[2]; ++c) {
    for (int b = 0; b < samples[1]; ++b) {
      for (int a = 0; a < samples[0]; ++a) {
        offsets.push_back(map_step[0] * ((a + 0.5) / samples[0] - 0.5) +
                          map_step[1] * ((b + 0.5) / samples[1] - 0.5) +
                          map_step[2] * ((c + 0.5) / samples[2] - 0.5));
      }
    }
  }
  // Signal of every label the map can hold, looked up once per sub-sample.
  std::vector<double> signal_of(kFirstLesion + lesions.size(), 0.0);
  for (std::size_t l = 0; l < signal_of.size(); ++l) {
    const Label label = static_cast<Label>(l);
    if (label < kStructureCount || IsLesion(label))
      signal_of[l] = TissueSignal(settings.sequence, label, lesions) *
                     (settings.fat_suppressed ? FatSuppression(label) : 1.0);
  }
  const BiasField bias(settings.bias_amplitude, settings.bias_centre, settings.bias_radius,
                       Mix(settings.seed, 0xB1A5));
  const double sigma = kT1Pre[kWhiteMatter] * settings.intensity_scale / settings.snr;
  const double inverse_count = 1.0 / static_cast<double>(offsets.size());
  const double limit[3] = {static_cast<double>(m.size[0]), static_cast<double>(m.size[1]),
                           static_cast<double>(m.size[2])};

  tbb::parallel_for(std::size_t{0}, g.size[2], [&](std::size_t k) {
    std::vector<std::pair<std::uint16_t, int>> votes;
    for (std::size_t j = 0; j < g.size[1]; ++j) {
      for (std::size_t i = 0; i < g.size[0]; ++i) {
        const Vec3 centre =
            map_origin + map_step[0] * double(i) + map_step[1] * double(j) + map_step[2] * double(k);
        double signal = 0;
        votes.clear();
        for (const Vec3& offset : offsets) {
          const Vec3 u = centre + offset;
          Label label = kAir;
          if (u.x >= 0 && u.y >= 0 && u.z >= 0 && u.x < limit[0] && u.y < limit[1] && u.z < limit[2]) {
            label = map.labels[map.Index(static_cast<std::size_t>(u.x), static_cast<std::size_t>(u.y),
                                         static_cast<std::size_t>(u.z))];
          }
          signal += label < signal_of.size() ? signal_of[label] : 0.0;
          if (!with_truth) continue;
          const std::uint16_t truth = IsLesion(label) ? label - kFirstLesion + 1 : LookAlike(label);
          if (truth == 0) continue;
          auto vote =
              std::find_if(votes.begin(), votes.end(), [&](const auto& v) { return v.first == truth; });
          vote == votes.end() ? votes.push_back({truth, 1}) : void(++vote->second);
        }
        const std::size_t index = (k * g.size[1] + j) * g.size[0] + i;
        const Vec3 scanner =
            origin + scanner_step[0] * double(i) + scanner_step[1] * double(j) + scanner_step[2] * double(k);
        const double clean = signal * inverse_count * settings.intensity_scale * bias.At(scanner);
        // Rician: the magnitude of a complex signal with Gaussian noise in both channels.
        const auto [n1, n2] = GaussianPairFromKey(settings.seed, index);
        const double real = clean + sigma * n1, imaginary = sigma * n2;
        out.image.voxels[index] = static_cast<float>(std::sqrt(real * real + imaginary * imaginary));
        if (with_truth) out.truth.voxels[index] = static_cast<float>(TruthVote(votes, offsets.size()));
      }
    }
  });
  return out;
}

}  // namespace leptoscan::phantom
