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

}  // namespace leptoscan::phantom
