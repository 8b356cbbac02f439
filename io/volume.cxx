#include "io/volume.h"

#include <algorithm>

namespace leptoscan::io {

std::array<double, 3> VolumeGeometry::IndexToPoint(double i, double j, double k) const {
  const double step[3] = {i * spacing_mm[0], j * spacing_mm[1], k * spacing_mm[2]};
  std::array<double, 3> p = origin_mm;
  for (int row = 0; row < 3; ++row) {
    for (int axis = 0; axis < 3; ++axis)
      p[row] += direction[row * 3 + axis] * step[axis];
  }
  return p;
}

std::array<double, 3> VolumeGeometry::PointToIndex(const std::array<double, 3>& point) const {
  std::array<double, 3> index{0, 0, 0};
  for (int axis = 0; axis < 3; ++axis) {
    for (int row = 0; row < 3; ++row)
      index[axis] += direction[row * 3 + axis] * (point[row] - origin_mm[row]);
    index[axis] /= spacing_mm[axis];
  }
  return index;
}

double InterpolateLinear(const Volume& volume, const std::array<double, 3>& index) {
  const auto& n = volume.geometry.size;
  std::size_t base[3], next[3];
  double f[3];
  for (int a = 0; a < 3; ++a) {
    const double c = std::clamp(index[a], 0.0, n[a] - 1.0);
    base[a] = n[a] > 1 ? std::min(static_cast<std::size_t>(c), n[a] - 2) : 0;
    next[a] = std::min(base[a] + 1, n[a] - 1);
    f[a] = c - base[a];
  }
  double value = 0;
  for (int corner = 0; corner < 8; ++corner) {
    const int dx = corner & 1, dy = (corner >> 1) & 1, dz = corner >> 2;
    value += (dx ? f[0] : 1 - f[0]) * (dy ? f[1] : 1 - f[1]) * (dz ? f[2] : 1 - f[2]) *
             volume.voxels[((dz ? next[2] : base[2]) * n[1] + (dy ? next[1] : base[1])) * n[0] +
                           (dx ? next[0] : base[0])];
  }
  return value;
}

}  // namespace leptoscan::io
