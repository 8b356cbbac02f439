#include "filters/inner_skull.h"

#include <itkMedianImageFilter.h>

#include <stdexcept>

#include "filters/binary_masks.h"
#include "filters/input_checks.h"
#include "filters/surface_distance.h"
#include "io/itk_volume.h"

namespace leptoscan::filters {

io::Volume InnerSkullMask(const io::Volume& t1, const BrainMasks& masks, const InnerSkullOptions& options,
                          const BrainMaskOptions& brain_options) {
  if (!SameGrid(masks.brain.geometry, t1.geometry))
    throw std::invalid_argument("inner skull: the brain mask is not on the image's grid");
  auto median = itk::MedianImageFilter<io::FloatImage, io::FloatImage>::New();
  median->SetInput(io::ViewAsItk(t1));
  median->SetRadius(1);
  median->Update();
  const float* smooth = median->GetOutput()->GetBufferPointer();

  const double w = masks.white_matter_intensity;
  const float bone = static_cast<float>(options.bone_fraction * w);
  const float tissue = static_cast<float>(brain_options.tissue_fraction * w);
  const io::Volume from_brain = SignedDistanceMm(masks.brain);
  // The partial-volume rims of the marrow and scalp are as grey as CSF: growing along them would wrap
  // the marrow, and the hole filling would then take the whole skull. Voxels that close are bone. Bright
  // voxels hugging the brain are its own grey-matter rim, left out of the mask by partial volume: taking
  // them for marrow would stop the growth at the pia.
  const io::Volume from_bright = SignedDistanceMm(MaskWhere(t1.geometry, [&](std::size_t i) {
    return smooth[i] > tissue && from_brain.voxels[i] > options.brain_rim_mm;
  }));
  const io::Volume passable = MaskWhere(t1.geometry, [&](std::size_t i) {
    return masks.brain.voxels[i] > 0 ||
           (smooth[i] > bone && smooth[i] <= tissue && from_brain.voxels[i] < options.reach_mm &&
            from_bright.voxels[i] > options.bright_margin_mm);
  });
  return FillHoles(ComponentsTouching(passable, masks.brain));
}

}  // namespace leptoscan::filters
