#include "viewer/review_window.h"

#include <fmt/format.h>
#include <vtkCallbackCommand.h>
#include <vtkCamera.h>
#include <vtkCoordinate.h>
#include <vtkImageActor.h>
#include <vtkImageMapper3D.h>
#include <vtkInteractorStyleImage.h>
#include <vtkObjectFactory.h>
#include <vtkRenderWindow.h>
#include <vtkRenderWindowInteractor.h>
#include <vtkRenderer.h>
#include <vtkTextActor.h>
#include <vtkTextProperty.h>
#include <vtkWindowToImageFilter.h>

#include <array>
#include <stdexcept>
#include <utility>
#include <vector>

#include "pipeline/key_images.h"
#include "viewer/slice_image.h"

namespace leptoscan::viewer {
namespace {

// Image interaction (pan, zoom) without the default keys (r resets, s switches to surfaces, ...): every
// character goes to the review window.
class ReviewStyle : public vtkInteractorStyleImage {
 public:
  static ReviewStyle* New();
  vtkTypeMacro(ReviewStyle, vtkInteractorStyleImage);
  void OnChar() override {
    if (window) window->Key(GetInteractor()->GetKeyCode());
  }
  ReviewWindow* window = nullptr;
};
vtkStandardNewMacro(ReviewStyle);

// Viewports (xmin, ymin, xmax, ymax): axial top left, coronal top right, sagittal bottom left, the panel
// bottom right.
constexpr std::array<std::array<double, 4>, 4> kViewports = {
    {{0, 0.5, 0.5, 1}, {0.5, 0.5, 1, 1}, {0, 0, 0.5, 0.5}, {0.5, 0, 1, 0.5}}};

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
  SubjectReview& review;
  std::size_t timepoint;
  std::string reviewer;
  pipeline::IntensityWindow intensity;
  std::array<double, 3> head_centre{};
  std::vector<FindingEntry> entries;
  std::size_t current = 0;
  std::string message = "? shows the keyboard shortcuts";
  bool help = false;

  Ptr<vtkRenderWindow> window = Ptr<vtkRenderWindow>::New();
  Ptr<vtkRenderWindowInteractor> interactor;
  std::array<Ptr<vtkRenderer>, 4> renderers;
  std::array<Ptr<vtkImageActor>, 3> slices;
  Ptr<vtkTextActor> panel;

  Impl(SubjectReview& r, std::size_t t, std::string who)
      : review(r), timepoint(t), reviewer(std::move(who)) {}
  TimepointReview& Timepoint() { return review.timepoint(timepoint); }
};

ReviewWindow::ReviewWindow(SubjectReview& review, std::size_t timepoint, std::string reviewer)
    : impl_(std::make_unique<Impl>(review, timepoint, std::move(reviewer))) {
  Impl& w = *impl_;
  const io::Volume& post = review.Post(timepoint);
  review.Patterns(timepoint);  // read (and checked) before anything is shown
  w.intensity = pipeline::HeadWindow(post);
  w.head_centre = pipeline::HeadCentre(post);
  w.entries = w.Timepoint().Entries();
  for (std::size_t i = 0; i < w.entries.size(); ++i) {
    if (w.entries[i].center_mm) {
      w.current = i;
      break;
    }
  }
  w.window->SetSize(1200, 900);
  w.window->SetWindowName(
      fmt::format("leptoscan-view {} {}", review.subject(), w.Timepoint().original().date).c_str());
  for (std::size_t v = 0; v < w.renderers.size(); ++v) {
    w.renderers[v] = Ptr<vtkRenderer>::New();
    w.renderers[v]->SetViewport(kViewports[v].data());
    w.renderers[v]->SetBackground(0, 0, 0);
    w.window->AddRenderer(w.renderers[v]);
    if (v < w.slices.size()) {
      w.slices[v] = Ptr<vtkImageActor>::New();
      w.slices[v]->InterpolateOff();
      w.renderers[v]->AddActor(w.slices[v]);
      w.renderers[v]->GetActiveCamera()->ParallelProjectionOn();
    }
  }
  w.panel = TextActor(0.03, 0.97, {1, 1, 1}, 14);
  w.renderers[3]->AddActor2D(w.panel);
  // The legend at the foot of the panel, in the pattern colours.
  const auto& legend = pipeline::PatternColours();
  for (std::size_t i = 0; i < legend.size(); ++i) {
    const auto& rgb = legend[i].rgb;
    auto line = TextActor(0.03, 0.04 + 0.05 * static_cast<double>(legend.size() - i),
                          {rgb[0] / 255.0, rgb[1] / 255.0, rgb[2] / 255.0}, 13);
    line->SetInput(fmt::format("{} {}", legend[i].label, legend[i].name).c_str());
    w.renderers[3]->AddActor2D(line);
  }
  Key('\0');  // draws the current finding
}

ReviewWindow::~ReviewWindow() = default;

const char* ReviewWindow::Shortcuts() {
  return "n / p  next / previous finding\n"
         "a      accept the finding\n"
         "x      reject the finding\n"
         "s      save review.json\n"
         "?      show or hide these keys\n"
         "q      close the window";
}

const FindingEntry& ReviewWindow::Current() const {
  return impl_->entries.at(impl_->current);
}

std::string ReviewWindow::PanelText() const {
  const Impl& w = *impl_;
  const scoring::Findings& findings = w.review.timepoint(w.timepoint).original();
  std::string text = fmt::format("{} {}  reviewer {}\n\n", w.review.subject(), findings.date, w.reviewer);
  for (std::size_t i = 0; i < w.entries.size(); ++i) {
    const FindingEntry& e = w.entries[i];
    text +=
        fmt::format("{} {:<20} {:<9} {}\n", i == w.current ? '>' : ' ', e.id,
                    e.decision ? scoring::DecisionName(*e.decision) : "pending", e.description.substr(0, 34));
  }
  text += "\n" + w.message;
  if (w.help) text += fmt::format("\n\n{}", Shortcuts());
  return text;
}

void ReviewWindow::Key(char key) {
  Impl& w = *impl_;
  TimepointReview& timepoint = w.Timepoint();
  const std::string id = w.entries.empty() ? "" : Current().id;
  try {
    switch (key) {
      case 'n':
      case 'p':
        if (!w.entries.empty())
          w.current = (w.current + (key == 'n' ? 1 : w.entries.size() - 1)) % w.entries.size();
        w.message.clear();
        break;
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

  const io::Volume& post = w.review.Post(w.timepoint);
  const io::Volume& patterns = w.review.Patterns(w.timepoint);
  const auto point = w.entries.empty() || !Current().center_mm ? w.head_centre : *Current().center_mm;
  for (std::size_t v = 0; v < w.slices.size(); ++v) {
    const pipeline::SliceGrid grid = pipeline::KeyImageGrid(post.geometry, point, pipeline::kSliceViews[v]);
    w.slices[v]->SetInputData(SliceImage(post, patterns, grid, w.intensity));
    w.slices[v]->Update();
    vtkRenderer& renderer = *w.renderers[v];
    renderer.ResetCamera();
    // Fit the slice (grid.width x grid.height pixels of 1 unit) into the viewport.
    int* size = w.window->GetSize();
    const double aspect = (kViewports[v][2] - kViewports[v][0]) * size[0] /
                          std::max(1.0, (kViewports[v][3] - kViewports[v][1]) * size[1]);
    renderer.GetActiveCamera()->SetParallelScale(std::max(grid.height / 2.0, grid.width / 2.0 / aspect));
  }
  w.panel->SetInput(PanelText().c_str());
}

void ReviewWindow::Render() {
  impl_->window->Render();
}

void ReviewWindow::Run(const std::string& keys) {
  Impl& w = *impl_;
  w.interactor = Ptr<vtkRenderWindowInteractor>::New();
  auto style = Ptr<ReviewStyle>::New();
  style->window = this;
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
