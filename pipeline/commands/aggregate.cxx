// leptoscan aggregate: the cohort table of a Slurm job once its tasks have finished.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <filesystem>

#include "pipeline/commands/command.h"
#include "pipeline/slurm.h"

namespace leptoscan::cli {
namespace {

namespace fs = std::filesystem;

class AggregateCommand : public Command {
 public:
  const char* Name() const override { return "aggregate"; }
  const char* Summary() const override { return "Collect the cohort table of a finished Slurm job"; }

  void Usage(CLI::App& app) override {
    app.description(
        "Reads the case folders of the job `leptoscan slurm` wrote into <out>: each finished subject is "
        "scored again from its findings and registrations (exactly as its task scored it), each failed one "
        "contributes its error.json, and a subject with neither did not finish (not run yet, cancelled or "
        "killed: see <out>/slurm/logs/). Writes results.tsv and summary.json into <out>, the same files "
        "`leptoscan batch` writes, and lists the failed tasks; the exit code is 1 when any failed.");
    app.add_option("out", out_, "Output folder of `leptoscan slurm`")
        ->required()
        ->check(CLI::ExistingDirectory);
    app.footer(
        "Examples:\n"
        "  leptoscan aggregate /scratch/results\n"
        "  leptoscan slurm /data/cohort /scratch/results --resubmit-failed   then aggregate again");
  }

  int Run() override {
    const pipeline::BatchResult cases = pipeline::CollectCases(out_);
    pipeline::WriteBatchSummary(cases, out_);
    spdlog::info("wrote {} and {}", (out_ / "results.tsv").string(), (out_ / "summary.json").string());
    const std::vector<std::size_t> failed = pipeline::FailedTasks(cases);
    for (std::size_t task : failed) {
      const pipeline::CaseOutcome& c = cases.cases[task - 1];
      spdlog::error("task {} ({}): {}", task, c.subject, c.error->what());
    }
    if (failed.empty()) return kSuccess;
    spdlog::error(
        "{} of {} tasks failed ({}); `leptoscan slurm ROOT {} --resubmit-failed` submits them again",
        failed.size(), cases.cases.size(), fmt::join(failed, ","), out_.string());
    return kJobFailed;
  }

 private:
  fs::path out_;
};

}  // namespace

std::unique_ptr<Command> MakeAggregateCommand() {
  return std::make_unique<AggregateCommand>();
}

}  // namespace leptoscan::cli
