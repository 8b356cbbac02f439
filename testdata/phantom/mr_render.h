// Turns a label map into an MR series as a scanner would see it: tissue contrast per sequence,
// gadolinium enhancement, partial volume (every voxel averages sub-samples on a finer grid), rigid
// head motion, a smooth bias field, a per-visit intensity scale and Rician noise at a chosen SNR.
// Noise comes from a counter-based generator keyed by voxel, so output does not depend on threads.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "io/volume.h"
#include "testdata/phantom/anatomy.h"
#include "testdata/phantom/label_map.h"
#include "testdata/phantom/vec3.h"

namespace leptoscan::phantom {

enum class Sequence { kT1Pre, kT1Post, kFlairPost };

// Maps head coordinates to scanner (patient LPS) coordinates: scanner = rotation * head + translation.
struct RigidMotion {
  std::array<double, 9> rotation{1, 0, 0, 0, 1, 0, 0, 0, 1};  // row-major
  Vec3 translation;

  // Rotations about x, then y, then z (degrees), then the translation (mm).
  static RigidMotion FromEuler(const Vec3& degrees, const Vec3& translation_mm);
  Vec3 Apply(const Vec3& head) const;
  Vec3 Inverse(const Vec3& scanner) const;
};

// Signal of a lesion label (kFirstLesion + index) in each sequence.
struct LesionSignal {
  double t1_pre = 0, t1_post = 0, flair_post = 0;
};

struct RenderSettings {
  Sequence sequence = Sequence::kT1Pre;
  io::VolumeGeometry grid;  // the series' voxel grid in scanner coordinates
  RigidMotion head_to_scanner;
  double snr = 25;              // white-matter signal over the noise sigma
  double intensity_scale = 1;   // scanner gain of this visit
  double bias_amplitude = 0.1;  // largest relative deviation of the bias field inside the head
  // The box (centre and half-size, scanner mm) the bias field is normalised over: the head by default.
  Vec3 bias_centre{0, 0, 0}, bias_radius{100, 110, 95};
  bool fat_suppressed = false;  // spectral fat suppression: fat and fatty marrow lose their signal
  std::uint64_t seed = 0;       // noise and bias field
};

// Label values of the truth maps: lesion n of the visit's lesion list is n + 1; look-alikes below.
enum TruthLabel : std::uint16_t {
  kTruthDura = 1001,
  kTruthVessel = 1002,
  kTruthChoroidPlexus = 1003,
  kTruthPituitary = 1004,
};

struct RenderedSeries {
  io::Volume image;
  io::Volume truth;  // TruthLabel values on the same grid; empty unless asked for
};

// A scanner grid that covers the head box (Landmarks::head): axial, sagittal or coronal slices at the given
// spacing.
enum class SliceOrientation { kAxial, kSagittal, kCoronal };
io::VolumeGeometry ScannerGrid(SliceOrientation orientation, const std::array<double, 3>& spacing_mm,
                               const Box& head_box);

// A grid planned in head (or body) coordinates, as the scanner sees it after `motion`: slices that follow
// the anatomy, oblique in scanner coordinates.
io::VolumeGeometry MovedGrid(const io::VolumeGeometry& grid, const RigidMotion& motion);

RenderedSeries RenderSeries(const LabelMap& map, const std::vector<LesionSignal>& lesions,
                            const RenderSettings& settings, bool with_truth);

}  // namespace leptoscan::phantom
