// A point or direction in head coordinates (LPS axes, mm, origin near the centre of the brain).
#pragma once

#include <array>
#include <cmath>

namespace leptoscan::phantom {

struct Vec3 {
  double x = 0, y = 0, z = 0;

  Vec3 operator+(const Vec3& o) const { return {x + o.x, y + o.y, z + o.z}; }
  Vec3 operator-(const Vec3& o) const { return {x - o.x, y - o.y, z - o.z}; }
  Vec3 operator*(double s) const { return {x * s, y * s, z * s}; }
  Vec3 operator/(const Vec3& o) const { return {x / o.x, y / o.y, z / o.z}; }
  double Dot(const Vec3& o) const { return x * o.x + y * o.y + z * o.z; }
  Vec3 Cross(const Vec3& o) const { return {y * o.z - z * o.y, z * o.x - x * o.z, x * o.y - y * o.x}; }
  double Norm() const { return std::sqrt(Dot(*this)); }
  Vec3 Unit() const { return *this * (1.0 / Norm()); }
  std::array<double, 3> ToArray() const { return {x, y, z}; }
};

// Distance from p to the segment a-b, and where along it (0..1) the closest point lies.
inline double SegmentDistance(const Vec3& p, const Vec3& a, const Vec3& b, double* along = nullptr) {
  const Vec3 ab = b - a;
  double t = (p - a).Dot(ab) / ab.Dot(ab);
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  if (along) *along = t;
  return (p - (a + ab * t)).Norm();
}

// Approximate signed distance to an axis-aligned ellipsoid (negative inside), accurate near the surface.
inline double EllipsoidDistance(const Vec3& p, const Vec3& centre, const Vec3& radii) {
  const Vec3 q = p - centre;
  const double k0 = (q / radii).Norm();
  const double k1 = (q / Vec3{radii.x * radii.x, radii.y * radii.y, radii.z * radii.z}).Norm();
  return k1 > 0 ? k0 * (k0 - 1.0) / k1 : -std::min(radii.x, std::min(radii.y, radii.z));
}

}  // namespace leptoscan::phantom
