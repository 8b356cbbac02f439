#include "viewer/review_window.h"

#include <fmt/format.h>
#include <vtkActor.h>
#include <vtkCallbackCommand.h>
#include <vtkCamera.h>
#include <vtkCellArray.h>
#include <vtkCoordinate.h>
#include <vtkCursor3D.h>
#include <vtkImageActor.h>
#include <vtkImageMapper3D.h>
#include <vtkInteractorStyleImage.h>
#include <vtkObjectFactory.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkPolyDataMapper.h>
#include <vtkProperty.h>
#include <vtkRenderWindow.h>
#include <vtkRenderWindowInteractor.h>
#include <vtkRenderer.h>
#include <vtkTextActor.h>
#include <vtkTextProperty.h>
#include <vtkWindowToImageFilter.h>

#include <cmath>
#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

#include "io/errors.h"
#include "pipeline/key_images.h"
#include "scoring/score_table.h"
#include "viewer/slice_image.h"

namespace leptoscan::viewer {
namespace {

using Point = std::array<double, 3>;

// Image interaction (right-drag zooms, middle-drag pans) without the default keys (r resets, s switches to
// surfaces, ...): every character goes to the review window. On a slice the left button clicks (moves the
// cursor) or drags (window and level); on the 3-D view it rotates.
class ReviewStyle : public vtkInteractorStyleImage {
 public:
  static ReviewStyle* New();
  vtkTypeMacro(ReviewStyle, vtkInteractorStyleImage);
  void OnChar() override {
    if (window) window->Key(GetInteractor()->GetKeyCode());
  }
  void OnLeftButtonDown() override {
    const int* at = GetInteractor()->GetEventPosition();
    FindPokedRenderer(at[0], at[1]);
    if (GetCurrentRenderer() == view3d) {
      vtkInteractorStyleTrackballCamera::OnLeftButtonDown();  // rotate
      return;
    }
    pressed = true;
    dragged = false;
    last = {at[0], at[1]};
  }
  void OnMouseMove() override {
    if (!pressed) {
      vtkInteractorStyleImage::OnMouseMove();
      return;
    }
    const int* at = GetInteractor()->GetEventPosition();
    const int dx = at[0] - last[0], dy = at[1] - last[1];
    if (!dragged && std::abs(dx) + std::abs(dy) < 4) return;  // a click that shook
    dragged = true;
    last = {at[0], at[1]};
    if (window) window->DragWindowLevel(dx, dy);
    GetInteractor()->Render();
  }
  void OnLeftButtonUp() override {
    if (!pressed) {
      vtkInteractorStyleImage::OnLeftButtonUp();
      return;
    }
    pressed = false;
    if (!dragged && window) window->Click(last[0], last[1]);
    GetInteractor()->Render();
  }
  ReviewWindow* window = nullptr;
  vtkRenderer* view3d = nullptr;

 private:
  bool pressed = false, dragged = false;
  std::array<int, 2> last{0, 0};
};
vtkStandardNewMacro(ReviewStyle);

// Viewports (xmin, ymin, xmax, ymax). The slices fill the left 60%: three columns (axial, coronal,
// sagittal), one row, or two when comparing (the baseline above, the follow-up in its frame below). On the
// right the 3-D view above the panel.
constexpr double kSlicesWidth = 0.6;
constexpr std::array<double, 4> k3DViewport = {kSlicesWidth, 0.45, 1, 1},
                                kPanelViewport = {kSlicesWidth, 0, 1, 0.45};
constexpr double kContrastStep = 1.25, kBrightnessStep = 0.1;  // keys [ ] , .
constexpr double kDragPixels =
    200;                         // a drag this long doubles the window width / moves the level by half of it
constexpr double kCursorMm = 8;  // half the arms of the 3-D cursor
// The ruler's colour: cyan, none of the pattern colours (pipeline::PatternColours).
constexpr std::array<double, 3> kRulerRgb = {0, 1, 1};
// A ruler is drawn on its slice while the slice is within this of its points.
constexpr double kRulerPlaneMm = 0.5;

std::array<double, 4> SliceViewport(int row, int rows, std::size_t view) {
  const double width = kSlicesWidth / 3, height = 1.0 / rows;
  const double x = width * static_cast<double>(view), y = 1 - height * (row + 1);
  return {x, y, x + width, y + height};
}

// The LPS point at a pixel of a slice (column, row from the top; fractions allowed) of a grid on `g`.
Point PixelPoint(const io::VolumeGeometry& g, const pipeline::SliceGrid& grid, double column,
                 double from_top) {
  Point index;
  for (int a = 0; a < 3; ++a)
    index[a] = grid.index0[a] + column * grid.column_step[a] + from_top * grid.row_step[a];
  return g.IndexToPoint(index[0], index[1], index[2]);
}

// Where an LPS point lies on a slice: its pixel (column, row from the top) and its distance from the
// slice's plane (mm). The grid's columns and rows are orthogonal in LPS (pipeline::KeyImageGrid).
std::array<double, 3> SlicePixel(const io::VolumeGeometry& g, const pipeline::SliceGrid& grid,
                                 const Point& p) {
  const Point origin = PixelPoint(g, grid, 0, 0), right = PixelPoint(g, grid, 1, 0),
              down = PixelPoint(g, grid, 0, 1);
  double along[2] = {0, 0}, lengths[2] = {0, 0};
  for (int a = 0; a < 3; ++a) {
    const double column = right[a] - origin[a], row = down[a] - origin[a], d = p[a] - origin[a];
    along[0] += d * column;
    along[1] += d * row;
    lengths[0] += column * column;
    lengths[1] += row * row;
  }
  const double column = along[0] / lengths[0], from_top = along[1] / lengths[1];
  const Point on = PixelPoint(g, grid, column, from_top);
  const double off = std::sqrt((p[0] - on[0]) * (p[0] - on[0]) + (p[1] - on[1]) * (p[1] - on[1]) +
                               (p[2] - on[2]) * (p[2] - on[2]));
  return {column, from_top, off};
}

Ptr<vtkTextActor> TextActor(double x, double y, const std::array<double, 3>& rgb, int size) {
  auto text = Ptr<vtkTextActor>::New();
  text->GetPositionCoordinate()->SetCoordinateSystemToNormalizedViewport();
  text->GetPositionCoordinate()->SetValue(x, y);
  text->GetTextProperty()->SetFontSize(size);
  text->GetTextProperty()->SetFontFamilyToCourier();
  text->GetTextProperty()->SetColor(rgb[0], rgb[1], rgb[2]);
  text->GetTextProperty()->SetVerticalJustificationToTop();
  return text;
}

}  // namespace

struct ReviewWindow::Impl {
  // One row of slices: an image, its labels on its grid, its head window and a caption.
  struct Row {
    const io::Volume* post = nullptr;
    const io::Volume* patterns = nullptr;
    pipeline::IntensityWindow window;
    std::string caption;
    std::array<pipeline::SliceGrid, 3> grids;  // as last drawn, for clicks
    std::array<Ptr<vtkRenderer>, 3> renderers;
    std::array<Ptr<vtkImageActor>, 3> slices;
    std::array<Ptr<vtkPolyData>, 3> ruler_lines;  // drawn over the slices, in their pixels
    std::array<Ptr<vtkActor>, 3> rulers;
    Ptr<vtkTextActor> title;
  };

  // The ruler (key m) on a nodule: two lines of two clicks each on one slice view of the row that shows the
  // reviewed time point, the points in that row's frame (LPS); drawn while that slice goes through them.
  struct Ruler {
    std::string finding;
    std::optional<std::size_t> view;  // the view of the first click
    std::vector<Point> points;        // up to four: the ends of the two lines
    bool measuring = true;            // false once the diameters are written into the finding
  };

  SubjectReview& review;
  std::size_t timepoint;
  std::string reviewer;
  Point head_centre{};  // in the reviewed time point's frame
  std::vector<FindingEntry> entries;
  std::size_t current = 0;
  std::string message = "? shows the keyboard shortcuts";
  bool help = false;
  // The follow-up shown beside the baseline (the reviewed time point, or the first follow-up when the
  // baseline is reviewed); none without one or its registration.
  std::optional<std::size_t> followup;
  bool comparing = false;
  Point cursor{};  // LPS, in the frame of the top row
  std::optional<Ruler> ruler;
  double contrast = 1, brightness = 0;  // the window's width factor and level shift (in widths)

  Ptr<vtkRenderWindow> window = Ptr<vtkRenderWindow>::New();
  Ptr<vtkRenderWindowInteractor> interactor;
  std::array<Row, 2> rows;
  Ptr<vtkRenderer> view3d = Ptr<vtkRenderer>::New(), panel_renderer = Ptr<vtkRenderer>::New();
  Ptr<vtkCursor3D> cursor3d = Ptr<vtkCursor3D>::New();
  Ptr<vtkTextActor> panel;

  Impl(SubjectReview& r, std::size_t t, std::string who)
      : review(r), timepoint(t), reviewer(std::move(who)) {}
  TimepointReview& Timepoint() { return review.timepoint(timepoint); }
  int RowCount() const { return comparing ? 2 : 1; }
  // The row showing the reviewed time point (the follow-up's when comparing a follow-up).
  int ReviewedRow() const { return comparing && timepoint > 0 ? 1 : 0; }
  // The lesion of a finding id as the review has it now (a rejected one as the findings had it); null for
  // an item.
  const scoring::Lesion* Lesion(const std::string& id) {
    for (const auto* lesions : {&Timepoint().reviewed().lesions, &Timepoint().original().lesions}) {
      for (const scoring::Lesion& lesion : *lesions) {
        if (lesion.id == id) return &lesion;
      }
    }
    return nullptr;
  }
  const scoring::Lesion& Nodule(const std::string& id, char key) {
    const scoring::Lesion* lesion = Lesion(id);
    if (!lesion) throw std::invalid_argument(fmt::format("{} works on a nodule; {} is an item", key, id));
    if (lesion->kind != scoring::LesionKind::kNodule)
      throw std::invalid_argument(fmt::format("{} works on a nodule; {} is a {} lesion", key, id,
                                              scoring::LesionKindName(lesion->kind)));
    return *lesion;
  }
  const scoring::AffineMap& BaselineToFollowup() {
    return review.FollowupInBaseline(*followup).baseline_to_followup;
  }

  // Between the reviewed time point's frame and the cursor's (the baseline's when comparing a follow-up).
  Point ToCursorFrame(const Point& p) {
    return comparing && timepoint > 0 ? BaselineToFollowup().Inverse().Apply(p) : p;
  }
  Point ToReviewedFrame(const Point& p) {
    return comparing && timepoint > 0 ? BaselineToFollowup().Apply(p) : p;
  }

  // The rows for the mode: the reviewed time point alone, or the baseline and the follow-up in its frame.
  void SetRows() {
    const auto set = [this](Row& row, const io::Volume& post, const io::Volume& patterns,
                            std::string caption) {
      row.post = &post;
      row.patterns = &patterns;
      row.window = pipeline::HeadWindow(post);
      row.caption = std::move(caption);
    };
    const auto date = [this](std::size_t t) { return review.timepoint(t).original().date; };
    if (comparing) {
      const SubjectReview::InBaseline& in = review.FollowupInBaseline(*followup);
      set(rows[0], review.Post(0), review.Patterns(0), "baseline " + date(0));
      set(rows[1], in.post, in.patterns, fmt::format("follow-up {}, baseline frame", date(*followup)));
    } else {
      set(rows[0], review.Post(timepoint), review.Patterns(timepoint), date(timepoint));
    }
    for (int r = 0; r < 2; ++r) {
      for (std::size_t v = 0; v < 3; ++v) {
        rows[r].renderers[v]->SetViewport(SliceViewport(r, RowCount(), v).data());
        rows[r].renderers[v]->SetDraw(r < RowCount());
      }
      rows[r].title->SetInput(r < RowCount() ? rows[r].caption.c_str() : "");
    }
  }

  // The cursor to the current finding (an item's: the head centre), the 3-D view aimed at it.
  void JumpToFinding() {
    const bool located = !entries.empty() && entries[current].center_mm;
    const Point point = located ? *entries[current].center_mm : head_centre;
    cursor = ToCursorFrame(point);
    AimCamera(view3d, point, head_centre);
  }

  pipeline::IntensityWindow Windowed(const pipeline::IntensityWindow& base) const {
    const double width = (base.high - base.low) * contrast;
    const double centre = (base.high + base.low) / 2 - brightness * (base.high - base.low);
    return {centre - width / 2, centre + width / 2};
  }

  // The ruler's points and lines over slice `v` of row `r`, when they are on it.
  void DrawRuler(int r, std::size_t v) {
    Row& row = rows[r];
    auto points = Ptr<vtkPoints>::New();
    auto lines = Ptr<vtkCellArray>::New(), ends = Ptr<vtkCellArray>::New();
    if (ruler && r == ReviewedRow() && ruler->view == v) {
      const pipeline::SliceGrid& grid = row.grids[v];
      bool on_slice = true;
      for (const Point& p : ruler->points) {
        const auto [column, from_top, off] = SlicePixel(row.post->geometry, grid, p);
        on_slice = on_slice && off < kRulerPlaneMm;
        // The image actor has one unit per pixel, row 0 at the bottom; the ruler lies just in front of it.
        const vtkIdType id = points->InsertNextPoint(column, grid.height - 1 - from_top, 0.5);
        ends->InsertNextCell(1, &id);
        if (id % 2 == 1) {
          const vtkIdType line[2] = {id - 1, id};
          lines->InsertNextCell(2, line);
        }
      }
      if (!on_slice) {
        points->Reset();
        lines->Reset();
        ends->Reset();
      }
    }
    row.ruler_lines[v]->SetPoints(points);
    row.ruler_lines[v]->SetLines(lines);
    row.ruler_lines[v]->SetVerts(ends);
    row.rulers[v]->SetVisibility(points->GetNumberOfPoints() > 0);
  }

  // A click on slice `v` of row `r` while measuring: the next end of a ruler line. The fourth gives the two
  // diameters (RulerDiameters, in the reviewed time point's frame), written into the nodule (Edit).
  void RulerClick(int r, std::size_t v, const Point& p) {
    if (r != ReviewedRow()) {
      message = fmt::format("measure on the row of {}, the time point reviewed", Timepoint().original().date);
      return;
    }
    if (ruler->view && *ruler->view != v) {
      message = fmt::format("measure on one slice: the {} one",
                            pipeline::SliceViewName(pipeline::kSliceViews[*ruler->view]));
      return;
    }
    ruler->view = v;
    ruler->points.push_back(p);
    const auto line = [this](std::size_t from) {
      return RulerLine{ToReviewedFrame(ruler->points[from]), ToReviewedFrame(ruler->points[from + 1])};
    };
    switch (ruler->points.size()) {
      case 1:
      case 3:
        message = "ruler: now the other end of the line";
        break;
      case 2:
        message = "ruler: the first line; now the two ends of the diameter perpendicular to it";
        break;
      default:
        try {
          const std::array<double, 2> diameters = RulerDiameters(line(0), line(2));
          Timepoint().Edit(ruler->finding, {std::nullopt, std::nullopt, diameters}, reviewer, UtcNow());
          ruler->measuring = false;
          message = fmt::format("{} measured: {:.1f} x {:.1f} mm (s saves)", ruler->finding, diameters[0],
                                diameters[1]);
        } catch (const std::invalid_argument& e) {
          ruler->points.resize(2);
          message = fmt::format("{}: click the second line again", e.what());
        }
    }
  }

  void Draw() {
    int* size = window->GetSize();
    for (int r = 0; r < RowCount(); ++r) {
      Row& row = rows[r];
      for (std::size_t v = 0; v < 3; ++v) {
        row.grids[v] = pipeline::KeyImageGrid(row.post->geometry, cursor, pipeline::kSliceViews[v]);
        const pipeline::SliceGrid& grid = row.grids[v];
        row.slices[v]->SetInputData(SliceImage(*row.post, *row.patterns, grid, Windowed(row.window)));
        row.slices[v]->Update();
        vtkRenderer& renderer = *row.renderers[v];
        renderer.ResetCamera();
        // Fit the slice (grid.width x grid.height pixels of 1 unit) into the viewport.
        const double* port = renderer.GetViewport();
        const double aspect = (port[2] - port[0]) * size[0] / std::max(1.0, (port[3] - port[1]) * size[1]);
        renderer.GetActiveCamera()->SetParallelScale(std::max(grid.height / 2.0, grid.width / 2.0 / aspect));
        DrawRuler(r, v);
      }
    }
    const Point at = ToReviewedFrame(cursor);
    cursor3d->SetModelBounds(at[0] - kCursorMm, at[0] + kCursorMm, at[1] - kCursorMm, at[1] + kCursorMm,
                             at[2] - kCursorMm, at[2] + kCursorMm);
    cursor3d->SetFocalPoint(at[0], at[1], at[2]);
    view3d->ResetCameraClippingRange();
  }
};

ReviewWindow::ReviewWindow(SubjectReview& review, std::size_t timepoint, std::string reviewer)
    : impl_(std::make_unique<Impl>(review, timepoint, std::move(reviewer))) {
  Impl& w = *impl_;
  const io::Volume& post = review.Post(timepoint);
  const io::Volume& patterns = review.Patterns(timepoint);  // read (and checked) before anything is shown
  w.head_centre = pipeline::HeadCentre(post);
  const std::size_t partner = timepoint > 0 ? timepoint : 1;
  if (partner < review.size() && review.HasInBaseline(partner)) w.followup = partner;
  w.comparing = w.followup.has_value();
  w.entries = w.Timepoint().Entries();
  for (std::size_t i = 0; i < w.entries.size(); ++i) {
    if (w.entries[i].center_mm) {
      w.current = i;
      break;
    }
  }
  w.window->SetSize(1500, 1000);
  w.window->SetWindowName(
      fmt::format("leptoscan-view {} {}", review.subject(), w.Timepoint().original().date).c_str());
  for (Impl::Row& row : w.rows) {
    for (std::size_t v = 0; v < 3; ++v) {
      row.renderers[v] = Ptr<vtkRenderer>::New();
      row.renderers[v]->SetBackground(0, 0, 0);
      w.window->AddRenderer(row.renderers[v]);
      row.slices[v] = Ptr<vtkImageActor>::New();
      row.slices[v]->InterpolateOff();
      row.renderers[v]->AddActor(row.slices[v]);
      row.renderers[v]->GetActiveCamera()->ParallelProjectionOn();
      row.ruler_lines[v] = Ptr<vtkPolyData>::New();
      auto ruler_mapper = Ptr<vtkPolyDataMapper>::New();
      ruler_mapper->SetInputData(row.ruler_lines[v]);
      row.rulers[v] = Ptr<vtkActor>::New();
      row.rulers[v]->SetMapper(ruler_mapper);
      vtkProperty& ruler = *row.rulers[v]->GetProperty();
      ruler.SetColor(kRulerRgb[0], kRulerRgb[1], kRulerRgb[2]);
      ruler.SetLineWidth(2);
      ruler.SetPointSize(6);
      ruler.LightingOff();
      row.rulers[v]->VisibilityOff();
      row.renderers[v]->AddActor(row.rulers[v]);
    }
    row.title = TextActor(0.03, 0.98, {1, 1, 0.6}, 13);
    row.renderers[0]->AddActor2D(row.title);
  }

  w.view3d->SetViewport(k3DViewport.data());
  w.view3d->SetBackground(0.08, 0.08, 0.1);
  w.window->AddRenderer(w.view3d);
  AddHeadScene(w.view3d, post, patterns);
  w.cursor3d->AllOff();
  w.cursor3d->AxesOn();
  auto cursor_mapper = Ptr<vtkPolyDataMapper>::New();
  cursor_mapper->SetInputConnection(w.cursor3d->GetOutputPort());
  auto cursor_actor = Ptr<vtkActor>::New();
  cursor_actor->SetMapper(cursor_mapper);
  cursor_actor->GetProperty()->SetColor(1, 1, 1);
  cursor_actor->GetProperty()->SetLineWidth(2);
  cursor_actor->GetProperty()->LightingOff();
  w.view3d->AddActor(cursor_actor);

  w.panel_renderer->SetViewport(kPanelViewport.data());
  w.window->AddRenderer(w.panel_renderer);
  w.panel = TextActor(0.03, 0.97, {1, 1, 1}, 13);
  w.panel_renderer->AddActor2D(w.panel);
  // The legend at the foot of the 3-D view, in the pattern colours.
  const auto& legend = pipeline::PatternColours();
  for (std::size_t i = 0; i < legend.size(); ++i) {
    const auto& rgb = legend[i].rgb;
    auto line = TextActor(0.02, 0.01 + 0.035 * static_cast<double>(legend.size() - i),
                          {rgb[0] / 255.0, rgb[1] / 255.0, rgb[2] / 255.0}, 12);
    line->SetInput(fmt::format("{} {}", legend[i].label, legend[i].name).c_str());
    w.view3d->AddActor2D(line);
  }
  try {
    w.SetRows();
  } catch (const io::InputError& e) {  // the baseline's files or the registration's: review without them
    w.followup.reset();
    w.comparing = false;
    w.message = fmt::format("no comparison with the baseline: {}", e.what());
    w.SetRows();
  }
  w.JumpToFinding();
  Key('\0');  // draws
}

ReviewWindow::~ReviewWindow() = default;

const char* ReviewWindow::Shortcuts() {
  return "n / p  next / previous finding\n"
         "a      accept the finding\n"
         "x      reject the finding\n"
         "s      save review.json\n"
         "r      score the reviewed findings (all time points)\n"
         "f      cursor back to the finding\n"
         "m      ruler: measure the nodule, two lines of two clicks on a\n"
         "       slice; the diameters go into the finding (m: put away)\n"
         "l      next location of the nodule (subarachnoid, ventricular, ...)\n"
         "u      measurable or not: the reader's verdict on the nodule\n"
         "c      compare: baseline and follow-up side by side\n"
         "[ / ]  more / less contrast (mouse: drag sideways)\n"
         ", / .  darker / brighter (mouse: drag up or down)\n"
         "0      reset contrast and brightness\n"
         "?      show or hide these keys\n"
         "q      close the window\n"
         "mouse: click a slice to move the cursor (with the ruler:\n"
         "its ends); drag on the slices for window and level, on the\n"
         "3-D view to turn it; right-drag zooms, middle pans";
}

const FindingEntry& ReviewWindow::Current() const {
  return impl_->entries.at(impl_->current);
}

std::array<double, 3> ReviewWindow::Cursor() const {
  return impl_->cursor;
}

bool ReviewWindow::Comparing() const {
  return impl_->comparing;
}

std::string ReviewWindow::PanelText() const {
  const Impl& w = *impl_;
  const scoring::Findings& findings = w.review.timepoint(w.timepoint).original();
  std::string text = fmt::format("{} {}  reviewer {}\n", w.review.subject(), findings.date, w.reviewer);
  if (!w.review.HasPatterns())
    text += fmt::format("a study not run: no pattern labels; findings from {}\n",
                        std::filesystem::path(findings.file).filename().string());
  text += "\n";
  for (std::size_t i = 0; i < w.entries.size(); ++i) {
    const FindingEntry& e = w.entries[i];
    text +=
        fmt::format("{} {:<20} {:<9} {}\n", i == w.current ? '>' : ' ', e.id,
                    e.decision ? scoring::DecisionName(*e.decision) : "pending", e.description.substr(0, 34));
  }
  // The list cuts descriptions short: the current one in full.
  if (!w.entries.empty())
    text += fmt::format("\n{}: {}", w.entries[w.current].id, w.entries[w.current].description);
  text += fmt::format("\ncursor ({:.1f}, {:.1f}, {:.1f}) mm{}\n", w.cursor[0], w.cursor[1], w.cursor[2],
                      w.comparing ? ", baseline frame" : "");
  text += w.help ? Shortcuts() : w.message;
  return text;
}

void ReviewWindow::Key(char key) {
  Impl& w = *impl_;
  TimepointReview& timepoint = w.Timepoint();
  const std::string id = w.entries.empty() ? "" : Current().id;
  bool jump = false;
  try {
    switch (key) {
      case 'n':
      case 'p':
        if (!w.entries.empty())
          w.current = (w.current + (key == 'n' ? 1 : w.entries.size() - 1)) % w.entries.size();
        w.message.clear();
        w.ruler.reset();
        jump = true;
        break;
      case 'm':
        if (w.ruler && w.ruler->measuring) {
          w.ruler.reset();
          w.message = "ruler put away";
          break;
        }
        w.Nodule(id, key);
        w.ruler = Impl::Ruler{id, std::nullopt, {}, true};
        w.message = fmt::format(
            "ruler on {}: on a slice{}, click the two ends of the longest diameter, then those of the one "
            "perpendicular to it (m again puts it away)",
            id, w.comparing ? fmt::format(" of the {} row", w.Timepoint().original().date) : "");
        break;
      case 'l': {
        // The next location the findings contract allows (Edit refuses an intramedullary brain nodule).
        const scoring::Lesion& nodule = w.Nodule(id, key);
        const auto& locations = scoring::kNoduleLocations;
        std::size_t at = 0;
        while (at < locations.size() && locations[at].first != nodule.location)
          ++at;
        std::optional<std::string> moved;
        std::string refused;
        for (std::size_t step = 1; step < locations.size() && !moved; ++step) {
          const std::string location = locations[(at + step) % locations.size()].first;
          try {
            timepoint.Edit(id, {location, std::nullopt, std::nullopt}, w.reviewer, UtcNow());
            moved = location;
          } catch (const std::invalid_argument& e) {
            refused = e.what();
          }
        }
        if (!moved) throw std::invalid_argument(refused);
        w.message = fmt::format("{} location: {}", id, *moved);
        break;
      }
      case 'u': {
        // The reader's verdict, the opposite of what holds now (the verdict, else the size limits).
        const scoring::Lesion& nodule = w.Nodule(id, key);
        const bool measurable = Measurable(nodule);
        timepoint.Edit(id, {std::nullopt, !measurable, std::nullopt}, w.reviewer, UtcNow());
        w.message =
            fmt::format("{} {} (the reader's verdict)", id, measurable ? "not measurable" : "measurable");
        break;
      }
      case 'a':
        timepoint.Accept(id, w.reviewer, UtcNow());
        w.message = id + " accepted";
        break;
      case 'x':
        timepoint.Reject(id, w.reviewer, UtcNow());
        w.message = id + " rejected";
        break;
      case 's':
        w.message = "saved " + timepoint.Save().string();
        break;
      case 'r':
        w.message = "score of the reviewed findings (saved or not):\n" +
                    scoring::ScoreTable(w.review.ScoreReviewed());
        break;
      case 'f':
        jump = true;
        break;
      case 'c':
        if (!w.followup) {
          w.message = "nothing to compare: no follow-up with its registration (post_in_baseline.nii.gz)";
          break;
        }
        {
          const Point at = w.ToReviewedFrame(w.cursor);
          w.ruler.reset();  // its points are in the frame of the rows
          w.comparing = !w.comparing;
          w.SetRows();
          w.cursor = w.ToCursorFrame(at);
        }
        break;
      case '[':
      case ']':
        w.contrast *= key == '[' ? 1 / kContrastStep : kContrastStep;
        break;
      case ',':
      case '.':
        w.brightness += key == '.' ? kBrightnessStep : -kBrightnessStep;
        break;
      case '0':
        w.contrast = 1;
        w.brightness = 0;
        break;
      case '?':
        w.help = !w.help;
        break;
      case 'q':
        if (w.interactor) w.interactor->TerminateApp();
        return;
      default:
        break;
    }
  } catch (const std::exception& e) {
    w.message = e.what();
  }
  w.entries = timepoint.Entries();
  if (jump) w.JumpToFinding();
  w.Draw();
  w.panel->SetInput(PanelText().c_str());
}

void ReviewWindow::Click(int x, int y) {
  Impl& w = *impl_;
  for (int r = 0; r < w.RowCount(); ++r) {
    Impl::Row& row = w.rows[r];
    for (std::size_t v = 0; v < 3; ++v) {
      vtkRenderer& renderer = *row.renderers[v];
      if (!renderer.IsInViewport(x, y)) continue;
      // The image actor lies in the plane z = 0 with one unit per pixel, row 0 at the bottom.
      renderer.SetDisplayPoint(x, y, 0);
      renderer.DisplayToWorld();
      const double* world = renderer.GetWorldPoint();
      const pipeline::SliceGrid& grid = row.grids[v];
      const double column = world[0] / world[3], from_top = grid.height - 1 - world[1] / world[3];
      if (column < -0.5 || from_top < -0.5 || column > grid.width - 0.5 || from_top > grid.height - 0.5)
        return;
      const Point point = PixelPoint(row.post->geometry, grid, column, from_top);
      if (w.ruler && w.ruler->measuring) {
        w.RulerClick(r, v, point);
      } else {
        w.cursor = point;
        w.message = fmt::format("cursor moved ({})", pipeline::SliceViewName(pipeline::kSliceViews[v]));
      }
      Key('\0');
      return;
    }
  }
}

void ReviewWindow::DragWindowLevel(int dx, int dy) {
  Impl& w = *impl_;
  w.contrast *= std::exp2(dx / kDragPixels);
  w.brightness += dy / kDragPixels / 2;
  Key('\0');
}

void ReviewWindow::Render() {
  impl_->window->Render();
}

void ReviewWindow::Run(const std::string& keys) {
  Impl& w = *impl_;
  w.interactor = Ptr<vtkRenderWindowInteractor>::New();
  auto style = Ptr<ReviewStyle>::New();
  style->window = this;
  style->view3d = w.view3d;
  w.interactor->SetInteractorStyle(style);
  w.interactor->SetRenderWindow(w.window);
  w.interactor->Initialize();
  auto redraw = Ptr<vtkCallbackCommand>::New();
  redraw->SetCallback(
      [](vtkObject*, unsigned long, void* data, void*) { static_cast<vtkRenderWindow*>(data)->Render(); });
  redraw->SetClientData(w.window);
  w.interactor->AddObserver(vtkCommand::CharEvent, redraw, -1);  // after the style has handled the key
  // Typed keys, replayed through the interactor (as a keyboard's would be) once its event loop runs.
  struct Replay {
    vtkRenderWindowInteractor* interactor;
    std::string keys;
  } replay{w.interactor, keys};
  auto type = Ptr<vtkCallbackCommand>::New();
  type->SetCallback([](vtkObject*, unsigned long, void* data, void*) {
    auto& r = *static_cast<Replay*>(data);
    const std::string keys = std::exchange(r.keys, "");
    for (char key : keys) {
      r.interactor->SetKeyCode(key);
      r.interactor->InvokeEvent(vtkCommand::CharEvent);
    }
  });
  type->SetClientData(&replay);
  if (!keys.empty()) {
    w.interactor->AddObserver(vtkCommand::TimerEvent, type);
    w.interactor->CreateOneShotTimer(10);
  }
  w.window->Render();
  w.interactor->Start();
  w.interactor = nullptr;
}

void ReviewWindow::Capture(const std::filesystem::path& png) {
  Render();
  auto grab = Ptr<vtkWindowToImageFilter>::New();
  grab->SetInput(impl_->window);
  grab->ReadFrontBufferOff();
  grab->Update();
  WritePng(grab->GetOutput(), png);
}

}  // namespace leptoscan::viewer
