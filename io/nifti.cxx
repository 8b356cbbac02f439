#include "io/nifti.h"

#include <itkImageFileReader.h>
#include <itkImageFileWriter.h>
#include <itkNiftiImageIO.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_reduce.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "io/atomic_file.h"
#include "io/errors.h"
#include "io/itk_volume.h"

namespace leptoscan::io {
namespace {

using ShortImage = itk::Image<std::int16_t, 3>;

// Converts to int16 in one parallel pass; returns nullptr when a voxel is out of range or fractional
// and `require_exact` is set (then float32 is written instead).
ShortImage::Pointer ToInt16(const Volume& volume, bool require_exact) {
  auto image = ShortImage::New();
  SetItkGeometry(volume.geometry, *image);
  image->Allocate();
  std::int16_t* out = image->GetBufferPointer();
  const float* in = volume.voxels.data();
  constexpr float lo = std::numeric_limits<std::int16_t>::min(),
                  hi = std::numeric_limits<std::int16_t>::max();
  const bool exact = tbb::parallel_reduce(
      tbb::blocked_range<std::size_t>(0, volume.voxels.size(), 1 << 16), true,
      [&](const tbb::blocked_range<std::size_t>& range, bool ok) {
        // Branch-free so that it vectorises: clamp, round half away from zero, and note any inexact voxel.
        int exact = ok;
        for (std::size_t i = range.begin(); i != range.end(); ++i) {
          const float v = std::min(std::max(in[i], lo), hi);
          out[i] = static_cast<std::int16_t>(v + (v >= 0 ? 0.5f : -0.5f));
          exact &= static_cast<float>(out[i]) == in[i];
        }
        ok = exact;
        return ok;
      },
      [](bool a, bool b) { return a && b; });
  return exact || !require_exact ? image : nullptr;
}

template <typename Image>
void WriteWithNiftiIO(const Image* image, const std::filesystem::path& path) {
  auto writer = itk::ImageFileWriter<Image>::New();
  writer->SetImageIO(itk::NiftiImageIO::New());
  writer->SetFileName(path.string());
  writer->SetInput(image);
  writer->Update();
}

}  // namespace

void WriteNifti(const Volume& volume, const std::filesystem::path& path, NiftiDataType type) {
  if (volume.voxels.size() != volume.geometry.VoxelCount() || volume.voxels.empty()) {
    throw InputError(path, "cannot write an empty or inconsistent volume");
  }
  AtomicFile file(path);
  try {
    ShortImage::Pointer whole;
    if (type == NiftiDataType::kInt16 || (type == NiftiDataType::kAuto && volume.integer_valued)) {
      whole = ToInt16(volume, /*require_exact=*/type == NiftiDataType::kAuto);
    }
    if (whole) {
      WriteWithNiftiIO(whole.GetPointer(), file.temporary());
    } else {
      WriteWithNiftiIO(ViewAsItk(volume).GetPointer(), file.temporary());
    }
  } catch (const itk::ExceptionObject& e) {
    throw InputError(path, std::string("cannot write NIfTI: ") + e.GetDescription());
  }
  file.Commit();
}

Volume ReadNifti(const std::filesystem::path& path) {
  auto reader = itk::ImageFileReader<FloatImage>::New();
  reader->SetImageIO(itk::NiftiImageIO::New());
  reader->SetFileName(path.string());
  try {
    reader->Update();
  } catch (const itk::ExceptionObject& e) {
    throw InputError(path, std::string("cannot read NIfTI: ") + e.GetDescription());
  }
  const FloatImage* image = reader->GetOutput();
  Volume volume;
  volume.geometry = GeometryOf(*image);
  const float* begin = image->GetBufferPointer();
  volume.voxels.assign(begin, begin + volume.geometry.VoxelCount());
  volume.integer_valued =
      std::all_of(volume.voxels.begin(), volume.voxels.end(), [](float v) { return std::nearbyint(v) == v; });
  return volume;
}

}  // namespace leptoscan::io
