#include "viewer/snapshot.h"

#include <vtkFloatArray.h>
#include <vtkFreeTypeTools.h>
#include <vtkImageBlend.h>
#include <vtkImageCanvasSource2D.h>
#include <vtkImageData.h>
#include <vtkImageMapToColors.h>
#include <vtkImageMapToWindowLevelColors.h>
#include <vtkImageReslice.h>
#include <vtkLookupTable.h>
#include <vtkMatrix4x4.h>
#include <vtkPNGWriter.h>
#include <vtkPointData.h>
#include <vtkRenderWindow.h>
#include <vtkRenderer.h>
#include <vtkSmartPointer.h>
#include <vtkStdString.h>
#include <vtkTextProperty.h>
#include <vtkWindowToImageFilter.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <stdexcept>

#include "io/atomic_file.h"
#include "io/errors.h"
#include "viewer/slice_image.h"

namespace leptoscan::viewer {
namespace {

using pipeline::SliceGrid;

constexpr double kFillOpacity = 0.4;  // as the report's key images
constexpr int kFontSize = 12, kLineHeight = 18, kPad = 6, kSwatch = 12;
// Wide enough for the legend's longest line; a narrower slice is padded on its right.
constexpr int kMinWidth = 300;
constexpr int k3DSize = 512;  // pixels of the 3-D view, square
// Debian's VTK draws with OpenGL through X11 (GLX) only: no EGL or OSMesa build to render without a server.
constexpr const char* kNeedsDisplay =
    "the 3-D view is drawn with OpenGL, which needs an X display (DISPLAY is not set): run under a virtual "
    "one, xvfb-run -a leptoscan-view ... (Debian package xvfb); slice views need no display";

// The slice as a 2-D image whose row 0 is the bottom (VTK's and the PNG writer's convention): output
// pixel (x, y) samples index0 + x * column_step + (height - 1 - y) * row_step.
Ptr<vtkImageReslice> Reslice(vtkImageData* volume, const SliceGrid& grid, bool nearest) {
  const auto& c = grid.column_step;
  const auto& r = grid.row_step;
  const std::array<double, 3> normal = {c[1] * r[2] - c[2] * r[1], c[2] * r[0] - c[0] * r[2],
                                        c[0] * r[1] - c[1] * r[0]};
  auto axes = Ptr<vtkMatrix4x4>::New();
  for (int a = 0; a < 3; ++a) {
    axes->SetElement(a, 0, c[a]);
    axes->SetElement(a, 1, -r[a]);
    axes->SetElement(a, 2, normal[a]);
    axes->SetElement(a, 3, grid.index0[a] + (grid.height - 1) * r[a]);
  }
  auto reslice = Ptr<vtkImageReslice>::New();
  reslice->SetInputData(volume);
  reslice->SetResliceAxes(axes);
  reslice->SetOutputSpacing(1, 1, 1);
  reslice->SetOutputOrigin(0, 0, 0);
  reslice->SetOutputExtent(0, grid.width - 1, 0, grid.height - 1, 0, 0);
  reslice->SetBackgroundLevel(0);
  if (nearest)
    reslice->SetInterpolationModeToNearestNeighbor();
  else
    reslice->SetInterpolationModeToLinear();
  reslice->Update();
  return reslice;
}

// Labels 1-5 in their pattern colour at 40% opacity, everything else transparent.
Ptr<vtkLookupTable> PatternTable() {
  auto table = Ptr<vtkLookupTable>::New();
  table->SetNumberOfTableValues(256);
  table->SetTableRange(0, 256);  // one entry per whole label value
  for (int i = 0; i < 256; ++i)
    table->SetTableValue(i, 0, 0, 0, 0);
  for (const pipeline::PatternColour& pattern : pipeline::PatternColours())
    table->SetTableValue(pattern.label, pattern.rgb[0] / 255.0, pattern.rgb[1] / 255.0,
                         pattern.rgb[2] / 255.0, kFillOpacity);
  return table;
}

// The edge of each pattern region (a pixel of it with a neighbour outside it, or on the image border)
// drawn opaque, as the key images outline theirs.
void Outline(vtkImageData* labels, vtkImageData* overlay, const SliceGrid& grid) {
  const auto label = [&](int x, int y) {
    return static_cast<int>(std::lround(labels->GetScalarComponentAsDouble(x, y, 0, 0)));
  };
  for (int y = 0; y < grid.height; ++y) {
    for (int x = 0; x < grid.width; ++x) {
      auto* rgba = static_cast<unsigned char*>(overlay->GetScalarPointer(x, y, 0));
      if (rgba[3] == 0) continue;
      bool edge = false;
      for (int dy = -1; dy <= 1 && !edge; ++dy) {
        for (int dx = -1; dx <= 1 && !edge; ++dx) {
          const int nx = x + dx, ny = y + dy;
          edge = nx < 0 || ny < 0 || nx >= grid.width || ny >= grid.height || label(nx, ny) != label(x, y);
        }
      }
      if (edge) rgba[3] = 255;
    }
  }
}

// White text with its lower left corner at (x, y), blended into an RGB image by the glyphs' coverage.
void DrawText(vtkImageData* canvas, const std::string& text, int x, int y, double grey = 1.0) {
  auto property = Ptr<vtkTextProperty>::New();
  property->SetFontSize(kFontSize);
  property->SetColor(grey, grey, grey);
  auto glyphs = Ptr<vtkImageData>::New();
  int size[2] = {0, 0};
  if (!vtkFreeTypeTools::GetInstance()->RenderString(property, vtkStdString(text), 72, glyphs, size)) return;
  int canvas_extent[6], glyph_extent[6];
  canvas->GetExtent(canvas_extent);
  glyphs->GetExtent(glyph_extent);
  for (int gy = glyph_extent[2]; gy <= glyph_extent[3]; ++gy) {
    for (int gx = glyph_extent[0]; gx <= glyph_extent[1]; ++gx) {
      const int cx = x + gx - glyph_extent[0], cy = y + gy - glyph_extent[2];
      if (cx < 0 || cy < 0 || cx > canvas_extent[1] || cy > canvas_extent[3]) continue;
      const auto* glyph = static_cast<unsigned char*>(glyphs->GetScalarPointer(gx, gy, 0));
      auto* pixel = static_cast<unsigned char*>(canvas->GetScalarPointer(cx, cy, 0));
      const double alpha = glyph[3] / 255.0;
      for (int k = 0; k < 3; ++k)
        pixel[k] = static_cast<unsigned char>(std::lround(pixel[k] * (1 - alpha) + glyph[k] * alpha));
    }
  }
}

// `view` (RGB, row 0 at the bottom) on top, padded on its right to the legend's width, with the legend
// below it: the title line, then each pattern's colour and name.
Ptr<vtkImageData> WithLegend(vtkImageData* view, const std::string& title, Snapshot& snapshot) {
  int extent[6];
  view->GetExtent(extent);
  const int view_width = extent[1] - extent[0] + 1, view_height = extent[3] - extent[2] + 1;
  const auto& legend = pipeline::PatternColours();
  const int legend_height = kPad * 2 + kLineHeight * static_cast<int>(legend.size() + 1);
  snapshot.width = std::max(view_width, kMinWidth);
  snapshot.height = view_height + legend_height;
  auto canvas = Ptr<vtkImageCanvasSource2D>::New();
  canvas->SetScalarTypeToUnsignedChar();
  canvas->SetNumberOfScalarComponents(3);
  canvas->SetExtent(0, snapshot.width - 1, 0, snapshot.height - 1, 0, 0);
  canvas->SetDrawColor(0, 0, 0);
  canvas->FillBox(0, snapshot.width - 1, 0, snapshot.height - 1);
  canvas->DrawImage(0, legend_height, view);
  int line_top = legend_height - kPad - kLineHeight;  // the title's line
  for (const pipeline::PatternColour& pattern : legend) {
    line_top -= kLineHeight;
    canvas->SetDrawColor(pattern.rgb[0], pattern.rgb[1], pattern.rgb[2]);
    canvas->FillBox(kPad, kPad + kSwatch - 1, line_top + 3, line_top + 3 + kSwatch - 1);
  }
  canvas->Update();
  auto image = Ptr<vtkImageData>::New();
  image->DeepCopy(canvas->GetOutput());

  line_top = legend_height - kPad - kLineHeight;
  DrawText(image, title, kPad, line_top + 2);
  for (const pipeline::PatternColour& pattern : legend) {
    line_top -= kLineHeight;
    DrawText(image, std::to_string(pattern.label) + " " + std::string(pattern.name), kPad * 2 + kSwatch,
             line_top + 2);
  }
  return image;
}

}  // namespace

// VTK coordinates = voxel indices (spacing 1, origin 0): the slice grid gives the index of every pixel,
// whatever the direction matrix. The buffer is shared, not copied; VTK only reads it.
Ptr<vtkImageData> IndexImage(const io::Volume& volume) {
  auto image = Ptr<vtkImageData>::New();
  image->SetDimensions(static_cast<int>(volume.geometry.size[0]), static_cast<int>(volume.geometry.size[1]),
                       static_cast<int>(volume.geometry.size[2]));
  auto scalars = Ptr<vtkFloatArray>::New();
  scalars->SetArray(const_cast<float*>(volume.voxels.data()), static_cast<vtkIdType>(volume.voxels.size()),
                    1);
  image->GetPointData()->SetScalars(scalars);
  return image;
}

Ptr<vtkImageData> SliceImage(const io::Volume& post, const io::Volume& patterns, const SliceGrid& grid,
                             const pipeline::IntensityWindow& window) {
  if (patterns.geometry.size != post.geometry.size)
    throw std::invalid_argument("slice: the pattern labels are not on the post-contrast grid");
  const auto post_image = IndexImage(post), label_image = IndexImage(patterns);
  const auto slice = Reslice(post_image, grid, false);
  const auto labels = Reslice(label_image, grid, true);

  auto grey = Ptr<vtkImageMapToWindowLevelColors>::New();
  grey->SetInputConnection(slice->GetOutputPort());
  grey->SetWindow(window.high - window.low);
  grey->SetLevel((window.high + window.low) / 2);
  grey->SetOutputFormatToRGB();

  auto colours = Ptr<vtkImageMapToColors>::New();
  colours->SetInputConnection(labels->GetOutputPort());
  colours->SetLookupTable(PatternTable());
  colours->SetOutputFormatToRGBA();
  colours->Update();
  auto overlay = Ptr<vtkImageData>::New();
  overlay->DeepCopy(colours->GetOutput());
  Outline(labels->GetOutput(), overlay, grid);

  auto blend = Ptr<vtkImageBlend>::New();
  blend->AddInputConnection(grey->GetOutputPort());
  blend->AddInputData(overlay);
  blend->SetOpacity(1, 1.0);  // the overlay's own alpha decides
  blend->Update();

  // White ticks around the point, leaving the finding itself visible.
  auto canvas = Ptr<vtkImageCanvasSource2D>::New();
  canvas->SetScalarTypeToUnsignedChar();
  canvas->SetNumberOfScalarComponents(3);
  canvas->SetExtent(0, grid.width - 1, 0, grid.height - 1, 0, 0);
  canvas->DrawImage(0, 0, blend->GetOutput());
  const int px = static_cast<int>(std::lround(grid.point_px[0]));
  const int py = grid.height - 1 - static_cast<int>(std::lround(grid.point_px[1]));
  const int gap = std::max(6, grid.width / 40), length = std::max(6, grid.width / 30);
  canvas->SetDrawColor(255, 255, 255);
  for (const auto& [dx, dy] : {std::pair{1, 0}, std::pair{-1, 0}, std::pair{0, 1}, std::pair{0, -1}})
    canvas->DrawSegment(px + dx * gap, py + dy * gap, px + dx * (gap + length), py + dy * (gap + length));
  canvas->Update();
  auto image = Ptr<vtkImageData>::New();
  image->DeepCopy(canvas->GetOutput());

  const int mid_x = grid.width / 2 - 4, mid_y = grid.height / 2 - 6;
  const double letters = 210 / 255.0;
  DrawText(image, grid.edges[0], 3, mid_y, letters);
  DrawText(image, grid.edges[1], grid.width - 12, mid_y, letters);
  DrawText(image, grid.edges[2], mid_x, grid.height - 16, letters);
  DrawText(image, grid.edges[3], mid_x, 3, letters);
  return image;
}

void WritePng(vtkImageData* image, const std::filesystem::path& png) {
  io::AtomicFile file(png);
  auto writer = Ptr<vtkPNGWriter>::New();
  writer->SetInputData(image);
  writer->SetFileName(file.temporary().c_str());
  writer->Write();
  if (writer->GetErrorCode() != 0) throw io::InputError(png, "cannot be written");
  file.Commit();
}

Snapshot WriteSnapshot(const io::Volume& post, const io::Volume& patterns, const SnapshotRequest& request,
                       const std::filesystem::path& png) {
  Snapshot snapshot;
  snapshot.grid = pipeline::KeyImageGrid(post.geometry, request.point_mm, request.view);
  const auto slice = SliceImage(post, patterns, snapshot.grid, pipeline::HeadWindow(post));

  WritePng(WithLegend(slice, request.title, snapshot), png);
  return snapshot;
}

Snapshot WriteSnapshot3D(const io::Volume& post, const io::Volume& patterns, const SnapshotRequest& request,
                         const std::filesystem::path& png) {
  const char* display = std::getenv("DISPLAY");
  if (!display || !*display) throw std::runtime_error(kNeedsDisplay);
  auto renderer = Ptr<vtkRenderer>::New();
  renderer->SetBackground(0, 0, 0);
  AddHeadScene(renderer, post, patterns);
  AimCamera(renderer, request.point_mm, pipeline::HeadCentre(post));
  auto window = Ptr<vtkRenderWindow>::New();
  window->SetOffScreenRendering(1);
  window->SetSize(k3DSize, k3DSize);
  window->AddRenderer(renderer);
  window->Render();
  auto grab = Ptr<vtkWindowToImageFilter>::New();
  grab->SetInput(window);
  grab->SetInputBufferTypeToRGB();
  grab->ReadFrontBufferOff();
  grab->Update();

  Snapshot snapshot;
  snapshot.grid.width = snapshot.grid.height = k3DSize;
  WritePng(WithLegend(grab->GetOutput(), request.title, snapshot), png);
  return snapshot;
}

}  // namespace leptoscan::viewer
