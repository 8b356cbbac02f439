// Off-screen snapshots of a time point: the slice of the post-contrast T1 through a point with the
// pattern labels overlaid in the HTML report's colours (pipeline::PatternColours) and a legend, rendered
// by a VTK image pipeline that needs no display and no OpenGL context. VTK stays in the .cxx.
#pragma once

#include <array>
#include <filesystem>
#include <string>

#include "io/volume.h"
#include "pipeline/key_images.h"

namespace leptoscan::viewer {

struct SnapshotRequest {
  std::array<double, 3> point_mm{0, 0, 0};  // LPS, in the frame of the post-contrast image
  pipeline::SliceView view = pipeline::SliceView::kAxial;
  std::string title;  // the first line under the image: subject, date, finding
};

struct Snapshot {
  // The slice occupies rows 0 to grid.height - 1 and columns 0 to grid.width - 1 of the PNG, in the key
  // images' geometry (KeyImageGrid); the legend lies below it.
  pipeline::SliceGrid grid;
  int width = 0, height = 0;  // of the whole PNG
};

// Writes the PNG under a temporary name and renames it (io::AtomicFile). The slice is windowed to the head
// (pipeline::HeadWindow), labels 1-5 are filled at 40% opacity and outlined, white ticks point at the
// point, letters name the directions at the edges, and the legend gives each pattern's colour and name.
// Throws io::InputError naming `png` when it cannot be written, std::invalid_argument when the pattern
// labels are not on the image's grid.
Snapshot WriteSnapshot(const io::Volume& post, const io::Volume& patterns, const SnapshotRequest& request,
                       const std::filesystem::path& png);

}  // namespace leptoscan::viewer
