#include "io/volume.h"

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

}  // namespace leptoscan::io
