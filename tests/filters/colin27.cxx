#include "tests/filters/colin27.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "io/nifti.h"

namespace leptoscan::testing {

namespace {
const char* const kTemplates = "/usr/share/mricron/templates/";
}

const io::Volume& Colin27() {
  static const io::Volume colin = io::ReadNifti(std::string(kTemplates) + "ch2.nii.gz");
  return colin;
}

const io::Volume& Colin27BrainMask() {
  static const io::Volume mask = [] {
    io::Volume brain = io::ReadNifti(std::string(kTemplates) + "ch2bet.nii.gz");
    for (float& v : brain.voxels)
      v = v > 0 ? 1.0f : 0.0f;
    return brain;
  }();
  return mask;
}

std::array<double, 3> GridCenter(const io::VolumeGeometry& g) {
  return g.IndexToPoint((g.size[0] - 1) / 2.0, (g.size[1] - 1) / 2.0, (g.size[2] - 1) / 2.0);
}

filters::SpatialTransform RigidMotion(std::array<double, 3> axis, double degrees,
                                      const std::array<double, 3>& translation_mm,
                                      const std::array<double, 3>& center) {
  const double norm = std::sqrt(axis[0] * axis[0] + axis[1] * axis[1] + axis[2] * axis[2]);
  const double half_angle = degrees * M_PI / 360.0;
  auto motion = filters::SpatialTransform::Identity(filters::TransformKind::kRigid, center);
  for (int a = 0; a < 3; ++a) {
    motion.parameters[a] = axis[a] / norm * std::sin(half_angle);  // versor vector part
    motion.parameters[3 + a] = translation_mm[a];
  }
  return motion;
}

std::vector<filters::SpatialTransform> RandomRigidMotions(int count, const std::array<double, 3>& center) {
  std::mt19937 random(6);
  std::normal_distribution<double> gaussian;
  std::uniform_real_distribution<double> unit(0, 1);
  std::vector<filters::SpatialTransform> motions;
  for (int n = 0; n < count; ++n) {
    const std::array<double, 3> axis{gaussian(random), gaussian(random), gaussian(random)};
    std::array<double, 3> direction{gaussian(random), gaussian(random), gaussian(random)};
    const double norm = std::hypot(direction[0], direction[1], direction[2]);
    const double degrees = 10 * unit(random), mm = 15 * unit(random);
    for (double& d : direction)
      d *= mm / norm;
    motions.push_back(RigidMotion(axis, degrees, direction, center));
  }
  return motions;
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

double MeanTargetError(const filters::SpatialTransform& recovered, const filters::SpatialTransform& applied,
                       const io::Volume& mask) {
  // Composing the two as matrices once keeps this to one multiply per voxel.
  const auto r = recovered.Matrix(), a = applied.Matrix();
  const auto ro = recovered.Offset(), ao = applied.Offset();
  std::array<double, 9> m{};
  std::array<double, 3> o = ao;
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j) {
      for (int k = 0; k < 3; ++k)
        m[i * 3 + j] += a[i * 3 + k] * r[k * 3 + j];
      o[i] += a[i * 3 + j] * ro[j];
    }
  }
  const auto& g = mask.geometry;
  double sum = 0;
  std::size_t count = 0, index = 0;
  for (std::size_t k = 0; k < g.size[2]; ++k) {
    for (std::size_t j = 0; j < g.size[1]; ++j) {
      for (std::size_t i = 0; i < g.size[0]; ++i, ++index) {
        if (mask.voxels[index] <= 0) continue;
        const auto p = g.IndexToPoint(i, j, k);
        double squared = 0;
        for (int r = 0; r < 3; ++r) {
          const double d = m[r * 3] * p[0] + m[r * 3 + 1] * p[1] + m[r * 3 + 2] * p[2] + o[r] - p[r];
          squared += d * d;
        }
        sum += std::sqrt(squared);
        ++count;
      }
    }
  }
  return count ? sum / count : 0;
}

}  // namespace leptoscan::testing
