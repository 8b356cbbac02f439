// The interactive review window (VTK; a Qt frame comes later): the axial, coronal and sagittal slices
// through the current finding with the pattern overlays, and a panel listing the findings with their
// decisions, the legend and the keyboard shortcuts. VTK stays in the .cxx.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>

#include "viewer/review.h"

namespace leptoscan::viewer {

class ReviewWindow {
 public:
  // Opens (without showing yet) a window on one time point of `review`; decisions are recorded as
  // `reviewer`. Needs a display (X11); tests run it under Xvfb.
  ReviewWindow(SubjectReview& review, std::size_t timepoint, std::string reviewer);
  ~ReviewWindow();
  ReviewWindow(const ReviewWindow&) = delete;
  ReviewWindow& operator=(const ReviewWindow&) = delete;

  // Shows the window and handles its events until q is pressed or the window is closed; `keys` are typed
  // first, as if on the keyboard (a scripted review: "nxsq").
  void Run(const std::string& keys = "");

  // What a key does (the window calls it for every key press; tests call it directly): see Shortcuts().
  void Key(char key);
  static const char* Shortcuts();

  const FindingEntry& Current() const;
  // The panel's text: the findings with their decisions (the current one marked >), then the last message.
  std::string PanelText() const;

  void Render();
  // The window as it is drawn, as PNG (io::InputError naming `png` when it cannot be written).
  void Capture(const std::filesystem::path& png);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace leptoscan::viewer
