// leptoscan run: one subject (or the studies given) from DICOM to findings, scores and review material.
#include <CLI/CLI.hpp>
#include <filesystem>

#include "pipeline/batch.h"
#include "pipeline/commands/case_command.h"
#include "pipeline/commands/command.h"

namespace leptoscan::cli {
namespace {

namespace fs = std::filesystem;

class RunCommand : public Command {
 public:
  const char* Name() const override { return "run"; }
  const char* Summary() const override { return "Analyse one subject's studies and score each follow-up"; }

  void Usage(CLI::App& app) override {
    app.description(
        "Indexes the folders given (a subject folder, or several study folders), groups the studies by "
        "patient and orders them by StudyDate: the earliest is the baseline unless --baseline names "
        "another. Each study's 3-D T1 after contrast (and before, when there is one) is analysed: "
        "registration, anatomy, enhancement, suppression of normal enhancement, the LM detectors. Each "
        "follow-up is registered to the baseline and scored (RANO-LM or LANO-2019). Writes <out>/<subject>/ "
        "(<subject>: a pseudonym, LS- and 10 hex digits of a keyed hash of the PatientID, unless "
        "--keep-identifiers; <out>/identifiers.tsv maps it back, <out>/.leptoscan-key is the key): "
        "findings.json, patterns.nii.gz, enhancement.nii.gz and the registered images per time point "
        "(in a folder named by study date), score.json per follow-up, scores.tsv, parameters.json and "
        "manifest.json (inputs with SHA-256 checksums, parameters, version, stage timings); and "
        "results.tsv and summary.json in <out>. A rerun skips every stage whose inputs and parameters "
        "are unchanged; --force redoes them. Inputs are only read.");
    // CLI11 gives every positional to a list option: the output folder is split off the end in Run().
    app.add_option("paths", paths_,
                   "Subject folder or study folders of one subject, then the output folder (one sub-folder "
                   "per subject)")
        ->required()
        ->expected(2, CLI::detail::expected_max_vector_size);
    app.add_option("--baseline", selection_.baseline_date,
                   "Study date of the baseline (YYYYMMDD or YYYY-MM-DD)");
    app.add_option("--subject", selection_.subject,
                   "Run only this subject of the studies found (its PatientID or its pseudonym)");
    app.add_flag("--no-summary{false}", selection_.write_summary,
                 "Leave results.tsv and summary.json to `leptoscan aggregate` (what Slurm tasks do)");
    options_.Declare(app, 1);
    app.footer(
        "Examples:\n"
        "  leptoscan run /data/P001 /results                 every study of P001; the earliest is the "
        "baseline\n"
        "  leptoscan run /data/P001/2024* /results --baseline 2024-03-01\n"
        "  leptoscan run /data/P001 /results --parameters tuned.json --profile lano-2019\n"
        "  leptoscan run /data/P001 /results --pseudonym-key ~/lab.key   the lab's pseudonyms in any folder\n"
        "  leptoscan run /data/P001 /results --keep-identifiers          named by PatientID, SEG for a PACS\n"
        "  leptoscan run /data/phantoms/PH0001 /results --template analytic   an analytic phantom, its "
        "template");
  }

  int Run() override {
    const fs::path out = paths_.back();
    paths_.pop_back();
    for (const fs::path& input : paths_) {
      if (!fs::exists(input)) throw CLI::ValidationError("inputs", input.string() + ": does not exist");
    }
    return options_.Run(paths_, out, selection_);
  }

 private:
  std::vector<fs::path> paths_;
  CaseCommandOptions::Selection selection_;
  CaseCommandOptions options_;
};

}  // namespace

std::unique_ptr<Command> MakeRunCommand() {
  return std::make_unique<RunCommand>();
}

}  // namespace leptoscan::cli
