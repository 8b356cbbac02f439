#include "testdata/phantom/anatomy.h"

#include <algorithm>

namespace leptoscan::phantom {

std::string SideSuffix(Side side) {
  return side == Side::kLeft ? "L" : "R";
}

Box HalfBox(const Box& box, Side side) {
  Box half = box;
  if (side == Side::kLeft) {
    half.lo.x = std::max(half.lo.x, 0.0);
  } else {
    half.hi.x = std::min(half.hi.x, 0.0);
  }
  return half;
}

Vec3 Anatomy::CerebralSurfacePoint(const Vec3& direction) const {
  const Vec3 d = direction.Unit();
  double inside = 0, outside = 150;
  for (int i = 0; i < 60; ++i) {
    const double mid = (inside + outside) / 2;
    (CerebrumDistance(cerebrum_centre_ + d * mid) < 0 ? inside : outside) = mid;
  }
  return cerebrum_centre_ + d * inside;
}

}  // namespace leptoscan::phantom
