// Rigid and affine registration of two 3-D volumes (ITK v4 registration, Mattes mutual information,
// multi-resolution), for pre -> post within a visit, follow-up -> baseline and subject -> template.
#pragma once

#include <array>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "io/volume.h"

namespace leptoscan::filters {

enum class TransformKind {
  kRigid,   // itk::VersorRigid3DTransform: versor (3), translation (3)
  kAffine,  // itk::AffineTransform: matrix (9, row-major), translation (3); reached through a rigid stage
};

// A transform in the terms of ITK's transform file format: it maps a point of the fixed image (LPS, mm)
// to the corresponding point of the moving image, so resampling the moving image with it aligns it.
struct SpatialTransform {
  TransformKind kind = TransformKind::kRigid;
  std::vector<double> parameters;         // as ITK orders them (see TransformKind)
  std::array<double, 3> center{0, 0, 0};  // ITK's fixed parameters: the centre of rotation, LPS mm

  // The identity of the given kind about `center`.
  static SpatialTransform Identity(TransformKind kind, const std::array<double, 3>& center = {0, 0, 0});
  std::array<double, 3> TransformPoint(const std::array<double, 3>& point) const;
  // The 3x3 matrix (row-major) and offset with TransformPoint(p) = matrix * p + offset.
  std::array<double, 9> Matrix() const;
  std::array<double, 3> Offset() const;
};

struct RegistrationOptions {
  TransformKind kind = TransformKind::kRigid;
  // Per resolution level, coarse to fine: shrink factor and Gaussian smoothing (mm) of both images.
  std::vector<unsigned> shrink_factors{4, 2, 1};
  std::vector<double> smoothing_sigmas_mm{2, 1, 0};
  // Metric sample points per level: a regular grid, each point jittered within its voxel (fixed seed);
  // raster order keeps the image reads cache-friendly, unlike random points.
  unsigned samples_per_level = 20000;
  unsigned histogram_bins = 32;
  unsigned max_iterations_per_level = 200;
  // Optimiser step bounds in mm of the largest voxel displacement the step causes.
  double initial_step_mm = 2.0;
  double minimum_step_mm = 0.005;
  // The step shrinks by this factor whenever the gradient turns back. Halving it (ITK's default) stopped
  // some phantom registrations a millimetre short, on the noise of the sampled metric (2 of 20 head motions
  // and 1 of 5 pre -> post pairs at 0.9-1.0 mm; bench/RESULTS.md).
  double relaxation_factor = 0.7;
  unsigned random_seed = 20240101;
  // Initial alignment of the centres of mass (true) or of the image centres (false).
  bool align_centers_of_mass = true;
};

struct RegistrationResult {
  SpatialTransform transform;
  double final_metric = 0;     // Mattes mutual information at the finest level; lower is better (< 0)
  unsigned iterations = 0;     // over all levels and stages
  bool converged = false;      // the finest level stopped on a small step, not on the iteration limit
  std::string stop_condition;  // the optimiser's own words
  double overlap = 0;  // fraction of the finest level's sample points that land inside the moving image
};

// Bad input: names which image is at fault so that a caller can name the file.
class RegistrationInputError : public std::invalid_argument {
 public:
  enum class Image { kFixed, kMoving, kBoth };
  RegistrationInputError(Image image, const std::string& problem)
      : std::invalid_argument(problem), image_(image) {}
  Image image() const { return image_; }

 private:
  Image image_;
};

// The optimisation ran but did not settle; carries what it reached so that the caller can report it.
class RegistrationNotConverged : public std::runtime_error {
 public:
  explicit RegistrationNotConverged(RegistrationResult result);
  const RegistrationResult& result() const { return result_; }

 private:
  RegistrationResult result_;
};

// Finds the transform mapping fixed points onto moving points. Deterministic for a given seed.
// Throws RegistrationInputError (a volume thinner than 4 voxels along an axis, a flat volume, or
// volumes that do not overlap in world space) and RegistrationNotConverged.
RegistrationResult Register(const io::Volume& fixed, const io::Volume& moving,
                            const RegistrationOptions& options = {});

enum class Interpolation {
  kLinear,
  kNearest,  // for label maps: values are never mixed
};

// The moving volume resampled onto the fixed grid through `transform`; outside the moving volume the
// result is `outside_value`.
io::Volume ResampleOnto(const io::Volume& moving, const io::VolumeGeometry& fixed_grid,
                        const SpatialTransform& transform, float outside_value = 0,
                        Interpolation interpolation = Interpolation::kLinear);

// ITK transform files (.tfm, "#Insight Transform File V1.0"), written atomically. Reading accepts the
// two kinds above; anything else is an io::InputError naming the file.
void WriteTransformFile(const SpatialTransform& transform, const std::filesystem::path& path);
SpatialTransform ReadTransformFile(const std::filesystem::path& path);

}  // namespace leptoscan::filters
