#include "filters/surface_distance.h"

#include <itkSignedMaurerDistanceMapImageFilter.h>

#include <algorithm>
#include <stdexcept>

#include "io/itk_volume.h"

namespace leptoscan::filters {

namespace {

using MaskImage = itk::Image<unsigned char, 3>;

// Maurer's distance (mm) from each voxel of `binary` (0/1) not of value `target` to the nearest centre of
// a voxel of that value; valid at those voxels only. ITK measures to the target voxels' contour, which
// holds the nearest target voxel of every voxel outside them.
io::FloatImage::Pointer DistanceToValue(const MaskImage& binary, unsigned char target) {
  auto maurer = itk::SignedMaurerDistanceMapImageFilter<MaskImage, io::FloatImage>::New();
  maurer->SetInput(&binary);
  maurer->SetBackgroundValue(static_cast<unsigned char>(1 - target));
  maurer->SetUseImageSpacing(true);
  maurer->SetSquaredDistance(false);
  maurer->Update();
  return maurer->GetOutput();
}

}  // namespace

io::Volume SignedDistanceMm(const io::Volume& mask) {
  if (std::none_of(mask.voxels.begin(), mask.voxels.end(), [](float v) { return v > 0; }))
    throw std::invalid_argument("distance map: the mask is empty");
  auto binary = MaskImage::New();
  io::SetItkGeometry(mask.geometry, *binary);
  binary->Allocate();
  unsigned char* in = binary->GetBufferPointer();
  for (std::size_t i = 0; i < mask.voxels.size(); ++i)
    in[i] = mask.voxels[i] > 0;

  // One signed map would do if ITK measured inside distances to the outside's voxel centres, but it
  // measures them to the mask's fully connected contour, up to a voxel short of the surface (a voxel 3 mm
  // deep read 1.9 mm on a brain's folds). Each side is measured from the other's voxel centres instead;
  // the surface lies half a voxel nearer, between the last inside and the first outside centre.
  const io::FloatImage::Pointer to_mask = DistanceToValue(*binary, 1);
  const io::FloatImage::Pointer to_outside = DistanceToValue(*binary, 0);
  const auto& spacing = mask.geometry.spacing_mm;
  const float half_voxel = static_cast<float>(0.5 * *std::min_element(spacing.begin(), spacing.end()));
  io::Volume out;
  out.geometry = mask.geometry;
  out.voxels.resize(mask.voxels.size());
  const float* outside = to_mask->GetBufferPointer();
  const float* inside = to_outside->GetBufferPointer();
  for (std::size_t i = 0; i < out.voxels.size(); ++i)
    out.voxels[i] = in[i] ? half_voxel - inside[i] : outside[i] - half_voxel;
  return out;
}

std::optional<io::Volume> DistanceToCore(const io::Volume& mask, double radius_mm) {
  if (std::none_of(mask.voxels.begin(), mask.voxels.end(), [](float v) { return v > 0; }))
    return std::nullopt;
  io::Volume core = SignedDistanceMm(mask);
  bool any = false;
  for (float& v : core.voxels) {
    v = v < -radius_mm ? 1.0f : 0.0f;
    any = any || v > 0;
  }
  core.integer_valued = true;
  if (!any) return std::nullopt;
  return SignedDistanceMm(core);
}

io::Volume PialDistanceMap(const io::Volume& brain_mask) {
  io::Volume distance = SignedDistanceMm(brain_mask);
  for (float& d : distance.voxels)
    d = -d;
  return distance;
}

io::Volume EpendymalDistanceMap(const io::Volume& ventricle_mask) {
  return SignedDistanceMm(ventricle_mask);
}

}  // namespace leptoscan::filters
