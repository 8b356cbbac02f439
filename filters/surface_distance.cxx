#include "filters/surface_distance.h"

#include <itkSignedMaurerDistanceMapImageFilter.h>

#include <algorithm>
#include <stdexcept>

#include "io/itk_volume.h"

namespace leptoscan::filters {

io::Volume SignedDistanceMm(const io::Volume& mask) {
  if (std::none_of(mask.voxels.begin(), mask.voxels.end(), [](float v) { return v > 0; }))
    throw std::invalid_argument("distance map: the mask is empty");
  using MaskImage = itk::Image<unsigned char, 3>;
  auto binary = MaskImage::New();
  io::SetItkGeometry(mask.geometry, *binary);
  binary->Allocate();
  unsigned char* in = binary->GetBufferPointer();
  for (std::size_t i = 0; i < mask.voxels.size(); ++i)
    in[i] = mask.voxels[i] > 0;

  // Squared distances would need a sqrt pass; spacing-aware so that anisotropic voxels measure in mm.
  auto maurer = itk::SignedMaurerDistanceMapImageFilter<MaskImage, io::FloatImage>::New();
  maurer->SetInput(binary);
  maurer->SetUseImageSpacing(true);
  maurer->SetSquaredDistance(false);
  maurer->SetInsideIsPositive(false);
  maurer->Update();
  // Maurer measures to the centres of the mask's border voxels; the surface lies half a voxel further
  // out, between the last inside and the first outside centre.
  const auto& spacing = mask.geometry.spacing_mm;
  const float half_voxel = static_cast<float>(0.5 * *std::min_element(spacing.begin(), spacing.end()));
  io::Volume out;
  out.geometry = mask.geometry;
  out.voxels.resize(mask.voxels.size());
  const float* distance = maurer->GetOutput()->GetBufferPointer();
  for (std::size_t i = 0; i < out.voxels.size(); ++i)
    out.voxels[i] = distance[i] - half_voxel;
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
