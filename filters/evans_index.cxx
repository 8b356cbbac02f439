#include "filters/evans_index.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "filters/input_checks.h"
#include "filters/rigid_registration.h"

namespace leptoscan::filters {
namespace {

struct Box {
  std::array<double, 3> lo{std::numeric_limits<double>::max(), std::numeric_limits<double>::max(),
                           std::numeric_limits<double>::max()};
  std::array<double, 3> hi{std::numeric_limits<double>::lowest(), std::numeric_limits<double>::lowest(),
                           std::numeric_limits<double>::lowest()};
  bool empty() const { return lo[0] > hi[0]; }
};

// LPS bounding box of the voxel centres of a mask.
Box WorldBox(const io::Volume& mask) {
  Box box;
  const auto& g = mask.geometry;
  std::size_t index = 0;
  for (std::size_t k = 0; k < g.size[2]; ++k) {
    for (std::size_t j = 0; j < g.size[1]; ++j) {
      for (std::size_t i = 0; i < g.size[0]; ++i, ++index) {
        if (mask.voxels[index] <= 0) continue;
        const auto p = g.IndexToPoint(i, j, k);
        for (int a = 0; a < 3; ++a)
          box.lo[a] = std::min(box.lo[a], p[a]), box.hi[a] = std::max(box.hi[a], p[a]);
      }
    }
  }
  return box;
}

// The widest left-right span (mm) over the rows of slice k whose y index lies in [j_from, j_to).
double WidestRow(const io::Volume& axial, std::size_t k, std::size_t j_from, std::size_t j_to) {
  const auto& g = axial.geometry;
  std::size_t widest = 0;
  for (std::size_t j = j_from; j < j_to; ++j) {
    const float* row = axial.voxels.data() + (k * g.size[1] + j) * g.size[0];
    const auto first = std::find_if(row, row + g.size[0], [](float v) { return v >= 0.5f; });
    if (first == row + g.size[0]) continue;
    const auto last = std::find_if(std::make_reverse_iterator(row + g.size[0]),
                                   std::make_reverse_iterator(row), [](float v) { return v >= 0.5f; });
    widest = std::max<std::size_t>(widest, last.base() - first);
  }
  return widest * g.spacing_mm[0];
}

}  // namespace

VentricleMeasures MeasureVentricles(const io::Volume& ventricles, const io::Volume& inner_skull,
                                    const EvansOptions& options) {
  if (!SameGrid(ventricles.geometry, inner_skull.geometry))
    throw std::invalid_argument("Evans index: the ventricle and inner-skull masks are not on one grid");
  const Box horns = WorldBox(ventricles), skull = WorldBox(inner_skull);
  if (horns.empty() || skull.empty())
    throw std::invalid_argument("Evans index: the ventricle or inner-skull mask is empty");

  VentricleMeasures out;
  const auto& s = ventricles.geometry.spacing_mm;
  out.ventricular_volume_ml =
      std::count_if(ventricles.voxels.begin(), ventricles.voxels.end(), [](float v) { return v > 0; }) *
      s[0] * s[1] * s[2] / 1000.0;

  // An LPS-aligned grid over the skull's extent in plane and the ventricles' extent in height, so that
  // rows run left-right and slices are axial in the patient's frame.
  io::VolumeGeometry axial;
  const double margin = 2 * *std::max_element(s.begin(), s.end());
  const std::array<double, 3> step{options.in_plane_mm, options.in_plane_mm, options.slice_mm};
  for (int a = 0; a < 3; ++a) {
    const Box& box = a < 2 ? skull : horns;
    axial.origin_mm[a] = box.lo[a] - margin;
    axial.spacing_mm[a] = step[a];
    axial.size[a] = static_cast<std::size_t>(std::ceil((box.hi[a] - box.lo[a] + 2 * margin) / step[a])) + 1;
  }
  const auto identity = SpatialTransform::Identity(TransformKind::kRigid);
  const io::Volume axial_horns = ResampleOnto(ventricles, axial, identity);
  const io::Volume axial_skull = ResampleOnto(inner_skull, axial, identity);

  // LPS y grows towards the back: the frontal rows run from the ventricles' front end backwards.
  const double frontal_end = horns.lo[1] + options.frontal_fraction * (horns.hi[1] - horns.lo[1]);
  const auto frontal_rows = static_cast<std::size_t>(
      std::clamp((frontal_end - axial.origin_mm[1]) / step[1] + 1, 0.0, static_cast<double>(axial.size[1])));
  for (std::size_t k = 0; k < axial.size[2]; ++k) {
    const double width = WidestRow(axial_horns, k, 0, frontal_rows);
    if (width <= out.frontal_horn_width_mm) continue;
    out.frontal_horn_width_mm = width;
    out.inner_skull_width_mm = WidestRow(axial_skull, k, 0, axial.size[1]);
    out.axial_level_mm = axial.origin_mm[2] + k * step[2];
  }
  out.evans_index = out.inner_skull_width_mm > 0 ? out.frontal_horn_width_mm / out.inner_skull_width_mm : 0;
  return out;
}

}  // namespace leptoscan::filters
