// What `leptoscan run` and `leptoscan batch` share: the options that choose how a case is analysed, and
// indexing the inputs, running the cases (pipeline/batch.h) and writing the cohort table.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace leptoscan::cli {

class CaseCommandOptions {
 public:
  // Declares --template, --parameters, --profile, --roles, --force and -j.
  void Declare(CLI::App& app, unsigned default_jobs);

  // Indexes `inputs`, runs every patient found as a case into `out`, writes results.tsv and
  // summary.json there; returns the exit code (kJobFailed when any case failed).
  int Run(const std::vector<std::filesystem::path>& inputs, const std::filesystem::path& out,
          const std::string& baseline_date) const;

 private:
  std::filesystem::path template_, parameters_, roles_;
  std::string profile_ = "rano-lm";
  bool force_ = false;
  unsigned jobs_ = 1;
};

}  // namespace leptoscan::cli
