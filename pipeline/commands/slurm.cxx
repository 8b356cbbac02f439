// leptoscan slurm: a cohort as a Slurm job array, one subject per task.
#include "pipeline/slurm.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>

#include "io/errors.h"
#include "io/series_index.h"
#include "pipeline/commands/case_command.h"
#include "pipeline/commands/command.h"

namespace leptoscan::cli {
namespace {

namespace fs = std::filesystem;

class SlurmCommand : public Command {
 public:
  const char* Name() const override { return "slurm"; }
  const char* Summary() const override {
    return "Write (and submit) a Slurm job array, one subject per task";
  }

  void Usage(CLI::App& app) override {
    app.description(
        "Finds every patient under <root> and writes <out>/slurm/job.sh, an sbatch job array with one "
        "task per subject; each task runs `leptoscan run` on that subject's folders into <out> (the same "
        "outputs as `leptoscan batch`), logging to <out>/slurm/logs/task-N-job-J.log. With --submit the job "
        "is submitted and its id printed. When the tasks have finished, `leptoscan aggregate <out>` "
        "writes the cohort table and lists failed tasks; `leptoscan slurm <root> <out> --resubmit-failed` "
        "submits only those again (finished stages are not redone). One task peaks at 1.5 GB and runs "
        "under a minute per subject of two time points on 2 cores (bench/RESULTS.md); the defaults leave "
        "room for that. Subjects are named as `leptoscan run` names them (a pseudonym unless "
        "--keep-identifiers): cases.tsv and the task files hold pseudonyms, and <out>/identifiers.tsv is "
        "written before any task runs.");
    app.add_option("root", root_, "Folder holding the subjects' studies")
        ->required()
        ->check(CLI::ExistingDirectory);
    app.add_option("out", out_, "Output folder (one sub-folder per subject, slurm/ for the job)")->required();
    app.add_option("--partition", slurm_.partition, "Partition (default: the cluster's default)");
    app.add_option("--time", slurm_.time, "Time limit per task (Slurm format)")->default_val(slurm_.time);
    app.add_option("--mem", slurm_.memory, "Memory per task (Slurm format)")->default_val(slurm_.memory);
    app.add_option("--cpus", slurm_.cpus, "Cores per task")
        ->default_val(slurm_.cpus)
        ->check(CLI::Range(1, 256));
    app.add_flag("--submit", submit_, "Submit the job with sbatch and print its id");
    app.add_flag("--resubmit-failed", resubmit_,
                 "Submit again only the tasks whose subject failed or did not finish (after `aggregate`)");
    options_.Declare(app, 1);
    app.footer(
        "Examples:\n"
        "  leptoscan slurm /data/cohort /scratch/results --partition short --submit\n"
        "  leptoscan slurm /data/cohort /scratch/results --pseudonym-key ~/lab.key --submit\n"
        "  leptoscan aggregate /scratch/results          once the array has finished\n"
        "  leptoscan slurm /data/cohort /scratch/results --resubmit-failed");
  }

  int Run() override {
    if (resubmit_) return Resubmit();
    spdlog::info("indexing {}", root_.string());
    const io::DicomIndex index = io::IndexFolders({root_});
    if (index.patients.empty()) throw io::InputError(root_, "holds no DICOM image");
    slurm_.executable = fs::read_symlink("/proc/self/exe");
    slurm_.run_arguments = options_.RunArguments();
    slurm_.subject_ids = options_.identifiers().SubjectIdsFor(out_);
    const std::size_t tasks = pipeline::WriteSlurmJob(index.patients, out_, slurm_);
    spdlog::info("wrote {} ({} tasks)", (out_ / "slurm" / "job.sh").string(), tasks);
    if (submit_) std::cout << pipeline::SubmitSlurmJob(out_) << std::endl;
    return kSuccess;
  }

 private:
  int Resubmit() {
    const std::vector<std::size_t> failed = pipeline::FailedTasks(pipeline::CollectCases(out_));
    if (failed.empty()) {
      spdlog::info("no task failed; nothing to resubmit");
      return kSuccess;
    }
    const std::string array = fmt::format("{}", fmt::join(failed, ","));
    spdlog::info("resubmitting task(s) {}", array);
    std::cout << pipeline::SubmitSlurmJob(out_, array) << std::endl;
    return kSuccess;
  }

  fs::path root_, out_;
  pipeline::SlurmOptions slurm_;
  bool submit_ = false, resubmit_ = false;
  CaseCommandOptions options_;
};

}  // namespace

std::unique_ptr<Command> MakeSlurmCommand() {
  return std::make_unique<SlurmCommand>();
}

}  // namespace leptoscan::cli
