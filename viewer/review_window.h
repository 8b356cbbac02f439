// The interactive review window (VTK; a Qt frame comes later): the axial, coronal and sagittal slices
// through a cursor (at first the current finding) with the pattern overlays, for a follow-up and its
// baseline side by side in the baseline's frame when the registration is there; a 3-D view of the head and
// the pattern surfaces; and a panel listing the findings with their decisions, messages (the score of the
// reviewed findings), the legend and the keyboard shortcuts. A ruler measures a nodule's two diameters on a
// slice, and keys edit its location and measurability. VTK stays in the .cxx.
#pragma once

#include <array>
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
  // What the mouse does (the window calls these; tests call them directly). Positions are window pixels
  // from the bottom left, as VTK's events give them. A click on a slice moves the cursor to the point under
  // it, in every view, or with the ruler out (key m) places its next end; a drag on a slice changes the
  // window (right: wider) and level (up: brighter).
  void Click(int x, int y);
  void DragWindowLevel(int dx, int dy);

  const FindingEntry& Current() const;
  // The cursor (LPS mm) in the frame of the slices' top row: the baseline's when comparing, else the
  // reviewed time point's own.
  std::array<double, 3> Cursor() const;
  // Whether a follow-up is shown beside the baseline (key c).
  bool Comparing() const;
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
