#include "filters/spine_anatomy.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <opencv2/imgproc.hpp>
#include <stdexcept>
#include <vector>

#include "filters/binary_masks.h"
#include "filters/input_checks.h"
#include "filters/surface_distance.h"
#include "filters/tissue_classes.h"

namespace leptoscan::filters {
namespace {

// The index axes of the grid nearest to the patient's left-right, front-back and foot-head axes, with
// the buffer stride of each: a sagittal series may be planned a few degrees off the body's axes.
struct Axes {
  unsigned lr = 0, ap = 1, si = 2;
  std::array<std::size_t, 3> stride{};
  std::array<std::size_t, 3> size{};
  std::array<double, 3> spacing{};
  bool head_first = true;    // the si index grows towards the head (LPS +z)
  bool posterior_up = true;  // the ap index grows towards the back (LPS +y)
};

Axes AxesOf(const io::VolumeGeometry& g) {
  const PatientAxes nearest = NearestPatientAxes(g);
  Axes axes;
  axes.lr = nearest.lr, axes.ap = nearest.ap, axes.si = nearest.si;
  axes.stride = {g.Stride(0), g.Stride(1), g.Stride(2)};
  axes.size = g.size;
  axes.spacing = g.spacing_mm;
  axes.head_first = g.direction[2 * 3 + axes.si] > 0;
  axes.posterior_up = g.direction[1 * 3 + axes.ap] > 0;
  return axes;
}

std::size_t Offset(const Axes& axes, std::size_t lr, std::size_t ap, std::size_t si) {
  return lr * axes.stride[axes.lr] + ap * axes.stride[axes.ap] + si * axes.stride[axes.si];
}

double Quantile(std::vector<float> values, double q) {
  if (values.empty()) return 0;
  const auto middle = values.begin() + static_cast<std::ptrdiff_t>(q * (values.size() - 1));
  std::nth_element(values.begin(), middle, values.end());
  return *middle;
}

// Intensity bounds from a three-class split of the body (air left out): dark (CSF, cortical bone, dura,
// veins), tissue (cord, roots, muscle, marrow, discs) and fat.
struct Bounds {
  double dark_below = 0, fat_from = 0;
};

// The sac's CSF is darker than csf_below; what is brighter than fat_from is fat, outside it.
struct SacLevels {
  double csf_below = 0, fat_from = 0;
};

Bounds IntensityBounds(const io::Volume& t1) {
  std::vector<float> sorted(t1.voxels.begin(), t1.voxels.end());
  const auto top = sorted.begin() + static_cast<std::ptrdiff_t>(0.99 * (sorted.size() - 1));
  std::nth_element(sorted.begin(), top, sorted.end());
  const double air_below = 0.05 * *top;
  const io::Volume body = MaskWhere(t1.geometry, [&](std::size_t v) { return t1.voxels[v] > air_below; });
  const TissueClasses classes = ClassifyTissues(t1, body);
  // Fat from three quarters of the way up: the tissue class's mean is muscle's, and a coil field of +-10%
  // lifts the brighter cord past the halfway mark in places.
  return {(classes.means[0] + classes.means[1]) / 2,
          classes.means[1] + 0.75 * (classes.means[2] - classes.means[1])};
}

// Voxels of front-to-back profiles of tissue between dark voxels in front and behind, as deep as a cord:
// in a sagittal T1 the cord is such a band all along the canal, with CSF on both sides.
io::Volume CordProfiles(const io::Volume& t1, const Axes& axes, const Bounds& bounds,
                        const SpineAnatomyOptions& options) {
  io::Volume out = MaskWhere(t1.geometry, [](std::size_t) { return false; });
  const std::size_t n = axes.size[axes.ap], step = axes.stride[axes.ap];
  const double depth_mm = axes.spacing[axes.ap];
  const auto dark = [&](float value) { return value < bounds.dark_below; };
  const auto tissue = [&](float value) { return value >= bounds.dark_below && value < bounds.fat_from; };
  for (std::size_t si = 0; si < axes.size[axes.si]; ++si) {
    for (std::size_t lr = 0; lr < axes.size[axes.lr]; ++lr) {
      const std::size_t base = Offset(axes, lr, 0, si);
      std::size_t a = 0;
      while (a < n) {
        if (!tissue(t1.voxels[base + a * step])) {
          ++a;
          continue;
        }
        std::size_t b = a;
        while (b < n && tissue(t1.voxels[base + b * step]))
          ++b;
        const double run_mm = (b - a) * depth_mm;
        if (a > 0 && b < n && dark(t1.voxels[base + (a - 1) * step]) && dark(t1.voxels[base + b * step]) &&
            run_mm >= options.min_cord_depth_mm && run_mm <= options.max_cord_depth_mm) {
          for (std::size_t c = a; c < b; ++c)
            out.voxels[base + c * step] = 1;
        }
        a = b;
      }
    }
  }
  return out;
}

// Face-connected components (6-neighbours): a cord profile and a vertebral body's profile in the plane
// beside it touch at a corner where the thin dark band between them is lost to partial volume.
std::vector<unsigned> FaceComponents(const io::Volume& mask, unsigned* count) {
  const auto& size = mask.geometry.size;
  std::vector<unsigned> component(mask.voxels.size(), 0);
  std::vector<std::size_t> queue;
  *count = 0;
  for (std::size_t start = 0; start < mask.voxels.size(); ++start) {
    if (mask.voxels[start] <= 0 || component[start] != 0) continue;
    component[start] = ++*count;
    queue.assign(1, start);
    while (!queue.empty()) {
      const std::size_t v = queue.back();
      queue.pop_back();
      const auto index = mask.geometry.VoxelIndex(v);
      for (unsigned a = 0; a < 3; ++a) {
        for (int sign : {-1, 1}) {
          if ((sign < 0 && index[a] == 0) || (sign > 0 && index[a] + 1 == size[a])) continue;
          const std::size_t w = sign < 0 ? v - mask.geometry.Stride(a) : v + mask.geometry.Stride(a);
          if (mask.voxels[w] > 0 && component[w] == 0) component[w] = *count, queue.push_back(w);
        }
      }
    }
  }
  return component;
}

// The component of `profiles` spanning the most planes top to bottom: the cord. Laminae, spinous processes
// and the odd vertebral body also make such profiles, but over a vertebra's height at most.
io::Volume LongestComponent(const io::Volume& profiles, const Axes& axes,
                            const SpineAnatomyOptions& options) {
  unsigned count = 0;
  const std::vector<unsigned> component = FaceComponents(profiles, &count);
  std::vector<std::size_t> lo(count + 1, std::numeric_limits<std::size_t>::max()), hi(count + 1, 0);
  for (std::size_t v = 0; v < component.size(); ++v) {
    if (component[v] == 0) continue;
    const std::size_t si = v / axes.stride[axes.si] % axes.size[axes.si];
    lo[component[v]] = std::min(lo[component[v]], si);
    hi[component[v]] = std::max(hi[component[v]], si);
  }
  unsigned best = 0;
  for (unsigned c = 1; c <= count; ++c)
    if (best == 0 || hi[c] - lo[c] > hi[best] - lo[best]) best = c;
  if (best == 0 || (hi[best] - lo[best] + 1) * axes.spacing[axes.si] < options.min_cord_length_mm)
    throw std::invalid_argument("spine anatomy: no spinal cord found (no band of cord tissue between CSF)");
  return MaskWhere(profiles.geometry, [&](std::size_t v) { return component[v] == best; });
}

// The cord: voxels brighter than midway between CSF and cord near the cord's profiles (the profiles take
// partial-volume voxels too, and miss planes where noise broke them).
io::Volume GrowCord(const io::Volume& t1, const io::Volume& profiles, double cord_from, double fat_from,
                    double reach_mm) {
  const io::Volume distance = SignedDistanceMm(profiles);
  return MaskWhere(t1.geometry, [&](std::size_t v) {
    return distance.voxels[v] < reach_mm && t1.voxels[v] >= cord_from && t1.voxels[v] < fat_from;
  });
}

// Keeps the voxels of `mask` in runs along the si axis at least min_run long: the sac runs the length of
// the canal, while CSF-dark cortex of an endplate it reached through partial volume is a voxel or two thick.
io::Volume OpenAlong(const io::Volume& mask, const Axes& axes, std::size_t min_run) {
  io::Volume out = mask;
  const std::size_t n = axes.size[axes.si], step = axes.stride[axes.si];
  for (std::size_t ap = 0; ap < axes.size[axes.ap]; ++ap) {
    for (std::size_t lr = 0; lr < axes.size[axes.lr]; ++lr) {
      const std::size_t base = Offset(axes, lr, ap, 0);
      for (std::size_t a = 0; a < n;) {
        if (mask.voxels[base + a * step] <= 0) {
          ++a;
          continue;
        }
        std::size_t b = a;
        while (b < n && mask.voxels[base + b * step] > 0)
          ++b;
        if (b - a < min_run)
          for (std::size_t c = a; c < b; ++c)
            out.voxels[base + c * step] = 0;
        a = b;
      }
    }
  }
  return out;
}

// The pixels of one plane across the canal (fixed si), as buffer offsets, and their positions in mm.
struct Plane {
  std::vector<std::size_t> offsets;
  std::vector<std::array<double, 2>> mm;  // (lr, ap)
};

Plane PlaneAt(const Axes& axes, std::size_t si) {
  Plane plane;
  for (std::size_t ap = 0; ap < axes.size[axes.ap]; ++ap) {
    for (std::size_t lr = 0; lr < axes.size[axes.lr]; ++lr) {
      plane.offsets.push_back(Offset(axes, lr, ap, si));
      plane.mm.push_back({lr * axes.spacing[axes.lr], ap * axes.spacing[axes.ap]});
    }
  }
  return plane;
}

// Flood fill in one plane (4-connected) through `passable` from the seed pixels, never farther than
// reach_mm from the nearest seed. Returns the pixels reached, as plane indices.
std::vector<std::size_t> FillFromSeeds(const Axes& axes, const Plane& plane,
                                       const std::vector<bool>& passable,
                                       const std::vector<std::size_t>& seeds, double reach_mm) {
  const std::size_t width = axes.size[axes.lr], height = axes.size[axes.ap];
  std::vector<bool> seen(plane.offsets.size(), false);
  std::vector<std::size_t> reached, queue = seeds;
  for (std::size_t s : seeds)
    seen[s] = true;
  const auto near_seed = [&](std::size_t p) {
    for (std::size_t s : seeds) {
      const double dx = plane.mm[p][0] - plane.mm[s][0], dy = plane.mm[p][1] - plane.mm[s][1];
      if (dx * dx + dy * dy <= reach_mm * reach_mm) return true;
    }
    return false;
  };
  while (!queue.empty()) {
    const std::size_t p = queue.back();
    queue.pop_back();
    reached.push_back(p);
    const std::size_t x = p % width, y = p / width;
    const std::size_t next[4] = {x > 0 ? p - 1 : p, x + 1 < width ? p + 1 : p, y > 0 ? p - width : p,
                                 y + 1 < height ? p + width : p};
    for (std::size_t q : next) {
      if (seen[q] || !passable[q]) continue;
      seen[q] = true;
      if (near_seed(q)) queue.push_back(q);
    }
  }
  return reached;
}

// The median of each voxel's 3 x 3 neighbourhood in its sagittal plane (front-back by foot-head, the 1 mm
// axes): CSF noise that a strict threshold would punch holes with goes, the edges of the sac stay.
io::Volume SagittalMedian(const io::Volume& t1, const Axes& axes) {
  io::Volume out = t1;
  const std::size_t ap_step = axes.stride[axes.ap], si_step = axes.stride[axes.si];
  for (std::size_t v = 0; v < t1.voxels.size(); ++v) {
    const auto index = t1.geometry.VoxelIndex(v);
    const std::size_t ap = index[axes.ap], si = index[axes.si];
    if (ap == 0 || si == 0 || ap + 1 == axes.size[axes.ap] || si + 1 == axes.size[axes.si]) continue;
    std::array<float, 9> window;
    std::size_t n = 0;
    for (std::size_t b = 0; b < 3; ++b)
      for (std::size_t a = 0; a < 3; ++a)
        window[n++] = t1.voxels[v + a * ap_step + b * si_step - ap_step - si_step];
    std::nth_element(window.begin(), window.begin() + 4, window.end());
    out.voxels[v] = window[4];
  }
  return out;
}

// The pixels of a plane (indices lr + ap * width, as PlaneAt orders them) in the convex hull of `pixels`.
std::vector<std::size_t> PlaneHull(const Axes& axes, const std::vector<std::size_t>& pixels) {
  if (pixels.size() < 3) return pixels;
  const std::size_t width = axes.size[axes.lr];
  std::vector<cv::Point> points;
  for (std::size_t p : pixels)
    points.emplace_back(static_cast<int>(p % width), static_cast<int>(p / width));
  std::vector<cv::Point> hull;
  cv::convexHull(points, hull);
  cv::Mat plane = cv::Mat::zeros(static_cast<int>(axes.size[axes.ap]), static_cast<int>(width), CV_8U);
  cv::fillConvexPoly(plane, hull, cv::Scalar(1));
  std::vector<std::size_t> inside;
  for (int ap = 0; ap < plane.rows; ++ap)
    for (int lr = 0; lr < plane.cols; ++lr)
      if (plane.at<unsigned char>(ap, lr)) inside.push_back(static_cast<std::size_t>(ap) * width + lr);
  return inside;
}

// Each plane's sac filled to its convex hull: a cross-section of the sac is an ellipse, and what is tissue
// before contrast in it (a nodule, a bundle of roots) against its wall leaves a bay the CSF does not close.
io::Volume ConvexPlanes(const io::Volume& sac, const Axes& axes) {
  io::Volume out = sac;
  for (std::size_t si = 0; si < axes.size[axes.si]; ++si) {
    const Plane plane = PlaneAt(axes, si);
    std::vector<std::size_t> pixels;
    for (std::size_t p = 0; p < plane.offsets.size(); ++p)
      if (sac.voxels[plane.offsets[p]] > 0) pixels.push_back(p);
    for (std::size_t p : PlaneHull(axes, pixels))
      out.voxels[plane.offsets[p]] = 1;
  }
  return out;
}

// The sac's greatest depth front to back in a plane (pixels), over its columns left to right.
std::size_t PlaneDepth(const Axes& axes, const std::vector<std::size_t>& pixels) {
  const std::size_t width = axes.size[axes.lr];
  std::vector<std::size_t> lo(width, std::numeric_limits<std::size_t>::max()), hi(width, 0);
  std::size_t depth = 0;
  for (std::size_t p : pixels) {
    const std::size_t lr = p % width, ap = p / width;
    lo[lr] = std::min(lo[lr], ap), hi[lr] = std::max(hi[lr], ap);
    depth = std::max(depth, hi[lr] - lo[lr] + 1);
  }
  return depth;
}

// Keeps the pixels within depth_px of the back wall of their column: behind the sac the epidural fat marks
// the wall well; in front the dura and veins are nearly as dark as CSF, and a sac tracked plane by plane
// would creep forward through them.
std::vector<std::size_t> FromBackWall(const Axes& axes, std::vector<std::size_t> pixels,
                                      std::size_t depth_px) {
  const std::size_t width = axes.size[axes.lr];
  std::vector<std::size_t> back(width, 0), front(width, std::numeric_limits<std::size_t>::max());
  for (std::size_t p : pixels)
    back[p % width] = std::max(back[p % width], p / width),
             front[p % width] = std::min(front[p % width], p / width);
  pixels.erase(std::remove_if(pixels.begin(), pixels.end(),
                              [&](std::size_t p) {
                                const std::size_t lr = p % width, ap = p / width;
                                return axes.posterior_up ? back[lr] - ap >= depth_px
                                                         : ap - front[lr] >= depth_px;
                              }),
               pixels.end());
  return pixels;
}

// The thecal sac plane by plane from the head down: CSF reached from the cord; below the conus, CSF reached
// from the sac of the plane above, with what that sac held that is not fat here (roots and nodules that
// fill the sac's width, and their partial volume, which no CSF reaches), no deeper than the sac just above
// the conus.
io::Volume ThecalSac(const io::Volume& t1, const io::Volume& cord, const io::Volume& cord_distance,
                     const Axes& axes, const SacLevels& levels, const SpineAnatomyOptions& options) {
  io::Volume sac = MaskWhere(t1.geometry, [](std::size_t) { return false; });
  const std::size_t planes = axes.size[axes.si];
  std::vector<std::size_t> previous;  // plane indices of the sac in the plane above
  std::vector<std::size_t> depths;    // of the planes with cord
  bool cord_seen = false;
  for (std::size_t n = 0; n < planes; ++n) {
    const std::size_t si = axes.head_first ? planes - 1 - n : n;
    const Plane plane = PlaneAt(axes, si);
    std::vector<bool> passable(plane.offsets.size());
    std::vector<std::size_t> seeds;
    for (std::size_t p = 0; p < plane.offsets.size(); ++p) {
      const std::size_t v = plane.offsets[p];
      // The partial-volume rim of the cord joins the CSF around it.
      passable[p] = t1.voxels[v] < levels.csf_below || cord_distance.voxels[v] < options.cord_rim_mm;
      if (cord.voxels[v] > 0) seeds.push_back(p);
    }
    if (!seeds.empty()) {
      cord_seen = true;
      previous = FillFromSeeds(axes, plane, passable, seeds, options.max_sac_reach_mm);
      depths.push_back(PlaneDepth(axes, previous));
    } else if (cord_seen) {
      for (std::size_t p : previous)
        if (passable[p]) seeds.push_back(p);
      std::vector<std::size_t> reached = FillFromSeeds(axes, plane, passable, seeds, options.sac_step_mm);
      std::vector<bool> in(plane.offsets.size(), false);
      for (std::size_t p : reached)
        in[p] = true;
      // Where the CSF runs out, the sac ends (in bone and fat): nothing is carried on.
      if (reached.size() >= options.min_csf_share * previous.size()) {
        for (std::size_t p : previous)
          if (!in[p] && t1.voxels[plane.offsets[p]] < levels.fat_from) reached.push_back(p);
      }
      // The sac's depth over the last 30 mm of cord, and a voxel of margin.
      const std::size_t last = std::min(depths.size(), static_cast<std::size_t>(30 / axes.spacing[axes.si]));
      std::vector<std::size_t> recent(depths.end() - static_cast<std::ptrdiff_t>(last), depths.end());
      std::nth_element(recent.begin(), recent.begin() + recent.size() / 2, recent.end());
      previous = PlaneHull(axes, FromBackWall(axes, reached, recent[recent.size() / 2] + 1));
    }
    for (std::size_t p : previous)
      sac.voxels[plane.offsets[p]] = 1;
  }
  // CSF-dark cortex of endplates the sac reached, then the sac's cross-sections made whole.
  const auto min_run = static_cast<std::size_t>(std::ceil(options.min_sac_run_mm / axes.spacing[axes.si]));
  return ConvexPlanes(OpenAlong(sac, axes, min_run), axes);
}

// The sac's edge at half height: a voxel beside the sac (front-back or left-right) joins it when it is
// darker than midway between the CSF and the brightest voxel beyond it. Behind and beside the sac the
// epidural fat is bright, so a voxel mostly CSF joins; in front the dura and veins read nearly as dark as
// CSF, and only voxels as dark as CSF join.
io::Volume AddHalfHeightRim(const io::Volume& t1, const io::Volume& sac, const Axes& axes, double csf) {
  io::Volume out = sac;
  const auto& size = t1.geometry.size;
  for (std::size_t v = 0; v < sac.voxels.size(); ++v) {
    if (sac.voxels[v] > 0) continue;
    const auto index = t1.geometry.VoxelIndex(v);
    bool beside_sac = false;
    double beyond = t1.voxels[v];
    for (unsigned a : {axes.ap, axes.lr}) {
      for (int sign : {-1, 1}) {
        if ((sign < 0 && index[a] == 0) || (sign > 0 && index[a] + 1 == size[a])) continue;
        const std::size_t w = sign < 0 ? v - axes.stride[a] : v + axes.stride[a];
        if (sac.voxels[w] > 0) {
          beside_sac = true;
        } else {
          beyond = std::max(beyond, static_cast<double>(t1.voxels[w]));
        }
      }
    }
    if (beside_sac && t1.voxels[v] < (csf + beyond) / 2) out.voxels[v] = 1;
  }
  return out;
}

std::array<double, 3> ConusTip(const io::Volume& cord) {
  std::array<double, 3> tip{0, 0, std::numeric_limits<double>::infinity()};
  for (std::size_t v = 0; v < cord.voxels.size(); ++v) {
    if (cord.voxels[v] <= 0) continue;
    const auto p = cord.geometry.VoxelCentre(v);
    if (p[2] < tip[2]) tip = p;
  }
  return tip;
}

}  // namespace

PatientAxes NearestPatientAxes(const io::VolumeGeometry& g) {
  const auto nearest = [&](unsigned lps) {
    unsigned best = 0;
    for (unsigned a = 1; a < 3; ++a)
      if (std::abs(g.direction[lps * 3 + a]) > std::abs(g.direction[lps * 3 + best])) best = a;
    return best;
  };
  const PatientAxes axes{nearest(0), nearest(1), nearest(2)};
  if (axes.lr == axes.ap || axes.lr == axes.si || axes.ap == axes.si)
    throw std::invalid_argument("spine anatomy: the series is too oblique to tell its axes apart");
  return axes;
}

SpineMasks SegmentSpine(const io::Volume& t1, const SpineAnatomyOptions& options) {
  if (const std::string problem = ProblemFor3D(t1); !problem.empty())
    throw std::invalid_argument("spine anatomy: the T1 series is " + problem);
  const Axes axes = AxesOf(t1.geometry);
  const Bounds bounds = IntensityBounds(t1);
  SpineMasks masks;
  const io::Volume profiles = LongestComponent(CordProfiles(t1, axes, bounds, options), axes, options);
  // The sac's CSF level from the dark voxels around the cord (its lower quartile: partial volume with the
  // cord and the dura brightens the rest), the cord's from its profiles.
  const io::Volume profile_distance = SignedDistanceMm(profiles);
  std::vector<float> cord_values, csf_values;
  for (std::size_t v = 0; v < t1.voxels.size(); ++v) {
    if (profiles.voxels[v] > 0) cord_values.push_back(t1.voxels[v]);
    const double d = profile_distance.voxels[v];
    if (d > 0 && d < 2.5 && t1.voxels[v] < bounds.dark_below) csf_values.push_back(t1.voxels[v]);
  }
  masks.cord_intensity = Quantile(cord_values, 0.5);
  masks.csf_intensity = Quantile(csf_values, options.csf_quantile);
  masks.cord = GrowCord(t1, profiles, (masks.cord_intensity + masks.csf_intensity) / 2, bounds.fat_from,
                        options.cord_edge_mm);
  // A nodule or noise darker than the cord inside it leaves holes, whose walls are no pia.
  masks.cord = FillHolesInSlices(masks.cord, axes.si);
  masks.cord_distance = SignedDistanceMm(masks.cord);
  const SacLevels levels{
      masks.csf_intensity + options.csf_fraction * (masks.cord_intensity - masks.csf_intensity),
      bounds.fat_from};
  masks.thecal_sac = AddHalfHeightRim(
      t1, ThecalSac(SagittalMedian(t1, axes), masks.cord, masks.cord_distance, axes, levels, options), axes,
      masks.csf_intensity);
  masks.conus_tip_mm = ConusTip(masks.cord);
  return masks;
}

SpineMasks MoveSpineMasks(const SpineMasks& masks, const io::VolumeGeometry& grid,
                          const SpatialTransform& transform) {
  // Linear interpolation cut at a half: the boundary moves with sub-voxel precision.
  const auto move = [&](const io::Volume& mask) {
    const io::Volume moved = ResampleOnto(mask, grid, transform);
    return MaskWhere(grid, [&](std::size_t v) { return moved.voxels[v] >= 0.5f; });
  };
  SpineMasks out = masks;
  out.cord = move(masks.cord);
  out.thecal_sac = move(masks.thecal_sac);
  out.cord_distance = SignedDistanceMm(out.cord);
  out.conus_tip_mm = ConusTip(out.cord);
  return out;
}

}  // namespace leptoscan::filters
