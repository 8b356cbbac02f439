#include "filters/bias_correction.h"

#include <itkBSplineControlPointImageFilter.h>
#include <itkN4BiasFieldCorrectionImageFilter.h>
#include <itkOtsuThresholdImageFilter.h>
#include <itkShrinkImageFilter.h>

#include <cmath>
#include <stdexcept>

#include "filters/input_checks.h"
#include "io/itk_volume.h"

namespace leptoscan::filters {
namespace {

using io::FloatImage;
using MaskImage = itk::Image<unsigned char, 3>;

// The voxels N4 may fit to: inside the mask (or above Otsu's threshold) and positive.
MaskImage::Pointer FittingMask(const io::Volume& image, const io::Volume* mask) {
  auto fitting = MaskImage::New();
  io::SetItkGeometry(image.geometry, *fitting);
  fitting->Allocate();
  unsigned char* out = fitting->GetBufferPointer();
  float threshold = 0;
  if (!mask) {
    auto otsu = itk::OtsuThresholdImageFilter<FloatImage, MaskImage>::New();
    otsu->SetInput(io::ViewAsItk(image));
    otsu->Update();
    threshold = static_cast<float>(otsu->GetThreshold());
  }
  std::size_t count = 0;
  for (std::size_t i = 0; i < image.voxels.size(); ++i) {
    const bool inside = image.voxels[i] > threshold && (!mask || mask->voxels[i] > 0);
    out[i] = inside;
    count += inside;
  }
  if (count == 0)
    throw std::invalid_argument("bias correction: the mask holds no voxel with a positive intensity");
  return fitting;
}

template <typename Image>
typename Image::Pointer Shrink(const Image* image, unsigned factor) {
  auto shrink = itk::ShrinkImageFilter<Image, Image>::New();
  shrink->SetInput(image);
  shrink->SetShrinkFactors(factor);
  shrink->Update();
  return shrink->GetOutput();
}

}  // namespace

BiasCorrectionResult CorrectBiasField(const io::Volume& image, const io::Volume* mask,
                                      const BiasCorrectionOptions& options) {
  const std::string problem = ProblemFor3D(image);
  if (!problem.empty()) throw std::invalid_argument("bias correction: the image " + problem);
  if (mask && !SameGrid(mask->geometry, image.geometry))
    throw std::invalid_argument("bias correction: the mask is not on the image's grid");

  const auto full = io::ViewAsItk(image);
  const auto fitting = FittingMask(image, mask);
  using N4 = itk::N4BiasFieldCorrectionImageFilter<FloatImage, MaskImage, FloatImage>;
  auto n4 = N4::New();
  n4->SetInput(Shrink<FloatImage>(full, options.shrink_factor));
  n4->SetMaskImage(Shrink<MaskImage>(fitting, options.shrink_factor));
  N4::VariableSizeArrayType iterations(options.iterations_per_level.size());
  for (std::size_t level = 0; level < iterations.size(); ++level)
    iterations[level] = options.iterations_per_level[level];
  n4->SetMaximumNumberOfIterations(iterations);
  n4->SetNumberOfFittingLevels(static_cast<unsigned>(iterations.size()));
  n4->SetConvergenceThreshold(options.convergence_threshold);
  n4->Update();

  // The fitted log field is a B-spline over the volume's extent: evaluating its control points on
  // the full grid gives the full-resolution field without running N4 at full resolution.
  using Lattice = N4::BiasFieldControlPointLatticeType;
  using FieldImage = itk::Image<Lattice::PixelType, 3>;
  auto bspline = itk::BSplineControlPointImageFilter<Lattice, FieldImage>::New();
  bspline->SetInput(n4->GetLogBiasFieldControlPointLattice());
  bspline->SetSplineOrder(n4->GetSplineOrder());
  bspline->SetSize(full->GetLargestPossibleRegion().GetSize());
  bspline->SetOrigin(full->GetOrigin());
  bspline->SetSpacing(full->GetSpacing());
  bspline->SetDirection(full->GetDirection());
  bspline->Update();

  BiasCorrectionResult result;
  result.field.geometry = result.corrected.geometry = image.geometry;
  result.field.voxels.resize(image.voxels.size());
  result.corrected.voxels.resize(image.voxels.size());
  const auto* log_field = bspline->GetOutput()->GetBufferPointer();
  for (std::size_t i = 0; i < image.voxels.size(); ++i) {
    result.field.voxels[i] = std::exp(log_field[i][0]);
    result.corrected.voxels[i] = image.voxels[i] / result.field.voxels[i];
  }
  return result;
}

}  // namespace leptoscan::filters
