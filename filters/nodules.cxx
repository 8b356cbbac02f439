#include "filters/nodules.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <unordered_set>

#include "filters/binary_masks.h"
#include "filters/surface_distance.h"

namespace leptoscan::filters {
namespace {

bool Any(const io::Volume& mask) {
  return std::any_of(mask.voxels.begin(), mask.voxels.end(), [](float v) { return v > 0; });
}

struct Box {
  std::array<std::size_t, 3> lo, hi;  // inclusive
};

Box BoundingBox(const io::VolumeGeometry& g, const std::vector<std::size_t>& voxels, std::size_t margin) {
  Box box{{g.size[0], g.size[1], g.size[2]}, {0, 0, 0}};
  for (std::size_t v : voxels) {
    const auto index = g.VoxelIndex(v);
    for (int a = 0; a < 3; ++a) {
      box.lo[a] = std::min(box.lo[a], index[a] > margin ? index[a] - margin : 0);
      box.hi[a] = std::max(box.hi[a], std::min(g.size[a] - 1, index[a] + margin));
    }
  }
  return box;
}

template <typename Visit>
void ForEachInBox(const io::VolumeGeometry& g, const Box& box, Visit visit) {
  for (std::size_t k = box.lo[2]; k <= box.hi[2]; ++k)
    for (std::size_t j = box.lo[1]; j <= box.hi[1]; ++j)
      for (std::size_t i = box.lo[0]; i <= box.hi[0]; ++i)
        visit(i, j, k, (k * g.size[1] + j) * g.size[0] + i);
}

Eigen::Vector3d Centre(const io::VolumeGeometry& g, std::size_t v) {
  const auto p = g.VoxelCentre(v);
  return {p[0], p[1], p[2]};
}

// The standard deviations (mm) of the voxel positions along their principal axes, thinnest first.
Eigen::Vector3d Spreads(const io::VolumeGeometry& g, const std::vector<std::size_t>& voxels) {
  Eigen::Vector3d mean = Eigen::Vector3d::Zero();
  std::vector<Eigen::Vector3d> points;
  points.reserve(voxels.size());
  for (std::size_t v : voxels) {
    points.push_back(Centre(g, v));
    mean += points.back();
  }
  mean /= static_cast<double>(points.size());
  Eigen::Matrix3d covariance = Eigen::Matrix3d::Zero();
  for (const auto& p : points)
    covariance += (p - mean) * (p - mean).transpose();
  covariance /= static_cast<double>(points.size());
  return Eigen::SelfAdjointEigenSolver<Eigen::Matrix3d>(covariance).eigenvalues().cwiseMax(0.0).cwiseSqrt();
}

// The spread along the thinnest principal axis over that along the longest: about 1 for a ball, 0.5 for a
// 2:1 ellipsoid, near 0 for a sheet.
double Compactness(const Eigen::Vector3d& spreads) {
  return spreads[2] > 0 ? spreads[0] / spreads[2] : 1.0;
}

// Whether a blob stands out of the candidates around it (NoduleOptions::max_surrounding_share): the
// voxels within two 26-neighbour steps of it, the share of them that are candidates, and the length of the
// mean unit vector from its centroid to those.
bool StandsOut(const io::Volume& candidates, const std::vector<std::size_t>& voxels,
               const NoduleOptions& options) {
  const auto& g = candidates.geometry;
  std::unordered_set<std::size_t> seen(voxels.begin(), voxels.end());
  std::vector<std::size_t> ring = voxels, surroundings;
  for (int step = 0; step < 2; ++step) {
    std::vector<std::size_t> next;
    for (std::size_t v : ring)
      ForEachNeighbour(g, v, [&](std::size_t w) {
        if (seen.insert(w).second) next.push_back(w);
      });
    surroundings.insert(surroundings.end(), next.begin(), next.end());
    ring = std::move(next);
  }
  Eigen::Vector3d centroid = Eigen::Vector3d::Zero();
  for (std::size_t v : voxels)
    centroid += Centre(g, v);
  centroid /= static_cast<double>(voxels.size());
  Eigen::Vector3d direction = Eigen::Vector3d::Zero();
  std::size_t enhancing = 0;
  for (std::size_t w : surroundings) {
    if (candidates.voxels[w] <= 0) continue;
    ++enhancing;
    direction += (Centre(g, w) - centroid).normalized();
  }
  return enhancing <= options.max_surrounding_share * static_cast<double>(surroundings.size()) ||
         direction.norm() >= options.min_one_sidedness * static_cast<double>(enhancing);
}

// Where the nodule lies: how far its edge is from the nearest leptomeningeal surface, and whether its
// surroundings are ventricle.
void Locate(const io::Volume& pial, const io::Volume& ependymal, const NoduleOptions& options,
            DetectedNodule& nodule) {
  const auto& g = pial.geometry;
  double nearest = 1e9;
  for (std::size_t v : nodule.voxels) {
    const double to_surface = std::min(std::max(0.0f, pial.voxels[v]), std::max(0.0f, ependymal.voxels[v]));
    nearest = std::min(nearest, to_surface);
  }
  // Voxel centres lie half a voxel inside the nodule's edge.
  const double half_voxel = 0.5 * *std::min_element(g.spacing_mm.begin(), g.spacing_mm.end());
  nodule.distance_to_leptomeninges_mm = std::max(0.0, nearest - half_voxel);

  const std::unordered_set<std::size_t> inside(nodule.voxels.begin(), nodule.voxels.end());
  std::size_t shell = 0, ventricle = 0, outside_brain = 0;
  ForEachInBox(g, BoundingBox(g, nodule.voxels, 1),
               [&](std::size_t, std::size_t, std::size_t, std::size_t v) {
                 if (inside.count(v)) return;
                 ++shell;
                 ventricle += ependymal.voxels[v] < 0;
                 outside_brain += pial.voxels[v] <= 0;
               });
  const double ventricular = shell ? static_cast<double>(ventricle) / shell : 0;
  if (nodule.distance_to_leptomeninges_mm >= options.leptomeningeal_mm) {
    nodule.location = "parenchymal";
  } else if (ventricular >= options.ventricular_fraction && ventricle >= outside_brain) {
    nodule.location = "ventricular";
  } else {
    nodule.location = "subarachnoid";
  }
}

}  // namespace

io::Volume NoduleMembership(const io::Volume& enhancement, const io::Volume& candidates,
                            const std::vector<std::size_t>& voxels) {
  const auto& g = enhancement.geometry;
  std::vector<float> levels;
  for (std::size_t v : voxels)
    levels.push_back(enhancement.voxels[v]);
  std::nth_element(levels.begin(), levels.begin() + levels.size() * 9 / 10, levels.end());
  const float full = std::max(levels[levels.size() * 9 / 10], 1e-3f);

  const std::unordered_set<std::size_t> inside(voxels.begin(), voxels.end());
  const Box box = BoundingBox(g, voxels, 2);
  io::Volume membership;
  membership.geometry = g;
  membership.geometry.size = {box.hi[0] - box.lo[0] + 1, box.hi[1] - box.lo[1] + 1,
                              box.hi[2] - box.lo[2] + 1};
  membership.geometry.origin_mm = g.IndexToPoint(box.lo[0], box.lo[1], box.lo[2]);
  membership.voxels.assign(membership.geometry.VoxelCount(), 0.0f);
  std::size_t n = 0;
  ForEachInBox(g, box, [&](std::size_t i, std::size_t j, std::size_t k, std::size_t v) {
    bool near = inside.count(v) > 0;
    if (!near && candidates.voxels[v] <= 0) {
      for (int c = -1; c <= 1 && !near; ++c)
        for (int b = -1; b <= 1 && !near; ++b)
          for (int a = -1; a <= 1 && !near; ++a) {
            const std::size_t ii = i + a, jj = j + b, kk = k + c;
            if (ii < g.size[0] && jj < g.size[1] && kk < g.size[2])
              near = inside.count((kk * g.size[1] + jj) * g.size[0] + ii) > 0;
          }
    }
    membership.voxels[n++] = near ? std::clamp(enhancement.voxels[v] / full, 0.0f, 1.0f) : 0.0f;
  });
  return membership;
}

std::array<double, 3> PrincipalSpreads(const io::VolumeGeometry& geometry,
                                       const std::vector<std::size_t>& voxels) {
  const Eigen::Vector3d spreads = Spreads(geometry, voxels);
  return {spreads[0], spreads[1], spreads[2]};
}

NoduleDetection DetectNodules(const io::Volume& candidates, const io::Volume& enhancement,
                              const io::Volume& pial_distance, const io::Volume& ependymal_distance,
                              const NoduleOptions& options) {
  NoduleDetection result;
  result.remainder = candidates;
  if (!Any(candidates)) return result;
  const auto& g = candidates.geometry;
  const double voxel_mm3 = g.VoxelVolumeMm3();
  // Measures and keeps a nodule that reaches the leptomeninges; takes its voxels out of the remainder. A
  // blob that does not stand out of the layer around it stays in the remainder, a part of that layer.
  const auto keep = [&](DetectedNodule& nodule) {
    if (!StandsOut(candidates, nodule.voxels, options)) return;
    const bool reaches_pia = std::any_of(nodule.voxels.begin(), nodule.voxels.end(), [&](std::size_t v) {
      return pial_distance.voxels[v] > -options.max_outside_mm || ependymal_distance.voxels[v] < 0;
    });
    for (std::size_t v : nodule.voxels)
      result.remainder.voxels[v] = 0;
    if (!reaches_pia) return;
    nodule.measures = MeasureNodule(NoduleMembership(enhancement, candidates, nodule.voxels));
    Locate(pial_distance, ependymal_distance, options, nodule);
    result.nodules.push_back(std::move(nodule));
  };

  // Opening through distance maps: exact Euclidean balls on any voxel spacing.
  if (const std::optional<io::Volume> to_core = DistanceToCore(candidates, options.core_radius_mm)) {
    const io::Volume& from_core = *to_core;
    const double rim = *std::max_element(g.spacing_mm.begin(), g.spacing_mm.end()) * 1.01;
    // The opened blobs plus one voxel of their rim, within the candidates.
    const io::Volume blobs = MaskWhere(g, [&](std::size_t v) {
      return candidates.voxels[v] > 0 && from_core.voxels[v] < options.core_radius_mm + rim;
    });
    unsigned count = 0;
    const std::vector<unsigned> labels = LabelComponents(blobs, &count);
    std::vector<DetectedNodule> found(count);
    std::vector<double> core_mm3(count, 0.0);
    for (std::size_t v = 0; v < labels.size(); ++v) {
      if (labels[v] == 0) continue;
      found[labels[v] - 1].voxels.push_back(v);
      if (from_core.voxels[v] < options.core_radius_mm) core_mm3[labels[v] - 1] += voxel_mm3;
    }
    for (unsigned n = 0; n < count; ++n) {
      if (core_mm3[n] < options.min_core_mm3 ||
          Compactness(Spreads(g, found[n].voxels)) < options.min_compactness)
        continue;
      keep(found[n]);
    }
  }

  // What is left whole: a nodule of 5 mm is four voxels across at 1 mm, too thin for the opening, yet as a
  // whole a blob where a layer is a sheet.
  unsigned count = 0;
  const std::vector<unsigned> labels = LabelComponents(result.remainder, &count);
  std::vector<DetectedNodule> whole(count);
  for (std::size_t v = 0; v < labels.size(); ++v) {
    if (labels[v] > 0) whole[labels[v] - 1].voxels.push_back(v);
  }
  // What touches a nodule found by the opening is its thin fringe, not another nodule.
  std::vector<char> taken(labels.size(), 0);
  for (const DetectedNodule& nodule : result.nodules)
    for (std::size_t v : nodule.voxels)
      taken[v] = 1;
  const auto touches_nodule = [&](const std::vector<std::size_t>& voxels) {
    bool touches = false;
    for (std::size_t v : voxels)
      ForEachNeighbour(g, v, [&](std::size_t w) { touches = touches || taken[w]; });
    return touches;
  };
  for (DetectedNodule& nodule : whole) {
    const double volume_mm3 = static_cast<double>(nodule.voxels.size()) * voxel_mm3;
    if (volume_mm3 < options.min_whole_mm3) continue;
    const Eigen::Vector3d spreads = Spreads(g, nodule.voxels);
    // Solid, not hollow: the volume over that of the ellipsoid with the same spreads (a solid ellipsoid
    // has sqrt(5) times its spread as semi-axis); a coated small ventricle horn is a ring in section.
    const double ellipsoid_mm3 = 4.0 / 3.0 * M_PI * std::pow(5.0, 1.5) * spreads.prod();
    if (Compactness(spreads) < options.min_whole_compactness || spreads[2] > options.max_whole_spread_mm ||
        volume_mm3 < options.min_whole_solidity * ellipsoid_mm3 || touches_nodule(nodule.voxels))
      continue;
    keep(nodule);
  }
  std::sort(
      result.nodules.begin(), result.nodules.end(),
      [](const DetectedNodule& a, const DetectedNodule& b) { return a.voxels.front() < b.voxels.front(); });
  return result;
}

}  // namespace leptoscan::filters
