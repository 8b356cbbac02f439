// A 3-D affine map read from an ITK transform file ("#Insight Transform File V1.0") without ITK: the
// MatrixOffsetTransformBase family that rigid and affine registrations write (AffineTransform,
// Euler3DTransform, VersorRigid3DTransform), in double or float.
#pragma once

#include <array>
#include <filesystem>
#include <string>

#include "scoring/point.h"

namespace leptoscan::scoring {

class AffineMap {
 public:
  using Matrix = std::array<std::array<double, 3>, 3>;

  AffineMap();  // identity
  AffineMap(const Matrix& matrix, const Point3& offset) : matrix_(matrix), offset_(offset) {}

  Point3 Apply(const Point3& point) const;
  // Throws std::domain_error for a singular matrix.
  AffineMap Inverse() const;

 private:
  Matrix matrix_;
  Point3 offset_;
};

// The transform as ITK applies it: from the fixed image's space to the moving image's space.
AffineMap ParseItkTransform(const std::string& text, const std::string& file);
AffineMap ReadItkTransform(const std::filesystem::path& file);
// A registration with the baseline as fixed and the follow-up as moving image writes the map from baseline
// to follow-up points (ITK's convention); its inverse takes follow-up lesion centres into the baseline frame.
AffineMap ReadFollowupToBaseline(const std::filesystem::path& file);

}  // namespace leptoscan::scoring
