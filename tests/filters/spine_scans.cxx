#include "tests/filters/spine_scans.h"

#include "testdata/phantom/spine_lesions.h"

namespace leptoscan::testing {
namespace {

const phantom::LabelMap& NormalSpineMap() {
  static const phantom::LabelMap map = phantom::RasterizeSpine(PhantomSpine(), 0.5);
  return map;
}

io::Volume Render(const SpineScan& scan, phantom::Sequence sequence, const phantom::RigidMotion& motion,
                  bool fat_suppressed, std::uint64_t seed) {
  std::vector<phantom::LesionSignal> signals;
  for (const phantom::PaintedLesion& lesion : scan.lesions)
    signals.push_back(lesion.signal);
  const phantom::Box view = PhantomSpine().field_of_view();
  phantom::RenderSettings settings;
  settings.sequence = sequence;
  settings.grid = phantom::MovedGrid(
      phantom::ScannerGrid(phantom::SliceOrientation::kSagittal, {1, 1, 3}, view), scan.post_motion);
  settings.head_to_scanner = motion;
  settings.snr = 25;
  settings.bias_amplitude = 0.1;
  settings.bias_centre = scan.post_motion.Apply((view.lo + view.hi) * 0.5);
  settings.bias_radius = (view.hi - view.lo) * 0.5;
  settings.fat_suppressed = fat_suppressed;
  settings.seed = seed;
  return phantom::RenderSeries(scan.map, signals, settings, false).image;
}

}  // namespace

const phantom::SpineAnatomy& PhantomSpine() {
  static const phantom::SpineAnatomy spine;
  return spine;
}

phantom::Vec3 SpineScan::BodyPoint(std::size_t voxel) const {
  const auto p = post.geometry.VoxelCentre(voxel);
  return post_motion.Inverse({p[0], p[1], p[2]});
}

io::Volume SpineScan::Truth(const std::function<bool(phantom::Label)>& in) const {
  io::Volume mask;
  mask.geometry = post.geometry;
  mask.voxels.resize(post.geometry.VoxelCount());
  for (std::size_t v = 0; v < mask.voxels.size(); ++v)
    mask.voxels[v] = in(map.At(BodyPoint(v))) ? 1.0f : 0.0f;
  return mask;
}

SpineScan MakeSpineScan(const std::vector<phantom::LesionSpec>& lesions, bool fat_suppressed,
                        std::uint64_t seed) {
  SpineScan scan;
  scan.map = NormalSpineMap();
  scan.lesions = phantom::PaintSpineLesions(PhantomSpine(), lesions, 0, scan.map);
  // Planned a little off the body's axes, and a small drift of the patient before contrast.
  scan.post_motion = phantom::RigidMotion::FromEuler({1.0, -0.3, 0.2}, {1.5, -2, 1});
  scan.pre_motion = phantom::RigidMotion::FromEuler({1.4, -0.1, 0.5}, {1.0, -1.4, 1.6});
  scan.pre = Render(scan, phantom::Sequence::kT1Pre, scan.pre_motion, false, seed);
  scan.post = Render(scan, phantom::Sequence::kT1Post, scan.post_motion, fat_suppressed, seed + 1);
  return scan;
}

}  // namespace leptoscan::testing
