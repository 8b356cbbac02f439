// leptoscan-view: review a subject's outputs (or a study not run, with its findings): list the findings,
// record decisions on them in review.json, render snapshots off-screen (slices with no display, the 3-D view
// under Xvfb), or open the review window.
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <iostream>
#include <map>

#include "io/errors.h"
#include "pipeline/commands/command.h"
#include "pipeline/commands/command_line.h"
#include "pipeline/key_images.h"
#include "viewer/review.h"
#include "viewer/review_window.h"
#include "viewer/snapshot.h"

namespace {

namespace fs = std::filesystem;
using namespace leptoscan;
using cli::kSuccess;
using cli::kUsageError;

struct Options {
  fs::path subject;
  fs::path findings, review_file, roles;  // a study folder that has not been run
  std::string timepoint;
  fs::path snapshot;
  std::string finding;
  std::string view = "axial";
  bool list = false;
  std::vector<std::string> accept, reject, location, measurable, diameters;
  std::string reviewer;
  std::string keys;
};

// "ID=VALUE" of an editing option, split at the last '='; CLI::ValidationError names the option.
std::pair<std::string, std::string> IdAndValue(const std::string& text, const std::string& option) {
  const std::size_t at = text.rfind('=');
  if (at == std::string::npos || at == 0 || at + 1 == text.size())
    throw CLI::ValidationError(option, "expected ID=VALUE, got \"" + text + "\"");
  return {text.substr(0, at), text.substr(at + 1)};
}

std::array<double, 2> Diameters(const std::string& text) {
  const std::size_t x = text.find('x');
  try {
    std::size_t used = 0, used2 = 0;
    const double a = std::stod(text.substr(0, x), &used);
    const double b = x == std::string::npos ? -1 : std::stod(text.substr(x + 1), &used2);
    if (used == x && used2 == text.size() - x - 1 && a > 0 && b > 0) return {a, b};
  } catch (const std::exception&) {
  }
  throw CLI::ValidationError("--diameters",
                             "expected two positive lengths in mm such as 14x8, got \"" + text + "\"");
}

bool Decides(const Options& o) {
  return !o.accept.empty() || !o.reject.empty() || !o.location.empty() || !o.measurable.empty() ||
         !o.diameters.empty();
}

void ApplyDecisions(viewer::TimepointReview& timepoint, const Options& o) {
  const std::string at = viewer::UtcNow();
  for (const std::string& id : o.accept)
    timepoint.Accept(id, o.reviewer, at);
  for (const std::string& id : o.reject)
    timepoint.Reject(id, o.reviewer, at);
  std::map<std::string, viewer::LesionEdit> edits;
  for (const std::string& text : o.location) {
    const auto [id, value] = IdAndValue(text, "--location");
    edits[id].location = value;
  }
  for (const std::string& text : o.measurable) {
    const auto [id, value] = IdAndValue(text, "--measurable");
    if (value != "yes" && value != "no")
      throw CLI::ValidationError("--measurable", "expected ID=yes or ID=no, got \"" + text + "\"");
    edits[id].measurable = value == "yes";
  }
  for (const std::string& text : o.diameters) {
    const auto [id, value] = IdAndValue(text, "--diameters");
    edits[id].diameters_mm = Diameters(value);
  }
  for (const auto& [id, edit] : edits)
    timepoint.Edit(id, edit, o.reviewer, at);
  spdlog::info("wrote {}", timepoint.Save().string());
}

void List(viewer::SubjectReview& review, std::size_t index) {
  const viewer::TimepointReview& t = review.timepoint(index);
  std::cout << review.subject() << " " << t.original().date << " (" << t.folder().filename().string()
            << ")\n";
  for (const viewer::FindingEntry& entry : t.Entries()) {
    std::cout << "  " << entry.id << "\t"
              << (entry.decision ? std::string(scoring::DecisionName(*entry.decision)) : "pending") << "\t"
              << entry.description;
    if (entry.center_mm)
      std::cout << "\tat (" << (*entry.center_mm)[0] << ", " << (*entry.center_mm)[1] << ", "
                << (*entry.center_mm)[2] << ") mm";
    std::cout << "\n";
  }
}

void Snapshot(viewer::SubjectReview& review, std::size_t index, const Options& o) {
  const scoring::Findings& findings = review.timepoint(index).original();
  viewer::SnapshotRequest request;
  std::string what = "head centre";
  if (o.finding.empty()) {
    request.point_mm = pipeline::HeadCentre(review.Post(index));
  } else {
    std::string ids;
    bool found = false;
    for (const scoring::Lesion& lesion : findings.lesions) {
      ids += (ids.empty() ? "" : ", ") + lesion.id;
      if (lesion.id == o.finding) {
        request.point_mm = lesion.center_mm;
        found = true;
      }
    }
    if (!found)
      throw io::InputError(findings.file,
                           "no lesion " + o.finding + " (lesions: " + (ids.empty() ? "none" : ids) + ")");
    what = o.finding;
  }
  for (pipeline::SliceView view : pipeline::kSliceViews) {
    if (pipeline::SliceViewName(view) == o.view) request.view = view;
  }
  // Before the point: a narrow slice's PNG cuts the title's end.
  request.title = fmt::format("{} {} {} {}{} ({:.1f}, {:.1f}, {:.1f}) mm", review.subject(), findings.date,
                              what, o.view, review.HasPatterns() ? "" : ", no pattern labels",
                              request.point_mm[0], request.point_mm[1], request.point_mm[2]);
  const auto write = o.view == "3d" ? viewer::WriteSnapshot3D : viewer::WriteSnapshot;
  const viewer::Snapshot written = write(review.Post(index), review.Patterns(index), request, o.snapshot);
  spdlog::info("wrote {} ({}x{})", o.snapshot.string(), written.width, written.height);
}

// Debian's VTK draws 3-D only through X. A 3-D snapshot without a display runs this command again, once,
// on a virtual display (xvfb-run, Debian package xvfb, which scripts/setup installs); returns only when
// that cannot be done, and the snapshot then says what is missing.
void RerunOnVirtualDisplay(int argc, char** argv) {
  if (std::getenv("LEPTOSCAN_VIEW_VIRTUAL_DISPLAY")) return;
  std::error_code error;
  const fs::path self = fs::read_symlink("/proc/self/exe", error);
  if (error) return;
  std::vector<std::string> args = {"xvfb-run", "-a", "-s", "-screen 0 1280x1024x24", self.string()};
  args.insert(args.end(), argv + 1, argv + argc);
  std::vector<char*> pointers;
  for (std::string& arg : args)
    pointers.push_back(arg.data());
  pointers.push_back(nullptr);
  spdlog::info("no display: drawing the 3-D view on a virtual one (xvfb-run)");
  setenv("LEPTOSCAN_VIEW_VIRTUAL_DISPLAY", "1", 1);
  execvp("xvfb-run", pointers.data());
  unsetenv("LEPTOSCAN_VIEW_VIRTUAL_DISPLAY");
  spdlog::warn("cannot run xvfb-run: {}", std::strerror(errno));
}

}  // namespace

int main(int argc, char** argv) {
  cli::LogToStderr("leptoscan-view");

  Options o;
  if (const char* user = std::getenv("USER")) o.reviewer = user;
  CLI::App app{"leptoscan-view " LEPTOSCAN_VERSION
               ": review a subject's LeptoScan outputs, or a study that has not been run with its findings "
               "(--findings): list the findings, accept, reject or edit them (saved as review.json beside "
               "the findings, which `leptoscan score` reads), and render snapshots of the post-contrast T1 "
               "with the enhancement patterns overlaid, without a display.",
               "leptoscan-view"};
  app.set_version_flag("--version", "leptoscan-view " LEPTOSCAN_VERSION);
  app.add_option("subject", o.subject,
                 "Subject output folder of leptoscan run (manifest.json, <date>/findings.json, ...), or with "
                 "--findings a study folder of DICOM files")
      ->required()
      ->check(CLI::ExistingDirectory);
  CLI::Option* findings =
      app.add_option("--findings", o.findings,
                     "Review a study that has not been run: the findings document (contracts/findings.md) "
                     "about the folder's post-contrast T1 series, which is shown without pattern labels")
          ->check(CLI::ExistingFile);
  app.add_option("--review", o.review_file,
                 "With --findings: where the decisions are saved (default review.json beside the findings; "
                 "never inside the study folder)")
      ->needs(findings);
  app.add_option("--roles", o.roles,
                 "With --findings: series role overrides, as for leptoscan run (which series is the "
                 "post-contrast T1)")
      ->needs(findings)
      ->check(CLI::ExistingFile);
  app.add_option(
         "--timepoint", o.timepoint,
         "Time point by date (2024-05-09 or 20240509) or folder; default the baseline. Decisions need it "
         "when the subject has several")
      ->excludes(findings);
  app.add_flag("--list", o.list, "Print the findings (items and lesions) with their ids and decisions");
  app.add_option("--snapshot", o.snapshot, "Render the slice (or the 3-D view) to this PNG, off-screen");
  app.add_option("--finding", o.finding,
                 "Lesion id the snapshot goes through, or the 3-D view looks at (default: the head centre)");
  app.add_option(
         "--view", o.view,
         "Snapshot plane, or 3d: the head's surface and the pattern surfaces, seen from outside the head "
         "towards the finding (drawn through X: without a display, on a virtual one started with xvfb-run)")
      ->check(CLI::IsMember({"axial", "coronal", "sagittal", "3d"}))
      ->capture_default_str();
  app.add_option("--accept", o.accept, "Accept a finding (lesion id or items.<item>); repeat for several")
      ->allow_extra_args(false);
  app.add_option("--reject", o.reject,
                 "Reject a finding: it leaves the reviewed findings (a rejected item becomes absent)")
      ->allow_extra_args(false);
  app.add_option("--location", o.location,
                 "Edit a nodule's location: ID=subarachnoid|ventricular|parenchymal|intramedullary")
      ->allow_extra_args(false);
  app.add_option("--measurable", o.measurable, "Overrule the size limits: ID=yes or ID=no")
      ->allow_extra_args(false);
  app.add_option("--diameters", o.diameters, "Set a nodule's two orthogonal diameters in mm: ID=14x8")
      ->allow_extra_args(false);
  app.add_option("--reviewer", o.reviewer, "Who decides (default: $USER)");
  app.add_option("--keys", o.keys, "Review window: keys typed when it opens, e.g. nxsq (a scripted review)");
  app.footer(
      "Exit codes: 0 done, 1 a file is missing or breaks its contract (the message names it), 2 usage "
      "error.\n"
      "\n"
      "Without --list, --snapshot or a decision, a window shows the axial, coronal and sagittal slices "
      "through a cursor (at first each finding in turn), a follow-up beside the baseline in the baseline's "
      "frame when it has been registered, a 3-D view and the findings; its keys:\n" +
      std::string(viewer::ReviewWindow::Shortcuts()) +
      "\n\n"
      "Examples:\n"
      "  leptoscan-view /results/P001 --timepoint 2024-05-09       the review window\n"
      "  xvfb-run -a leptoscan-view /results/P001 --timepoint 2024-05-09 --keys nxrsq   scripted, no "
      "display\n"
      "  leptoscan-view /results/P001 --list\n"
      "  leptoscan-view /results/P001 --snapshot n1.png --finding N1 --view coronal\n"
      "  leptoscan-view /results/P001 --snapshot n1-3d.png --finding N1 --view 3d   on a virtual display if "
      "there is none\n"
      "  leptoscan-view /results/P001 --timepoint 2024-05-09 --accept N1 --reject E2 --diameters N1=14x8\n"
      "  leptoscan-view /data/P001/2024-05-09 --findings reader1.json     a study not run: review.json "
      "beside "
      "reader1.json\n"
      "  leptoscan-view /data/P001/2024-05-09 --findings reader1.json --review /reviews/P001.json --accept "
      "N1\n"
      "  leptoscan score --baseline /results/P001/20240509/review.json --followup "
      "/results/P001/20240704/review.json");
  return cli::ParseAndRun(app, argc, argv, [&o, argc, argv] {
    const bool window = !o.list && o.snapshot.empty() && !Decides(o);
    if (!o.snapshot.empty() && o.view == "3d" && !std::getenv("DISPLAY")) RerunOnVirtualDisplay(argc, argv);
    if (window && !std::getenv("DISPLAY")) {
      spdlog::error(
          "the review window needs a display (DISPLAY is not set); without one, use --list, --snapshot and "
          "the "
          "decision options (--accept, --reject, --location, --measurable, --diameters)");
      return kUsageError;
    }
    if ((window || Decides(o)) && o.reviewer.empty()) {
      spdlog::error("decisions record who made them: give --reviewer (USER is not set)");
      return kUsageError;
    }
    viewer::SubjectReview review =
        o.findings.empty()
            ? viewer::SubjectReview(o.subject)
            : viewer::SubjectReview(viewer::SubjectReview::Study{
                  o.subject, o.findings,
                  o.review_file.empty() ? o.findings.parent_path() / "review.json" : o.review_file,
                  o.roles.empty() ? io::RoleOverrides{} : io::LoadRoleOverrides(o.roles)});
    if (Decides(o) && o.timepoint.empty() && review.size() > 1) {
      spdlog::error("{} has {} time points: say which one the decisions are about with --timepoint",
                    o.subject.string(), review.size());
      return kUsageError;
    }
    const std::size_t index = o.timepoint.empty() ? 0 : review.Find(o.timepoint);
    if (Decides(o)) ApplyDecisions(review.timepoint(index), o);
    if (o.list) List(review, index);
    if (!o.snapshot.empty()) Snapshot(review, index, o);
    if (window) {
      viewer::ReviewWindow view(review, index, o.reviewer);
      view.Run(o.keys);
    }
    return kSuccess;
  });
}
