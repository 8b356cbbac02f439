#include "tests/filters/phantom_scans.h"

#include <array>
#include <cmath>
#include <cstdint>

namespace leptoscan::testing {
namespace {

// A 1 mm axial series of the scan's label map, seen through `head_to_scanner`.
io::Volume Render(const PhantomScan& scan, const phantom::RigidMotion& head_to_scanner,
                  phantom::Sequence sequence, std::uint64_t seed) {
  std::vector<phantom::LesionSignal> signals;
  for (const phantom::PaintedLesion& lesion : scan.lesions)
    signals.push_back(lesion.signal);
  phantom::RenderSettings settings;
  settings.sequence = sequence;
  settings.grid = phantom::ScannerGrid(phantom::SliceOrientation::kAxial, {1, 1, 1},
                                       phantom::AnalyticHead().landmarks().head);
  settings.head_to_scanner = head_to_scanner;
  settings.snr = 25;
  settings.bias_amplitude = scan.bias_amplitude;
  settings.seed = seed;
  return phantom::RenderSeries(scan.map, signals, settings, false).image;
}

PhantomScan Scan(double ventricle_scale, const std::vector<phantom::LesionSpec>& lesions = {}) {
  PhantomScan scan{phantom::AnalyticHead(phantom::HeadShape{ventricle_scale}), {}, {}, 0, {}, {}, {}};
  scan.map = phantom::RasterizeHead(scan.head, 0.5);
  scan.lesions = phantom::PaintLesions(scan.head, lesions, scan.map);
  scan.head_to_scanner = phantom::RigidMotion::FromEuler({2, -1.5, 3}, {2, -3, 1.5});
  return scan;
}

// A subarachnoid nodule on the convexity reaching 2 mm past the pia, placed as scenario.cxx places them.
phantom::LesionSpec ConvexityNodule(const phantom::AnalyticHead& head, const char* id,
                                    const phantom::Vec3& direction, const std::array<double, 3>& diameters) {
  phantom::LesionSpec s;
  s.id = id;
  s.kind = phantom::LesionKind::kNodule;
  s.diameters_mm = diameters;
  const phantom::Vec3 outward = direction.Unit();
  const double reach =
      std::hypot(outward.x * diameters[0] / 2, outward.y * diameters[1] / 2, outward.z * diameters[2] / 2);
  s.centre = head.CerebralSurfacePoint(outward) - outward * (reach - 2.0);
  s.side = s.centre.x >= 0 ? phantom::Side::kLeft : phantom::Side::kRight;
  return s;
}

// Linear LM in six sulci (one of them, the left central sulcus, beside a cortical vein) and in the left
// cerebellar folia, two convexity nodules and a ventricular one; thicknesses span scenario.cxx's 1-2 mm.
std::vector<phantom::LesionSpec> LesionSpecs(const phantom::AnalyticHead& head) {
  using phantom::LesionKind;
  using phantom::Side;
  std::vector<phantom::LesionSpec> specs;
  const auto linear = [&](const char* id, LesionKind kind, const char* sulcus, Side side, double from,
                          double to, double thickness) {
    phantom::LesionSpec s;
    s.id = id, s.kind = kind, s.sulcus = sulcus, s.side = side;
    s.from = from, s.to = to, s.thickness_mm = thickness;
    specs.push_back(s);
  };
  linear("L1", LesionKind::kSulcal, "precentral", Side::kLeft, -0.6, 0.2, 1.5);
  linear("L2", LesionKind::kSulcal, "postcentral", Side::kRight, -0.4, 0.4, 1.0);
  linear("L3", LesionKind::kSulcal, "superior_temporal", Side::kLeft, -0.5, 0.3, 2.0);
  linear("L4", LesionKind::kSulcal, "intraparietal", Side::kRight, -0.3, 0.5, 1.2);
  linear("L5", LesionKind::kSulcal, "middle_frontal", Side::kLeft, -0.4, 0.4, 1.8);
  linear("L6", LesionKind::kSulcal, "central", Side::kLeft, 0.45, 0.9, 1.5);
  linear("L7", LesionKind::kFolia, "", Side::kLeft, -0.3, 0.05, 1.5);
  specs.push_back(ConvexityNodule(head, "N1", {-0.7, 0.2, 0.6}, {14, 9, 8}));
  specs.push_back(ConvexityNodule(head, "N2", {0.8, -0.4, 0.1}, {5, 4.5, 4}));
  phantom::LesionSpec ventricular;
  ventricular.id = "N3", ventricular.kind = LesionKind::kNodule, ventricular.ventricular = true;
  ventricular.centre = {17, 26, 14}, ventricular.diameters_mm = {6, 5, 5};
  specs.push_back(ventricular);
  return specs;
}

}  // namespace

io::Volume RenderMoved(const PhantomScan& scan, phantom::Sequence sequence,
                       const filters::SpatialTransform& applied, std::uint64_t seed) {
  // The new series at x sees head point H^-1(applied(x)): its head-to-scanner motion is applied^-1 o H,
  // with applied(p) = M p + o, so applied^-1(q) = M^T (q - o).
  const auto m = applied.Matrix();
  const auto o = applied.Offset();
  const phantom::RigidMotion& h = scan.head_to_scanner;
  phantom::RigidMotion moved;
  const double shifted[3] = {h.translation.x - o[0], h.translation.y - o[1], h.translation.z - o[2]};
  double translation[3] = {0, 0, 0};
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j) {
      moved.rotation[i * 3 + j] = 0;
      for (int k = 0; k < 3; ++k)
        moved.rotation[i * 3 + j] += m[k * 3 + i] * h.rotation[k * 3 + j];
      translation[i] += m[j * 3 + i] * shifted[j];
    }
  }
  moved.translation = {translation[0], translation[1], translation[2]};
  return Render(scan, moved, sequence, seed);
}

bool InBrainMask(phantom::Label l) {
  return l == phantom::kGreyMatter || l == phantom::kWhiteMatter || l == phantom::kCerebellarGrey ||
         l == phantom::kCerebellarWhite || l == phantom::kBrainstem || l == phantom::kVentricleCsf ||
         l == phantom::kChoroidPlexus;
}

phantom::Vec3 PhantomScan::HeadPoint(std::size_t i, std::size_t j, std::size_t k) const {
  const auto p = t1.geometry.IndexToPoint(i, j, k);
  return head_to_scanner.Inverse({p[0], p[1], p[2]});
}

std::vector<phantom::Label> PhantomScan::Labels() const {
  const auto& g = t1.geometry;
  std::vector<phantom::Label> labels(g.VoxelCount());
  std::size_t index = 0;
  for (std::size_t k = 0; k < g.size[2]; ++k) {
    for (std::size_t j = 0; j < g.size[1]; ++j) {
      for (std::size_t i = 0; i < g.size[0]; ++i)
        labels[index++] = map.At(HeadPoint(i, j, k));
    }
  }
  return labels;
}

io::Volume PhantomScan::Truth(const std::function<bool(phantom::Label)>& in) const {
  const std::vector<phantom::Label> labels = Labels();
  io::Volume mask;
  mask.geometry = t1.geometry;
  mask.voxels.resize(labels.size());
  for (std::size_t i = 0; i < labels.size(); ++i)
    mask.voxels[i] = in(labels[i]) ? 1.0f : 0.0f;
  return mask;
}

// Pre-contrast only, with a bias field (the anatomy filters correct it themselves).
PhantomScan AnatomyScan(double ventricle_scale) {
  PhantomScan scan = Scan(ventricle_scale);
  scan.bias_amplitude = 0.1;
  scan.t1 = Render(scan, scan.head_to_scanner, phantom::Sequence::kT1Pre, 6);
  return scan;
}

const PhantomScan& NormalPhantom() {
  static const PhantomScan scan = AnatomyScan(1.0);
  return scan;
}

const PhantomScan& HydrocephalicPhantom() {
  static const PhantomScan scan = AnatomyScan(1.35);
  return scan;
}

const PhantomScan& LesionPhantom() {
  static const PhantomScan scan = [] {
    PhantomScan s = Scan(1.0, LesionSpecs(phantom::AnalyticHead()));
    s.t1 = Render(s, s.head_to_scanner, phantom::Sequence::kT1Pre, 6);
    s.t1_post = Render(s, s.head_to_scanner, phantom::Sequence::kT1Post, 7);
    return s;
  }();
  return scan;
}

}  // namespace leptoscan::testing
