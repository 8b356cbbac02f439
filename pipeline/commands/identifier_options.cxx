#include "pipeline/commands/identifier_options.h"

#include <CLI/CLI.hpp>

namespace leptoscan::cli {

namespace fs = std::filesystem;

void IdentifierOptions::Declare(CLI::App& app) {
  auto* keep = app.add_flag("--keep-identifiers", keep_identifiers_,
                            "Name subjects by their PatientID in folder names, tables, reports and logs, and "
                            "copy the source's patient and study into the DICOM SEG (what a PACS needs to "
                            "file it with the study); default: a pseudonym, LS-<10 hex digits>");
  app.add_option("--pseudonym-key", key_file_,
                 "Key file of the pseudonyms (created when missing; default <out>/.leptoscan-key): the "
                 "same key gives the same pseudonyms in every output folder")
      ->excludes(keep);
}

pipeline::SubjectIds IdentifierOptions::SubjectIdsFor(const fs::path& out) const {
  if (keep_identifiers_) return {};
  return pipeline::SubjectIds(pipeline::ReadOrCreatePseudonymKey(
      key_file_.empty() ? pipeline::DefaultPseudonymKeyFile(out) : key_file_));
}

std::vector<std::string> IdentifierOptions::RunArguments() const {
  if (keep_identifiers_) return {"--keep-identifiers"};
  if (!key_file_.empty()) return {"--pseudonym-key", fs::absolute(key_file_).string()};
  return {};
}

}  // namespace leptoscan::cli
