// --keep-identifiers and --pseudonym-key, shared by the commands that write case outputs (run, batch,
// slurm, eval): how subjects are named in <out> (pipeline/pseudonyms.h).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "pipeline/pseudonyms.h"

namespace CLI {
class App;
}

namespace leptoscan::cli {

class IdentifierOptions {
 public:
  void Declare(CLI::App& app);

  // The subject ids of outputs in `out`: PatientIDs with --keep-identifiers, else pseudonyms under the key
  // of --pseudonym-key or <out>/.leptoscan-key (either created when missing).
  pipeline::SubjectIds SubjectIdsFor(const std::filesystem::path& out) const;

  // The options as `leptoscan run` arguments, for the tasks of a Slurm job.
  std::vector<std::string> RunArguments() const;

 private:
  bool keep_identifiers_ = false;
  std::filesystem::path key_file_;
};

}  // namespace leptoscan::cli
