#include "filters/falx.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "filters/input_checks.h"

namespace leptoscan::filters {
namespace {

constexpr double kDegree = M_PI / 180;
constexpr double kBinMm = 0.5;

void Check(const io::Volume& enhancement, const io::Volume& input, const char* name) {
  if (!SameGrid(enhancement.geometry, input.geometry))
    throw std::invalid_argument(std::string("falx: ") + name + " is not on the enhancement map's grid");
}

Eigen::Vector3d Centre(const io::VolumeGeometry& g, std::size_t v) {
  const auto p = g.VoxelCentre(v);
  return {p[0], p[1], p[2]};
}

// Least-squares plane through the points within `band` of (normal, offset): the direction of least spread.
bool Refit(const std::vector<Eigen::Vector3d>& points, double band, Eigen::Vector3d& normal, double& offset,
           std::size_t& inliers) {
  Eigen::Vector3d mean = Eigen::Vector3d::Zero();
  std::size_t n = 0;
  for (const auto& q : points) {
    if (std::abs(normal.dot(q) - offset) <= band) mean += q, ++n;
  }
  if (n < 3) return false;
  mean /= static_cast<double>(n);
  Eigen::Matrix3d covariance = Eigen::Matrix3d::Zero();
  for (const auto& q : points) {
    if (std::abs(normal.dot(q) - offset) <= band) covariance += (q - mean) * (q - mean).transpose();
  }
  Eigen::Vector3d fitted = Eigen::SelfAdjointEigenSolver<Eigen::Matrix3d>(covariance).eigenvectors().col(0);
  if (fitted.dot(normal) < 0) fitted = -fitted;
  normal = fitted;
  offset = normal.dot(mean);
  inliers = n;
  return true;
}

}  // namespace

std::optional<MidSagittalPlane> FindFalxPlane(const io::Volume& enhancement, const io::Volume& pial_distance,
                                              const io::Volume& inner_skull_distance,
                                              const io::Volume& ependymal_distance,
                                              const FalxOptions& options) {
  Check(enhancement, pial_distance, "the pial distance map");
  Check(enhancement, inner_skull_distance, "the inner skull distance map");
  Check(enhancement, ependymal_distance, "the ependymal distance map");
  const auto& g = enhancement.geometry;

  // Positions relative to the brain's centre, which a mid-sagittal plane passes near.
  Eigen::Vector3d centre = Eigen::Vector3d::Zero();
  std::size_t brain = 0;
  for (std::size_t v = 0; v < pial_distance.voxels.size(); ++v) {
    if (pial_distance.voxels[v] > 0) centre += Centre(g, v), ++brain;
  }
  if (brain == 0) return std::nullopt;
  centre /= static_cast<double>(brain);
  std::vector<Eigen::Vector3d> points;
  for (std::size_t v = 0; v < enhancement.voxels.size(); ++v) {
    if (enhancement.voxels[v] >= options.threshold &&
        inner_skull_distance.voxels[v] < -options.min_below_skull_mm &&
        pial_distance.voxels[v] <= options.max_depth_mm &&
        ependymal_distance.voxels[v] > options.max_depth_mm)
      points.push_back(Centre(g, v) - centre);
  }
  if (points.size() < 3) return std::nullopt;

  // Exhaustive search: for each normal, a histogram of the points' positions along it; the best slab of
  // 2 * band holds the most points.
  const int steps = static_cast<int>(std::floor(options.max_tilt_deg));
  const int half_bins = static_cast<int>(std::ceil((options.max_offset_mm + options.band_mm) / kBinMm));
  const int window = std::max(1, static_cast<int>(std::lround(2 * options.band_mm / kBinMm)));
  std::vector<std::size_t> histogram(2 * half_bins + 1);
  std::size_t best_count = 0;
  Eigen::Vector3d best_normal(1, 0, 0);
  double best_offset = 0;
  for (int a = -steps; a <= steps; ++a) {
    for (int b = -steps; b <= steps; ++b) {
      const Eigen::Vector3d normal =
          Eigen::Vector3d(1, std::tan(a * kDegree), std::tan(b * kDegree)).normalized();
      std::fill(histogram.begin(), histogram.end(), 0);
      for (const auto& q : points) {
        const long bin = std::lround(normal.dot(q) / kBinMm) + half_bins;
        if (bin >= 0 && bin < static_cast<long>(histogram.size())) ++histogram[bin];
      }
      std::size_t count = 0;
      for (int i = 0; i < static_cast<int>(histogram.size()); ++i) {
        count += histogram[i];
        if (i >= window) count -= histogram[i - window];
        const double offset = (i - half_bins - 0.5 * (window - 1)) * kBinMm;
        if (i + 1 >= window && std::abs(offset) <= options.max_offset_mm && count > best_count) {
          best_count = count;
          best_normal = normal;
          best_offset = offset;
        }
      }
    }
  }
  std::size_t inliers = best_count;
  for (int iteration = 0; iteration < 3; ++iteration) {
    if (!Refit(points, options.band_mm, best_normal, best_offset, inliers)) return std::nullopt;
  }
  const double voxel_mm3 = g.VoxelVolumeMm3();
  MidSagittalPlane plane;
  plane.support_mm2 = static_cast<double>(inliers) * voxel_mm3 / (2 * options.band_mm);
  if (plane.support_mm2 < options.min_support_mm2 ||
      std::acos(std::min(1.0, std::abs(best_normal[0]))) > options.max_tilt_deg * kDegree + 0.02)
    return std::nullopt;
  plane.normal = {best_normal[0], best_normal[1], best_normal[2]};
  plane.offset_mm = best_offset + best_normal.dot(centre);
  return plane;
}

}  // namespace leptoscan::filters
