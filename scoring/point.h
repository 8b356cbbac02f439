// A position in patient coordinates (DICOM LPS, mm), as findings documents and ITK transforms give it.
#pragma once

#include <array>
#include <cmath>

namespace leptoscan::scoring {

using Point3 = std::array<double, 3>;

inline double Distance(const Point3& a, const Point3& b) {
  return std::hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

}  // namespace leptoscan::scoring
