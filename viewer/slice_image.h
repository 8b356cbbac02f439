// Internal to viewer/ (it includes VTK, so no public header includes it): the slice image that snapshots
// and the review window show, and PNG output.
#pragma once

#include <vtkImageData.h>
#include <vtkSmartPointer.h>

#include <filesystem>

#include "io/volume.h"
#include "pipeline/key_images.h"

namespace leptoscan::viewer {

template <typename T>
using Ptr = vtkSmartPointer<T>;

// The slice of `post` on `grid` (pipeline::KeyImageGrid), windowed, with labels 1-5 of `patterns` filled at
// 40% in their pattern colours and outlined, white ticks at the grid's point and the direction letters at
// the edges: RGB, unsigned char, row 0 at the bottom (as VTK has it). std::invalid_argument when the labels
// are not on the image's grid.
Ptr<vtkImageData> SliceImage(const io::Volume& post, const io::Volume& patterns,
                             const pipeline::SliceGrid& grid, const pipeline::IntensityWindow& window);

// Writes `image` as PNG under a temporary name and renames it; io::InputError naming `png` on failure.
void WritePng(vtkImageData* image, const std::filesystem::path& png);

}  // namespace leptoscan::viewer
