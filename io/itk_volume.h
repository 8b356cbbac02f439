// Bridges io::Volume and itk::Image. Include only from .cxx files: it pulls in ITK's templates.
#pragma once

#include <itkImage.h>
#include <itkImportImageContainer.h>

#include "io/volume.h"

namespace leptoscan::io {

using FloatImage = itk::Image<float, 3>;

// Sets an ITK image's grid (size, spacing, origin, direction) from a volume geometry.
template <typename Image>
void SetItkGeometry(const VolumeGeometry& g, Image& image) {
  typename Image::RegionType region;
  typename Image::SpacingType spacing;
  typename Image::PointType origin;
  typename Image::DirectionType direction;
  for (unsigned a = 0; a < 3; ++a) {
    region.SetSize(a, g.size[a]);
    spacing[a] = g.spacing_mm[a];
    origin[a] = g.origin_mm[a];
    for (unsigned b = 0; b < 3; ++b)
      direction(a, b) = g.direction[a * 3 + b];
  }
  image.SetRegions(region);
  image.SetSpacing(spacing);
  image.SetOrigin(origin);
  image.SetDirection(direction);
}

template <typename Image>
VolumeGeometry GeometryOf(const Image& image) {
  VolumeGeometry g;
  const auto size = image.GetLargestPossibleRegion().GetSize();
  for (unsigned a = 0; a < 3; ++a) {
    g.size[a] = size[a];
    g.spacing_mm[a] = image.GetSpacing()[a];
    g.origin_mm[a] = image.GetOrigin()[a];
    for (unsigned b = 0; b < 3; ++b)
      g.direction[a * 3 + b] = image.GetDirection()(a, b);
  }
  return g;
}

// A float image that views the volume's voxels without copying; the volume must outlive it.
inline FloatImage::Pointer ViewAsItk(const Volume& volume) {
  auto image = FloatImage::New();
  SetItkGeometry(volume.geometry, *image);
  auto container = itk::ImportImageContainer<itk::SizeValueType, float>::New();
  container->SetImportPointer(const_cast<float*>(volume.voxels.data()), volume.voxels.size(),
                              /*LetContainerManageMemory=*/false);
  image->SetPixelContainer(container);
  return image;
}

}  // namespace leptoscan::io
