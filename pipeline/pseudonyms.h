// Subjects are named in every output (folder names, tables, pages, reports, logs, findings and score
// documents, the DICOM SEG) by a pseudonym unless identifiers are kept (`--keep-identifiers`): "LS-" and
// the first 10 hex digits of HMAC-SHA-256(key, PatientID). The same key gives the same pseudonym in every
// run and output folder; without the key a pseudonym can neither be traced back nor checked against a
// PatientID.
//
// <out>/.leptoscan-key   the key, created by the first run into <out> (256 random bits as 64 hex digits,
//                        mode 0600) unless --pseudonym-key names another file (created there if missing)
// <out>/identifiers.tsv  subject (pseudonym) and patient_id, mode 0600: the way back, for the study team
//
// Neither file belongs in a copy of the outputs that leaves the study team.
#pragma once

#include <filesystem>
#include <string>

namespace leptoscan::pipeline {

class SubjectIds {
 public:
  // Subjects named by their PatientID.
  SubjectIds() = default;
  // Subjects named by a pseudonym under `key`.
  explicit SubjectIds(std::string key);

  bool pseudonymous() const { return !key_.empty(); }
  // The subject id of a PatientID: its pseudonym, or the PatientID itself.
  std::string operator()(const std::string& patient_id) const;

 private:
  std::string key_;
};

// The key file of an output folder when no other is named.
std::filesystem::path DefaultPseudonymKeyFile(const std::filesystem::path& out);

// The key in `file` (its bytes up to trailing white space, at least 32), created when there is no such
// file. Throws io::InputError naming the file when it cannot be read or created, or the key is too short.
std::string ReadOrCreatePseudonymKey(const std::filesystem::path& file);

// Adds the row (subject, patient_id) to <out>/identifiers.tsv (sorted by subject) unless it is there (the
// file is then left as it is); tabs, newlines and backslashes in a PatientID are written escaped as in C.
// Safe across the threads of one process; `leptoscan slurm` writes every task's row before submitting, so
// that tasks do not race on the file. Throws io::InputError naming the file when the subject is there for
// another PatientID.
void RecordIdentifier(const std::filesystem::path& out, const std::string& subject,
                      const std::string& patient_id);

}  // namespace leptoscan::pipeline
