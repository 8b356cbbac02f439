#include "filters/brain_mask.h"

#include <itkOtsuThresholdImageFilter.h>

#include <algorithm>
#include <stdexcept>

#include "filters/binary_masks.h"
#include "filters/input_checks.h"
#include "filters/intensity_normalization.h"
#include "filters/surface_distance.h"
#include "io/itk_volume.h"

namespace leptoscan::filters {
namespace {

// Otsu splits air from tissue; the largest bright component with its holes filled is the head, the dark
// skull and CSF inside it included.
io::Volume HeadMask(const io::Volume& t1) {
  auto otsu = itk::OtsuThresholdImageFilter<io::FloatImage, itk::Image<unsigned char, 3>>::New();
  otsu->SetInput(io::ViewAsItk(t1));
  otsu->Update();
  const float threshold = static_cast<float>(otsu->GetThreshold());
  return FillHoles(
      LargestComponent(MaskWhere(t1.geometry, [&](std::size_t i) { return t1.voxels[i] > threshold; })));
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
  const io::Volume eroded = LargestComponent(
      MaskWhere(t1.geometry, [&](std::size_t i) { return tissue_depth.voxels[i] < -options.separation_mm; }));
  if (std::none_of(eroded.voxels.begin(), eroded.voxels.end(), [](float v) { return v > 0; }))
    throw std::invalid_argument("brain extraction: no brain-like tissue thicker than the separation depth");

  const io::Volume from_core = SignedDistanceMm(eroded);
  const io::Volume reachable = MaskWhere(t1.geometry, [&](std::size_t i) {
    return tissue.voxels[i] > 0 && from_core.voxels[i] < options.reach_mm;
  });
  out.brain = FillHoles(ComponentsTouching(reachable, eroded));
  return out;
}

}  // namespace leptoscan::filters
