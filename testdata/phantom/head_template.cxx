#include "testdata/phantom/head_template.h"

#include <tbb/parallel_for.h>

#include <cmath>

#include "testdata/phantom/analytic_head.h"
#include "testdata/phantom/label_map.h"
#include "testdata/phantom/mr_render.h"

namespace leptoscan::phantom {
namespace {

using filters::PriorBit;
using filters::PriorRegion;

// Margins (mm) by which each region is widened: about the error of an affine fit between heads.
constexpr double kStructureMarginMm = 3.0;
constexpr double kDuraMarginMm = 2.0;
constexpr double kNerveMarginMm = 2.5;

// The region bits a point of the head has before widening.
std::uint32_t RegionsAt(const Anatomy& head, const LabelMap& map, const Vec3& p) {
  std::uint32_t bits = 0;
  const Label label = map.At(p);
  const bool fourth_ventricle = label == kVentricleCsf && p.z < -10 && p.y > 20;
  if (head.CerebellumDistance(p) < 0 || fourth_ventricle) bits |= PriorBit(PriorRegion::kInfratentorial);
  // Not widened: the ventricles open onto fissures and cisterns a few millimetres away
  // (filters::VentricleOptions::prior_margin_mm says how far past it the ventricles may grow).
  if ((label == kVentricleCsf || label == kChoroidPlexus) && !fourth_ventricle)
    bits |= PriorBit(PriorRegion::kVentricles);
  if (label == kCisternCsf) bits |= PriorBit(PriorRegion::kBasalCisterns);
  if (label == kPituitary) bits |= PriorBit(PriorRegion::kPituitary);
  if (label == kChoroidPlexus) bits |= PriorBit(PriorRegion::kChoroidPlexus);
  // Only the folds of the dura (falx, tentorium) and the sinuses in them: the convexity dura lies a
  // millimetre from the pia, and telling the two apart there is the detector's work on the image.
  if ((label == kDura || label == kVenousSinus) && head.InnerSkullDistance(p) < -1.5)
    bits |= PriorBit(PriorRegion::kDura);
  return bits;
}

// Position of a nerve in filters::kNerveRegions (III, V, VII/VIII; left before right).
std::size_t NerveRegionIndex(const NerveSegment& nerve) {
  const std::size_t pair = nerve.nerve == "III" ? 0 : nerve.nerve == "V" ? 1 : 2;
  return 2 * pair + (nerve.side == Side::kRight ? 1 : 0);
}

// Sets, for every voxel holding a bit of `mask`, that bit in every voxel within `radius_mm`.
void Widen(const io::VolumeGeometry& g, std::uint32_t mask, double radius_mm,
           std::vector<std::uint32_t>& bits) {
  const std::vector<std::uint32_t> source = bits;
  const int r = static_cast<int>(std::ceil(radius_mm / g.spacing_mm[0]));
  const auto nx = static_cast<int>(g.size[0]), ny = static_cast<int>(g.size[1]),
             nz = static_cast<int>(g.size[2]);
  for (int k = 0; k < nz; ++k) {
    for (int j = 0; j < ny; ++j) {
      for (int i = 0; i < nx; ++i) {
        const std::uint32_t set = source[(static_cast<std::size_t>(k) * ny + j) * nx + i] & mask;
        if (set == 0) continue;
        for (int c = std::max(0, k - r); c <= std::min(nz - 1, k + r); ++c) {
          for (int b = std::max(0, j - r); b <= std::min(ny - 1, j + r); ++b) {
            for (int a = std::max(0, i - r); a <= std::min(nx - 1, i + r); ++a) {
              const double d2 = (a - i) * (a - i) + (b - j) * (b - j) + (c - k) * (c - k);
              if (d2 * g.spacing_mm[0] * g.spacing_mm[0] <= radius_mm * radius_mm)
                bits[(static_cast<std::size_t>(c) * ny + b) * nx + a] |= set;
            }
          }
        }
      }
    }
  }
}

}  // namespace

filters::AnatomyTemplate HeadTemplate(const Anatomy& head) {
  const LabelMap map = RasterizeHead(head, 0.5);
  RenderSettings settings;
  settings.sequence = Sequence::kT1Pre;
  settings.grid = ScannerGrid(SliceOrientation::kAxial, {1, 1, 1}, head.landmarks().head);
  settings.snr = 1000;
  settings.bias_amplitude = 0;
  filters::AnatomyTemplate result;
  result.name = head.Name();
  result.t1 = RenderSeries(map, {}, settings, false).image;

  const io::VolumeGeometry& g = settings.grid;
  std::vector<std::uint32_t> bits(g.VoxelCount(), 0);
  tbb::parallel_for(std::size_t{0}, g.size[2], [&](std::size_t k) {
    for (std::size_t j = 0; j < g.size[1]; ++j) {
      for (std::size_t i = 0; i < g.size[0]; ++i) {
        const auto p = g.IndexToPoint(i, j, k);
        const Vec3 point{p[0], p[1], p[2]};
        std::uint32_t& voxel = bits[(k * g.size[1] + j) * g.size[0] + i];
        voxel = RegionsAt(head, map, point);
        for (std::size_t n = 0; n < head.nerves().size(); ++n) {
          const NerveSegment& nerve = head.nerves()[n];
          if (SegmentDistance(point, nerve.from, nerve.to) < nerve.radius_mm + kNerveMarginMm)
            voxel |= PriorBit(filters::kNerveRegions.at(NerveRegionIndex(nerve)));
        }
      }
    }
  });
  Widen(g,
        PriorBit(PriorRegion::kInfratentorial) | PriorBit(PriorRegion::kBasalCisterns) |
            PriorBit(PriorRegion::kPituitary) | PriorBit(PriorRegion::kChoroidPlexus),
        kStructureMarginMm, bits);
  Widen(g, PriorBit(PriorRegion::kDura), kDuraMarginMm, bits);
  result.priors.geometry = g;
  result.priors.integer_valued = true;
  result.priors.voxels.assign(bits.begin(), bits.end());
  return result;
}

filters::AnatomyTemplate AnalyticTemplate() {
  return HeadTemplate(AnalyticHead());
}

}  // namespace leptoscan::phantom
