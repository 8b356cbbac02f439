// Key images for review: a slice of the post-contrast T1 through a point, in radiological orientation and
// on square pixels, with the LM pattern labels overlaid, encoded as PNG. OpenCV stays in the .cxx.
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "io/volume.h"

namespace leptoscan::pipeline {

enum class SliceView { kAxial, kCoronal, kSagittal };
inline constexpr std::array<SliceView, 3> kSliceViews = {SliceView::kAxial, SliceView::kCoronal,
                                                         SliceView::kSagittal};
std::string_view SliceViewName(SliceView view);

struct IntensityWindow {
  double low = 0, high = 1;
};

// The 1st to 99.5th percentile of the voxels in the head (those brighter than the volume's mean), so that
// background and a few bright vessels do not set the contrast.
IntensityWindow HeadWindow(const io::Volume& post);
// Centre of mass of the head voxels (LPS mm): where overview slices go when there is no lesion to show.
std::array<double, 3> HeadCentre(const io::Volume& post);

struct PatternColour {
  int label;  // value in patterns.nii.gz (pipeline::PatternLabel)
  std::string_view name;
  std::array<unsigned char, 3> rgb;
};
// The pattern labels the key images show (1 to 5: the findings; suppressed normal enhancement is not shown).
const std::array<PatternColour, 5>& PatternColours();

// Where the pixels of a key image lie in the volume: pixel (column, row), rows from the top, samples the
// continuous voxel index index0 + column * column_step + row * row_step.
struct SliceGrid {
  int width = 0, height = 0;
  double pixel_mm = 1;  // pixels are square
  std::array<double, 3> index0{0, 0, 0}, column_step{0, 0, 0}, row_step{0, 0, 0};
  std::array<double, 2> point_px{0, 0};  // where the slice point lies: column, row
  std::array<const char*, 4> edges{};    // the patient directions at the left, right, top and bottom edges
};

// The slice grid of RenderKeyImage (below): the LPS bounding box of the voxel centres on square pixels, in
// radiological orientation. The viewer's snapshots use it too, so that both show the same slice.
SliceGrid KeyImageGrid(const io::VolumeGeometry& geometry, const std::array<double, 3>& point_mm,
                       SliceView view);

struct KeyImage {
  std::string png;
  int width = 0, height = 0;
  double pixel_mm = 1;                   // pixels are square
  std::array<double, 2> point_px{0, 0};  // where the slice point lies: column, row
};

// The slice of `post` through `point_mm` (LPS), resampled (trilinear) onto square pixels covering the LPS
// bounding box of the voxel centres, whatever the direction matrix and spacing. Radiological orientation:
// axial and coronal have the patient's right on the image left; axial has anterior up; coronal and
// sagittal superior up; sagittal anterior on the left. Pixel size: the smallest voxel spacing, made finer or
// coarser so that the longest side has 256 to 512 pixels. Labels 1-5 of `patterns` (same grid as `post`,
// nearest voxel) are filled at 40% opacity and outlined in their colour; short white ticks point at the
// slice point; letters on the edges name the directions.
KeyImage RenderKeyImage(const io::Volume& post, const io::Volume& patterns,
                        const std::array<double, 3>& point_mm, SliceView view, const IntensityWindow& window);

}  // namespace leptoscan::pipeline
