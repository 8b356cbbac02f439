// Internal to viewer/ (it includes VTK, so no public header includes it): what snapshots and the review
// window both show (the slice image, the 3-D scene) and PNG output.
#pragma once

#include <vtkImageData.h>
#include <vtkSmartPointer.h>

#include <array>
#include <filesystem>

#include "io/volume.h"
#include "pipeline/key_images.h"

class vtkRenderer;

namespace leptoscan::viewer {

template <typename T>
using Ptr = vtkSmartPointer<T>;

// The volume as VTK image data in voxel-index coordinates (spacing 1, origin 0), whatever its geometry.
// The buffer is shared, not copied; VTK only reads it.
Ptr<vtkImageData> IndexImage(const io::Volume& volume);

// The slice of `post` on `grid` (pipeline::KeyImageGrid), windowed, with labels 1-5 of `patterns` filled at
// 40% in their pattern colours and outlined, white ticks at the grid's point and the direction letters at
// the edges: RGB, unsigned char, row 0 at the bottom (as VTK has it). std::invalid_argument when the labels
// are not on the image's grid.
Ptr<vtkImageData> SliceImage(const io::Volume& post, const io::Volume& patterns,
                             const pipeline::SliceGrid& grid, const pipeline::IntensityWindow& window);

// The 3-D view (head_scene.cxx), in LPS mm: the head's surface (where `post` crosses its mean, the edge of
// the head of pipeline::HeadWindow), translucent, and an opaque surface per pattern label 1-5 of `patterns`
// in its colour. std::invalid_argument when the labels are not on the image's grid.
void AddHeadScene(vtkRenderer* renderer, const io::Volume& post, const io::Volume& patterns);
// Points the camera at `point_mm` from outside the head, on the line from `head_centre` through the point
// (from the front when the two are within 5 mm), superior up (anterior when looking along the
// superior-inferior axis), and fits everything the renderer shows around the point.
void AimCamera(vtkRenderer* renderer, const std::array<double, 3>& point_mm,
               const std::array<double, 3>& head_centre);

// Writes `image` as PNG under a temporary name and renames it; io::InputError naming `png` on failure.
void WritePng(vtkImageData* image, const std::filesystem::path& png);

}  // namespace leptoscan::viewer
