#include "tests/filters/phantom_scans.h"

namespace leptoscan::testing {
namespace {

PhantomScan Scan(double ventricle_scale) {
  PhantomScan scan{phantom::AnalyticHead(phantom::HeadShape{ventricle_scale}), {}, {}, {}};
  scan.map = phantom::RasterizeHead(scan.head, 0.5);
  scan.head_to_scanner = phantom::RigidMotion::FromEuler({2, -1.5, 3}, {2, -3, 1.5});
  phantom::RenderSettings settings;
  settings.sequence = phantom::Sequence::kT1Pre;
  settings.grid = phantom::ScannerGrid(phantom::SliceOrientation::kAxial, {1, 1, 1});
  settings.head_to_scanner = scan.head_to_scanner;
  settings.snr = 25;
  settings.bias_amplitude = 0.1;
  settings.seed = 6;
  scan.t1 = phantom::RenderSeries(scan.map, {}, settings, false).image;
  return scan;
}

}  // namespace

phantom::Vec3 PhantomScan::HeadPoint(std::size_t i, std::size_t j, std::size_t k) const {
  const auto p = t1.geometry.IndexToPoint(i, j, k);
  return head_to_scanner.Inverse({p[0], p[1], p[2]});
}

io::Volume PhantomScan::Truth(const std::function<bool(phantom::Label)>& in) const {
  io::Volume mask;
  mask.geometry = t1.geometry;
  mask.voxels.resize(t1.voxels.size());
  const auto& g = t1.geometry;
  std::size_t index = 0;
  for (std::size_t k = 0; k < g.size[2]; ++k) {
    for (std::size_t j = 0; j < g.size[1]; ++j) {
      for (std::size_t i = 0; i < g.size[0]; ++i, ++index)
        mask.voxels[index] = in(map.At(HeadPoint(i, j, k))) ? 1.0f : 0.0f;
    }
  }
  return mask;
}

const PhantomScan& NormalPhantom() {
  static const PhantomScan scan = Scan(1.0);
  return scan;
}

const PhantomScan& HydrocephalicPhantom() {
  static const PhantomScan scan = Scan(1.35);
  return scan;
}

}  // namespace leptoscan::testing
