// What `leptoscan run` and `leptoscan batch` share: the options that choose how a case is analysed, and
// indexing the inputs, running the cases (pipeline/batch.h) and writing the cohort table.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "pipeline/commands/identifier_options.h"
#include "pipeline/commands/template_option.h"

namespace CLI {
class App;
}

namespace leptoscan::cli {

class CaseCommandOptions {
 public:
  // Declares --template, --parameters, --profile, --roles, --force, -j, --threads, --keep-identifiers
  // and --pseudonym-key.
  void Declare(CLI::App& app, unsigned default_jobs);

  // What a command runs: the patients under the inputs (or only `subject`, a PatientID or its subject id,
  // when given), from which
  // baseline, and whether results.tsv and summary.json are written into `out` (a Slurm task leaves them
  // to `leptoscan aggregate`).
  struct Selection {
    std::string baseline_date;
    std::string subject;
    bool write_summary = true;
  };

  // Indexes `inputs`, runs every patient selected as a case into `out`; returns the exit code
  // (kJobFailed when any case failed).
  int Run(const std::vector<std::filesystem::path>& inputs, const std::filesystem::path& out,
          const Selection& selection) const;

  // The options as `leptoscan run` arguments, for the tasks of a Slurm job.
  std::vector<std::string> RunArguments() const;

  const IdentifierOptions& identifiers() const { return identifiers_; }

 private:
  std::filesystem::path parameters_, roles_;
  TemplateOption template_;
  std::string profile_ = "rano-lm";
  bool force_ = false;
  unsigned jobs_ = 1;
  unsigned threads_ = 0;  // 0: every core
  IdentifierOptions identifiers_;
};

}  // namespace leptoscan::cli
