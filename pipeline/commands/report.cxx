// leptoscan report: the self-contained HTML review report of one subject's output folder.
#include "pipeline/report.h"

#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <filesystem>

#include "pipeline/commands/command.h"

namespace leptoscan::cli {
namespace {

namespace fs = std::filesystem;

class ReportCommand : public Command {
 public:
  const char* Name() const override { return "report"; }
  const char* Summary() const override {
    return "Build the HTML review report of one subject's output folder";
  }

  void Usage(CLI::App& app) override {
    app.description(
        "Reads a subject's output folder (manifest.json, and per time point findings.json, post.nii.gz, "
        "patterns.nii.gz and, for follow-ups, score.json) and writes one self-contained HTML file: per time "
        "point the items, nodules and lesions, the score against the baseline (response, composite, change, "
        "the rule that decided, new lesions) and axial, coronal and sagittal key images through each lesion "
        "with the enhancement patterns overlaid; then the composite score over time and the stage timings. "
        "Images are embedded: the file can be mailed or archived alone. A missing file is named in the "
        "error.");
    app.add_option("subject", folder_, "Subject output folder (holds manifest.json)")
        ->required()
        ->check(CLI::ExistingDirectory);
    app.add_option("-o,--output", output_, "Report file (default: <subject folder>/report.html)");
    app.add_option("--max-lesions", options_.max_lesion_images,
                   "Lesions shown with key images per time point")
        ->default_val(options_.max_lesion_images)
        ->check(CLI::Range(0, 1000));
    app.footer(
        "Examples:\n"
        "  leptoscan report /data/out/P001                      writes /data/out/P001/report.html\n"
        "  leptoscan report /data/out/P001 -o ~/P001.html       somewhere else");
  }

  int Run() override {
    const fs::path written = pipeline::WriteSubjectReport(folder_, output_, options_);
    spdlog::info("wrote {}", written.string());
    return kSuccess;
  }

 private:
  fs::path folder_, output_;
  pipeline::ReportOptions options_;
};

}  // namespace

std::unique_ptr<Command> MakeReportCommand() {
  return std::make_unique<ReportCommand>();
}

}  // namespace leptoscan::cli
