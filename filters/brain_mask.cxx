#include "filters/brain_mask.h"

#include <itkOtsuThresholdImageFilter.h>

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "filters/binary_masks.h"
#include "filters/input_checks.h"
#include "filters/intensity_normalization.h"
#include "filters/surface_distance.h"
#include "io/itk_volume.h"

namespace leptoscan::filters {
namespace {

// Otsu splits air from tissue; the largest bright component with its holes filled is the head, the dark
// skull and CSF inside it included. The dark inside of the skull may reach the air in 3-D through the
// skull base (foramina, sinuses, orbits are dark on T1 too): holes are also filled slice by slice along
// each axis, which closes the cranium in the slices that do not cut such an opening (a Colin27 phantom's
// head mask was nowhere deeper than 16 mm with the 3-D fill alone, 32 mm with both).
io::Volume HeadMask(const io::Volume& t1) {
  auto otsu = itk::OtsuThresholdImageFilter<io::FloatImage, itk::Image<unsigned char, 3>>::New();
  otsu->SetInput(io::ViewAsItk(t1));
  otsu->Update();
  const float threshold = static_cast<float>(otsu->GetThreshold());
  const io::Volume bright =
      LargestComponent(MaskWhere(t1.geometry, [&](std::size_t i) { return t1.voxels[i] > threshold; }));
  io::Volume head = FillHoles(bright);
  for (unsigned axis = 0; axis < 3; ++axis) {
    const io::Volume filled = FillHolesInSlices(bright, axis);
    for (std::size_t i = 0; i < head.voxels.size(); ++i)
      head.voxels[i] = std::max(head.voxels[i], filled.voxels[i]);
  }
  return head;
}

// The largest component of the eroded tissue is the cerebrum. The brainstem and the cerebellum join it
// through the peduncles, and the cerebellum's folia thin it, so the erosion may cut them off as components
// of their own: those of a fair size near the cerebrum are kept with it, unless they reach the edge of the
// field of view (the neck does, continuing out of it) or are brighter than white matter (fat).
io::Volume BrainCores(const io::Volume& t1, const io::Volume& eroded, double white_matter_intensity,
                      const BrainMaskOptions& options) {
  unsigned count = 0;
  const std::vector<unsigned> component = LabelComponents(eroded, &count);
  const std::vector<std::size_t> size = ComponentSizes(component, count);
  std::vector<double> intensity(count + 1, 0), gap(count + 1, std::numeric_limits<double>::max());
  std::vector<bool> at_edge(count + 1, false);
  for (std::size_t i = 0; i < component.size(); ++i)
    intensity[component[i]] += t1.voxels[i];
  const auto largest = static_cast<unsigned>(std::max_element(size.begin(), size.end()) - size.begin());
  const io::VolumeGeometry& g = eroded.geometry;
  const io::Volume from_largest =
      SignedDistanceMm(MaskWhere(g, [&](std::size_t i) { return component[i] == largest; }));
  for (std::size_t i = 0; i < component.size(); ++i) {
    const unsigned c = component[i];
    if (c == 0) continue;
    gap[c] = std::min<double>(gap[c], from_largest.voxels[i]);
    const auto index = g.VoxelIndex(i);
    for (int a = 0; a < 3; ++a) {
      const double from_face = std::min<double>(index[a], g.size[a] - 1 - index[a]) * g.spacing_mm[a];
      if (from_face < options.companion_edge_mm) at_edge[c] = true;
    }
  }
  std::vector<bool> keep(count + 1, false);
  for (unsigned c = 1; c <= count; ++c) {
    keep[c] = c == largest ||
              (static_cast<double>(size[c]) >= options.companion_share * static_cast<double>(size[largest]) &&
               gap[c] <= options.companion_gap_mm && !at_edge[c] &&
               intensity[c] / static_cast<double>(size[c]) <= white_matter_intensity);
  }
  return MaskWhere(g, [&](std::size_t i) { return keep[component[i]]; });
}

// The ventricles reach the subarachnoid space through the fourth ventricle's foramina and the choroidal
// fissure, so the 3-D fill may leave them out; in slices the brain encloses them. Cavities enclosed in the
// axial, coronal and sagittal slices alike (a sulcus or fissure is open to the surface in one of them at
// least) that make a 3-D region of a ventricle's size join the brain.
io::Volume WithVentricles(const io::Volume& brain, const BrainMaskOptions& options) {
  io::Volume cavities = MaskWhere(brain.geometry, [&](std::size_t i) { return brain.voxels[i] == 0; });
  for (unsigned axis = 0; axis < 3; ++axis) {
    const io::Volume filled = FillHolesInSlices(brain, axis);
    for (std::size_t i = 0; i < filled.voxels.size(); ++i)
      if (filled.voxels[i] == 0) cavities.voxels[i] = 0;
  }
  unsigned count = 0;
  const std::vector<unsigned> component = LabelComponents(cavities, &count);
  const std::vector<std::size_t> size = ComponentSizes(component, count);
  const io::VolumeGeometry& g = brain.geometry;
  const double voxel_ml = g.VoxelVolumeMm3() / 1000;
  io::Volume out = brain;
  for (std::size_t i = 0; i < component.size(); ++i) {
    if (component[i] != 0 && static_cast<double>(size[component[i]]) * voxel_ml >= options.min_ventricle_ml)
      out.voxels[i] = 1;
  }
  return out;
}

}  // namespace

BrainMasks ExtractBrain(const io::Volume& t1, const BrainMaskOptions& options) {
  const std::string problem = ProblemFor3D(t1);
  if (!problem.empty()) throw std::invalid_argument("brain extraction: the image " + problem);
  BrainMasks out;
  out.head = HeadMask(t1);

  const io::Volume head_depth = SignedDistanceMm(out.head);
  const io::Volume core = MaskWhere(
      t1.geometry, [&](std::size_t i) { return head_depth.voxels[i] < -options.head_core_depth_mm; });
  out.white_matter_intensity = WhiteMatterPeak(t1, core);

  const float tissue_threshold = static_cast<float>(options.tissue_fraction * out.white_matter_intensity);
  const io::Volume tissue = MaskWhere(
      t1.geometry, [&](std::size_t i) { return out.head.voxels[i] > 0 && t1.voxels[i] > tissue_threshold; });
  const io::Volume tissue_depth = SignedDistanceMm(tissue);
  const io::Volume eroded = BrainCores(
      t1,
      MaskWhere(t1.geometry, [&](std::size_t i) { return tissue_depth.voxels[i] < -options.separation_mm; }),
      out.white_matter_intensity, options);
  if (std::none_of(eroded.voxels.begin(), eroded.voxels.end(), [](float v) { return v > 0; }))
    throw std::invalid_argument("brain extraction: no brain-like tissue thicker than the separation depth");

  const io::Volume from_core = SignedDistanceMm(eroded);
  const io::Volume reachable = MaskWhere(t1.geometry, [&](std::size_t i) {
    return tissue.voxels[i] > 0 && from_core.voxels[i] < options.reach_mm;
  });
  out.brain = WithVentricles(FillHoles(ComponentsTouching(reachable, eroded)), options);
  return out;
}

}  // namespace leptoscan::filters
