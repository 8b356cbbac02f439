// Off-screen snapshots of a time point: the slice of the post-contrast T1 through a point with the
// pattern labels overlaid in the HTML report's colours (pipeline::PatternColours) and a legend, rendered
// by a VTK image pipeline that needs no display and no OpenGL context; or the 3-D view of the head and the
// pattern surfaces, which needs OpenGL and so an X display (Xvfb will do). VTK stays in the .cxx.
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
  // images' geometry (KeyImageGrid); the legend lies below it. A 3-D view sets only width and height.
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

// The 3-D view: the head's surface, translucent, with an opaque surface per pattern (labels 1-5) in its
// colour, seen from outside the head on the line from the head's centre through `request.point_mm` (the
// point at the centre of the view; from the front, the patient's left on the image right, when the point is
// the head centre), superior up; 512 x 512 pixels with the legend below (`request.view` is not used).
// Renders off-screen into an OpenGL context of the X display: std::runtime_error saying what to do when
// DISPLAY is not set; errors as WriteSnapshot otherwise.
Snapshot WriteSnapshot3D(const io::Volume& post, const io::Volume& patterns, const SnapshotRequest& request,
                         const std::filesystem::path& png);

}  // namespace leptoscan::viewer
