#include "filters/spine_enhancement.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "filters/binary_masks.h"
#include "filters/enhancement.h"
#include "filters/input_checks.h"
#include "filters/intensity_normalization.h"
#include "filters/surface_distance.h"

namespace leptoscan::filters {
namespace {

// The reference tissue lies within this of the sac, and its post / pre ratio within this (log) of the
// cord's: the coil fields of two series differ by 10-20% across the spine, fat suppression halves marrow.
constexpr double kReferenceReachMm = 30;
constexpr double kReferenceBand = 0.25;

// Per voxel: whether it is in `mask` with one of its 26 neighbours outside.
std::vector<bool> OuterLayer(const io::Volume& mask) {
  std::vector<bool> outer(mask.voxels.size(), false);
  for (std::size_t v = 0; v < mask.voxels.size(); ++v) {
    if (mask.voxels[v] <= 0) continue;
    ForEachNeighbour(mask.geometry, v, [&](std::size_t w) { outer[v] = outer[v] || mask.voxels[w] <= 0; });
  }
  return outer;
}

// Per voxel outside the cord: whether the voxel beside it across the sagittal slices (left or right, the
// thick axis) is in the cord. A coat on the cord's side lies in the sac's outermost slice, which the outer
// layer counts as wall.
std::vector<bool> BesideCordAcrossSlices(const io::Volume& cord) {
  const auto& g = cord.geometry;
  const unsigned lr = NearestPatientAxes(g).lr;
  const std::size_t step = g.Stride(lr);
  std::vector<bool> beside(cord.voxels.size(), false);
  for (std::size_t v = 0; v < beside.size(); ++v) {
    const std::size_t index = g.VoxelIndex(v)[lr];
    beside[v] = cord.voxels[v] <= 0 && ((index > 0 && cord.voxels[v - step] > 0) ||
                                        (index + 1 < g.size[lr] && cord.voxels[v + step] > 0));
  }
  return beside;
}

// The tissue the differential bias field is fitted to: neither CSF nor fat before contrast, within reach
// of the sac (the field is extrapolated no farther than the canal), and changed by contrast about as the
// cord is (median ratio): a fat-suppressed post series halves the marrow, which would otherwise pull the
// fit and make the whole cord look enhancing.
io::Volume ReferenceTissue(const io::Volume& post, const io::Volume& pre, const SpineMasks& anatomy) {
  const io::Volume sac_distance = SignedDistanceMm(anatomy.thecal_sac);
  std::vector<double> cord_log_ratios;
  for (std::size_t v = 0; v < pre.voxels.size(); ++v)
    if (anatomy.cord.voxels[v] > 0 && pre.voxels[v] > 0 && post.voxels[v] > 0)
      cord_log_ratios.push_back(std::log(post.voxels[v] / pre.voxels[v]));
  if (cord_log_ratios.empty())
    throw std::invalid_argument("spine enhancement: the cord lies outside the scans");
  std::nth_element(cord_log_ratios.begin(), cord_log_ratios.begin() + cord_log_ratios.size() / 2,
                   cord_log_ratios.end());
  const double cord_log_ratio = cord_log_ratios[cord_log_ratios.size() / 2];
  const double from = (anatomy.csf_intensity + anatomy.cord_intensity) / 2, to = 1.4 * anatomy.cord_intensity;
  return MaskWhere(pre.geometry, [&](std::size_t v) {
    return sac_distance.voxels[v] < kReferenceReachMm && pre.voxels[v] > from && pre.voxels[v] < to &&
           post.voxels[v] > 0 &&
           std::abs(std::log(post.voxels[v] / pre.voxels[v]) - cord_log_ratio) < kReferenceBand;
  });
}

// Voxels of the 26-neighbourhood of a voxel set that satisfy `take`, with the set itself.
template <typename Take>
std::vector<std::size_t> WithNeighbours(const io::VolumeGeometry& g, const std::vector<std::size_t>& voxels,
                                        Take take) {
  std::vector<char> in(g.VoxelCount(), 0);
  for (std::size_t v : voxels)
    in[v] = 1;
  std::vector<std::size_t> out = voxels;
  for (std::size_t v : voxels) {
    ForEachNeighbour(g, v, [&](std::size_t w) {
      if (!in[w] && take(w)) in[w] = 1, out.push_back(w);
    });
  }
  std::sort(out.begin(), out.end());
  return out;
}

double MedianOf(const io::Volume& volume, const std::vector<std::size_t>& voxels) {
  std::vector<float> values;
  for (std::size_t v : voxels)
    values.push_back(volume.voxels[v]);
  if (values.empty()) return 0;
  std::nth_element(values.begin(), values.begin() + values.size() / 2, values.end());
  return values[values.size() / 2];
}

// Where the cores of nodules (thicker than a root) are: voxels whose 3 x 3 neighbourhood in their sagittal
// plane (1 x 1 mm) is all core. A swollen root is 3 mm thick at most and vanishes; a nodule of 4 mm keeps
// its middle, and one among roots comes apart from them.
io::Volume ErodeInSagittalPlane(const io::Volume& mask) {
  const auto& g = mask.geometry;
  const PatientAxes axes = NearestPatientAxes(g);
  return MaskWhere(g, [&](std::size_t v) {
    if (mask.voxels[v] <= 0) return false;
    const auto index = g.VoxelIndex(v);
    for (unsigned a : {axes.ap, axes.si})
      if (index[a] == 0 || index[a] + 1 == g.size[a]) return false;
    for (int b = -1; b <= 1; ++b)
      for (int a = -1; a <= 1; ++a)
        if (mask.voxels[v + a * g.Stride(axes.ap) + b * g.Stride(axes.si)] <= 0) return false;
    return true;
  });
}

// A volume's grid turned rigidly by `rotation` (row-major): the same voxels seen in other coordinates.
io::Volume Turned(const io::Volume& volume, const std::array<double, 9>& rotation) {
  io::Volume out = volume;
  auto& g = out.geometry;
  const auto turn = [&](const std::array<double, 3>& p) {
    return std::array<double, 3>{rotation[0] * p[0] + rotation[1] * p[1] + rotation[2] * p[2],
                                 rotation[3] * p[0] + rotation[4] * p[1] + rotation[5] * p[2],
                                 rotation[6] * p[0] + rotation[7] * p[1] + rotation[8] * p[2]};
  };
  g.origin_mm = turn(volume.geometry.origin_mm);
  for (int axis = 0; axis < 3; ++axis) {
    const auto column = turn({volume.geometry.direction[axis], volume.geometry.direction[3 + axis],
                              volume.geometry.direction[6 + axis]});
    for (int row = 0; row < 3; ++row)
      g.direction[row * 3 + axis] = column[row];
  }
  return out;
}

// RANO-LM's diameters in the plane of the nodule's largest cross-section (findings.md): a spinal nodule
// grows along the canal, and is read on sagittal images. MeasureNodule measures in the axial plane, so the
// membership is also turned to present the coronal and the sagittal plane as axial; the plane with the
// largest product of diameters is kept, the centre turned back.
NoduleMeasures MeasureInLargestPlane(const io::Volume& membership) {
  // Proper rotations taking y (coronal plane) and x (sagittal plane) to z.
  constexpr std::array<double, 9> kCoronal{1, 0, 0, 0, 0, -1, 0, 1, 0}, kSagittal{0, 0, -1, 0, 1, 0, 1, 0, 0};
  NoduleMeasures best = MeasureNodule(membership);
  for (const auto& rotation : {kCoronal, kSagittal}) {
    NoduleMeasures turned = MeasureNodule(Turned(membership, rotation));
    if (turned.diameters_mm[0] * turned.diameters_mm[1] <= best.diameters_mm[0] * best.diameters_mm[1])
      continue;
    const std::array<double, 3> c = turned.center_mm;
    for (int a = 0; a < 3; ++a)  // the transpose turns back
      turned.center_mm[a] = rotation[a] * c[0] + rotation[3 + a] * c[1] + rotation[6 + a] * c[2];
    best = turned;
  }
  return best;
}

// The groups of `mask` that look like nodules: its components after an erosion in the sagittal plane,
// grown back over `mask`, large and compact enough; a group too long for a nodule is eroded again (up to
// `erosions` times in all), so that a nodule among swollen roots comes apart from them.
void CollectNoduleCores(const io::Volume& mask, unsigned erosions, const SpineEnhancementOptions& options,
                        std::vector<std::vector<std::size_t>>& cores) {
  const auto& g = mask.geometry;
  const io::Volume eroded = ErodeInSagittalPlane(mask);
  unsigned count = 0;
  const std::vector<unsigned> labels = LabelComponents(eroded, &count);
  std::vector<std::vector<std::size_t>> groups(count + 1);
  for (std::size_t v = 0; v < labels.size(); ++v)
    if (labels[v] > 0) groups[labels[v]].push_back(v);
  const double voxel_mm3 = g.VoxelVolumeMm3();
  for (unsigned c = 1; c <= count; ++c) {
    const auto core = WithNeighbours(g, groups[c], [&](std::size_t w) { return mask.voxels[w] > 0; });
    if (core.size() * voxel_mm3 < options.min_nodule_mm3) continue;
    const std::array<double, 3> spreads = PrincipalSpreads(g, core);
    if (spreads[2] > options.max_nodule_spread_mm) {
      if (erosions > 1)
        CollectNoduleCores(MaskWhere(g, [&](std::size_t v) { return labels[v] == c; }), erosions - 1, options,
                           cores);
    } else if (spreads[0] >= options.min_nodule_compactness * spreads[2]) {
      cores.push_back(core);
    }
  }
}

// How deep the nodule's outer edge lies in the cord: 0 when its core reaches the pia or lies outside the
// cord, else the depth of its shallowest core voxel less half a voxel (a nodule is tissue before contrast,
// so the cord segmented then holds the part of a surface nodule that presses into it, and all of an
// intramedullary one). Intramedullary when deeper than the 2 mm rule allows.
void Locate(const SpineMasks& anatomy, const std::vector<std::size_t>& core,
            const SpineEnhancementOptions& options, DetectedNodule& nodule) {
  const auto& spacing = anatomy.cord_distance.geometry.spacing_mm;
  const double half_voxel = 0.5 * *std::min_element(spacing.begin(), spacing.end());
  double edge = std::numeric_limits<double>::infinity();
  for (std::size_t v : core)
    edge = std::min(edge, -static_cast<double>(anatomy.cord_distance.voxels[v]) - half_voxel);
  nodule.distance_to_leptomeninges_mm = std::max(0.0, edge);
  nodule.location =
      nodule.distance_to_leptomeninges_mm >= options.leptomeningeal_mm ? "intramedullary" : "subarachnoid";
}

// Nodules: enhancing voxels that were tissue before contrast (a linear coat is as dark as CSF before
// contrast, the dura and the veins too), thicker than a root, compact and large enough, with the
// candidates beside them (their partial-volume rim).
std::vector<DetectedNodule> FindNodules(const io::Volume& enhancement, const io::Volume& relative_pre,
                                        const io::Volume& candidates, const SpineMasks& anatomy,
                                        const SpineEnhancementOptions& options) {
  const auto& g = enhancement.geometry;
  const io::Volume tissue = MaskWhere(g, [&](std::size_t v) {
    return candidates.voxels[v] > 0 && enhancement.voxels[v] > options.nodule_enhancing &&
           relative_pre.voxels[v] > options.nodule_tissue;
  });
  std::vector<std::vector<std::size_t>> cores;
  CollectNoduleCores(tissue, options.max_core_erosions, options, cores);
  std::vector<DetectedNodule> nodules;
  for (const auto& core : cores) {
    DetectedNodule nodule;
    nodule.voxels = WithNeighbours(g, core, [&](std::size_t w) { return candidates.voxels[w] > 0; });
    nodule.measures = MeasureInLargestPlane(NoduleMembership(enhancement, candidates, nodule.voxels));
    Locate(anatomy, core, options, nodule);
    nodules.push_back(std::move(nodule));
  }
  std::sort(nodules.begin(), nodules.end(), [](const DetectedNodule& a, const DetectedNodule& b) {
    return a.voxels.front() < b.voxels.front();
  });
  return nodules;
}

}  // namespace

io::Volume SpineEnhancementMap(const io::Volume& post, const io::Volume& pre_on_post,
                               const SpineMasks& anatomy) {
  const io::Volume reference = ReferenceTissue(post, pre_on_post, anatomy);
  // EnhancementMap reads in units of the reference tissue's mode; the detectors read in the cord's.
  io::Volume map = EnhancementMap(post, pre_on_post, reference);
  const double scale = WhiteMatterPeak(pre_on_post, reference) / anatomy.cord_intensity;
  for (float& v : map.voxels)
    v = static_cast<float>(v * scale);
  return map;
}

SpineEnhancement DetectSpineEnhancement(const io::Volume& enhancement, const io::Volume& pre_on_post,
                                        const SpineMasks& anatomy, const SpineEnhancementOptions& options) {
  if (!SameGrid(enhancement.geometry, pre_on_post.geometry) ||
      !SameGrid(enhancement.geometry, anatomy.thecal_sac.geometry))
    throw std::invalid_argument("spine enhancement: the maps and the anatomy must be on one grid");
  const auto& g = enhancement.geometry;
  const io::Volume sac_distance = SignedDistanceMm(anatomy.thecal_sac);
  // Before contrast, on a scale from the CSF (0) to the cord (1).
  io::Volume relative_pre = pre_on_post;
  const double csf = anatomy.csf_intensity, range = std::max(1e-6, anatomy.cord_intensity - csf);
  for (float& v : relative_pre.voxels)
    v = static_cast<float>((v - csf) / range);
  // Nodules fill the sac against its wall, where its CSF-dark region leaves them out: enhancing tissue is a
  // candidate a little outside it too (the dura and the veins are dark before contrast).
  const auto nodule_near_sac = [&](std::size_t v) {
    return sac_distance.voxels[v] < options.nodule_reach_mm &&
           relative_pre.voxels[v] > options.nodule_tissue && enhancement.voxels[v] > options.nodule_enhancing;
  };
  // Deeper than `depth_mm` inside the sac and off its wall: a voxel of the sac's outer layer shares its
  // volume with the dura however far its centre lies from the wall (1.5 mm across 3 mm slices).
  const std::vector<bool> on_wall = OuterLayer(anatomy.thecal_sac);
  const auto off_the_wall = [&](std::size_t v, double depth_mm) {
    return !on_wall[v] && -sac_distance.voxels[v] >= depth_mm;
  };
  const std::vector<bool> beside_cord = BesideCordAcrossSlices(anatomy.cord);
  SpineEnhancement result;
  const io::Volume candidates = MaskWhere(g, [&](std::size_t v) {
    return enhancement.voxels[v] > options.enhancing &&
           (off_the_wall(v, options.sac_margin_mm) || nodule_near_sac(v));
  });
  result.normal = MaskWhere(g, [&](std::size_t v) {
    return enhancement.voxels[v] > options.enhancing && candidates.voxels[v] <= 0;
  });

  result.nodules = FindNodules(enhancement, relative_pre, candidates, anatomy, options);
  std::vector<char> in_nodule(candidates.voxels.size(), 0);
  for (const DetectedNodule& n : result.nodules)
    for (std::size_t v : n.voxels)
      in_nodule[v] = 1;

  // The rest: along the cord, or below the conus among the roots; elsewhere in the sac (a root leaving
  // the thoracic canal, a vessel) it is not reported.
  enum Region { kCordSurface = 0, kCaudaEquina = 1 };
  std::vector<int> region_of(candidates.voxels.size(), -1);
  // Across 3 mm slices the sac's outer layer is a slab, and what lies against the sac's side lies in it: the
  // coat on the cord's side (beside the cord), roots (tissue before contrast). Those voxels join a region
  // found off the wall; alone they make none, as the dura beside a tight cord or a vein would.
  std::vector<std::pair<std::size_t, Region>> on_the_side;
  for (std::size_t v = 0; v < region_of.size(); ++v) {
    if (enhancement.voxels[v] <= options.enhancing || in_nodule[v]) continue;
    const double to_cord = anatomy.cord_distance.voxels[v], to_wall = -sac_distance.voxels[v];
    const bool below_conus = g.VoxelCentre(v)[2] < anatomy.conus_tip_mm[2];
    const bool candidate = candidates.voxels[v] > 0, side = on_wall[v] && to_wall >= options.sac_margin_mm;
    if (candidate && to_cord <= options.cord_surface_mm && to_cord <= to_wall &&
        off_the_wall(v, options.sac_margin_mm)) {
      region_of[v] = kCordSurface;
    } else if (candidate && below_conus && off_the_wall(v, options.root_depth_mm)) {
      region_of[v] = kCaudaEquina;
    } else if (side && to_cord <= options.cord_surface_mm && beside_cord[v]) {
      on_the_side.emplace_back(v, kCordSurface);
    } else if (side && below_conus && to_wall >= options.root_depth_mm &&
               relative_pre.voxels[v] >= options.root_tissue) {
      on_the_side.emplace_back(v, kCaudaEquina);
    }
  }
  const std::vector<std::string> names{"cord_surface", "cauda_equina"};
  std::vector<char> found(region_of.size(), 0);
  for (const EnhancingRegion& region : GroupEnhancingRegions(g, region_of, names, options.grouping)) {
    // An enhancing root is a root before contrast, brighter than CSF; the veins in front of the sac and
    // the dura that partial volume brought into it are as dark as CSF.
    const bool reportable = region.region == "cauda_equina"
                                ? MedianOf(relative_pre, region.voxels) >= options.root_tissue &&
                                      region.surface_mm2 >= options.min_root_extent_mm2
                                : LayerExtentMm2(region) >= options.min_linear_extent_mm2;
    if (reportable)
      for (std::size_t v : region.voxels)
        found[v] = 1;
  }
  // The regions found off the wall, grown over the sac's side (and nothing else).
  for (std::size_t v = 0; v < region_of.size(); ++v)
    if (!found[v]) region_of[v] = -1;
  for (const auto& [v, region] : on_the_side)
    region_of[v] = region;
  for (EnhancingRegion& region : GroupEnhancingRegions(g, region_of, names, options.grouping)) {
    if (std::none_of(region.voxels.begin(), region.voxels.end(), [&](std::size_t v) { return found[v]; }))
      continue;
    (region.region == "cord_surface" ? result.cord_surface : result.nerve_roots).push_back(std::move(region));
  }
  return result;
}

}  // namespace leptoscan::filters
