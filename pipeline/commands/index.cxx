// leptoscan index: inventory of the DICOM series under folders, with the role of each series.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "io/atomic_file.h"
#include "io/series_index.h"
#include "pipeline/commands/command.h"
#include "pipeline/progress.h"

namespace leptoscan::cli {
namespace {

class IndexCommand : public Command {
 public:
  const char* Name() const override { return "index"; }
  const char* Summary() const override { return "List the DICOM series under folders and the role of each"; }

  void Usage(CLI::App& app) override {
    app.description(
        "Scans folders recursively, reading DICOM headers only (pixel data is not read), and groups the "
        "files into "
        "patient -> study -> series. For each series it records UIDs, dates, description, protocol, vendor, "
        "field "
        "strength, sequence and contrast attributes, orientation, dimensions, spacing and file count, and "
        "gives the "
        "series a role (t1_pre, t1_post, flair, flair_post, t2, dwi, spine_t1_pre, spine_t1_post, spine_t2, "
        "localizer, other) with the reason. Files that are not DICOM are skipped and counted. Without --json "
        "or "
        "--tsv the inventory is printed as a table.");
    app.add_option("folders", folders_, "Folders (or files) to scan")->required()->check(CLI::ExistingPath);
    app.add_option("--json", json_, "Write the inventory as JSON (schema leptoscan.index/1)");
    app.add_option("--tsv", tsv_, "Write one row per series as TSV (opens in pandas, R, a spreadsheet)");
    app.add_option("--roles", roles_,
                   "Role override file: {\"roles\": [{\"series_uid\": UID | \"description\": REGEX, "
                   "\"role\": ROLE}]}; "
                   "the first matching entry wins over the rules")
        ->check(CLI::ExistingFile);
    app.footer(
        "Examples:\n"
        "  leptoscan index /data/P001                       print the series of one subject\n"
        "  leptoscan index /data/cohort --json index.json --tsv series.tsv\n"
        "  leptoscan index /data/P001 --roles roles.json    force roles for odd series names");
  }

  int Run() override {
    io::IndexOptions options;
    if (!roles_.empty()) options.overrides = io::LoadRoleOverrides(roles_);
    Progress progress("index", "files");
    options.progress = [&progress](std::size_t done, std::size_t total) { progress.Update(done, total); };
    const io::DicomIndex index = io::IndexFolders(folders_, options);

    if (!json_.empty()) io::WriteFileAtomically(json_, io::IndexToJson(index));
    if (!tsv_.empty()) io::WriteFileAtomically(tsv_, io::IndexToTsv(index));
    if (json_.empty() && tsv_.empty()) PrintTable(index);
    for (const auto& file : index.unreadable)
      spdlog::warn("{}", file.reason);
    spdlog::info(
        "{} DICOM file(s) in {} series, {} stud{} of {} patient(s); skipped {} non-DICOM and {} unreadable "
        "file(s)",
        index.dicom_files, index.SeriesCount(), StudyCount(index), StudyCount(index) == 1 ? "y" : "ies",
        index.patients.size(), index.not_dicom.size(), index.unreadable.size());
    return kSuccess;
  }

 private:
  static std::size_t StudyCount(const io::DicomIndex& index) {
    std::size_t count = 0;
    for (const auto& patient : index.patients)
      count += patient.studies.size();
    return count;
  }

  static void PrintTable(const io::DicomIndex& index) {
    for (const auto& patient : index.patients) {
      for (const auto& study : patient.studies) {
        std::cout << fmt::format(
            "patient {}  study {} {}  {}\n", patient.patient_id.empty() ? "(none)" : patient.patient_id,
            study.date.empty() ? "(no date)" : study.date, study.description, study.study_uid);
        std::cout << fmt::format("  {:>5}  {:<14} {:<9} {:>15}  {:>20}  {}\n", "#", "role", "plane", "voxels",
                                 "spacing (mm)", "description");
        for (const auto& s : study.series) {
          std::cout << fmt::format(
              "  {:>5}  {:<14} {:<9} {:>15}  {:>20}  {}\n",
              s.series_number ? std::to_string(*s.series_number) : "-", io::RoleName(s.role), s.orientation,
              fmt::format("{}x{}x{}", s.columns, s.rows, s.slices),
              fmt::format("{:.3g}x{:.3g}x{:.3g}", s.pixel_spacing_column_mm.value_or(0),
                          s.pixel_spacing_row_mm.value_or(0), s.slice_spacing_mm.value_or(0)),
              s.description);
        }
      }
    }
  }

  std::vector<std::filesystem::path> folders_;
  std::filesystem::path json_;
  std::filesystem::path tsv_;
  std::filesystem::path roles_;
};

}  // namespace

std::unique_ptr<Command> MakeIndexCommand() {
  return std::make_unique<IndexCommand>();
}

}  // namespace leptoscan::cli
