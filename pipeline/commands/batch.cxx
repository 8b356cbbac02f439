// leptoscan batch: every subject under a folder, in parallel, resumable.
#include "pipeline/batch.h"

#include <CLI/CLI.hpp>
#include <filesystem>

#include "pipeline/commands/case_command.h"
#include "pipeline/commands/command.h"

namespace leptoscan::cli {
namespace {

namespace fs = std::filesystem;

class BatchCommand : public Command {
 public:
  const char* Name() const override { return "batch"; }
  const char* Summary() const override {
    return "Analyse every subject under a folder, in parallel and resumably";
  }

  void Usage(CLI::App& app) override {
    app.description(
        "Finds every patient under <root> (by PatientID, wherever their studies lie) and runs each as "
        "`leptoscan run` would, several at once within the machine's cores and memory. Shows progress "
        "(done, failed, running, time left) on a terminal and one line per finished subject in a log. A "
        "subject that fails gets <out>/<subject>/error.json with the stage and the message; the others "
        "carry on and the exit code is 1. Run it again after an interruption: finished stages are skipped "
        "(their manifests match) and a half-done subject restarts from its last finished stage. Writes "
        "results.tsv (one row per subject and follow-up: items, composite, response, EANO-ESMO type, "
        "version) and summary.json in <out>. Subjects are named by pseudonym (LS- and 10 hex digits of a "
        "keyed hash of the PatientID; <out>/identifiers.tsv maps them back) unless --keep-identifiers.");
    app.add_option("root", root_, "Folder holding the subjects' studies")
        ->required()
        ->check(CLI::ExistingDirectory);
    app.add_option("out", out_, "Output folder (one sub-folder per subject)")->required();
    options_.Declare(app, pipeline::DefaultJobs());
    app.footer(
        "Examples:\n"
        "  leptoscan batch /data/cohort /results              as many subjects at once as the machine holds\n"
        "  leptoscan batch /data/cohort /results -j 2 2> batch.log\n"
        "  leptoscan batch /data/cohort /results -j 2 --threads 2    two subjects at once on two cores in "
        "all\n"
        "  leptoscan batch /data/cohort /results --pseudonym-key ~/lab.key   stable ids across output "
        "folders\n"
        "  python3 -c \"import pandas; print(pandas.read_csv('/results/results.tsv', sep='\\t'))\"");
  }

  int Run() override { return options_.Run({root_}, out_, {}); }

 private:
  fs::path root_, out_;
  CaseCommandOptions options_;
};

}  // namespace

std::unique_ptr<Command> MakeBatchCommand() {
  return std::make_unique<BatchCommand>();
}

}  // namespace leptoscan::cli
