// `leptoscan run` and `leptoscan batch`: every patient found under the input folders is one case
// (case_runner.h), run in parallel within the machine's cores and memory; a case that fails is recorded
// with its stage and message (<out>/<subject>/error.json) and the others carry on. A rerun skips what an
// earlier run finished (the stage manifests), so an interrupted batch resumes where it stopped.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/case_runner.h"

namespace leptoscan::pipeline {

struct BatchCounts {
  std::size_t total = 0, done = 0, failed = 0, running = 0;  // done includes failed
};

struct BatchOptions {
  unsigned jobs = 1;  // cases at once
  CaseOptions case_options;
  std::function<void(const BatchCounts&)> progress;  // from worker threads, as cases start and end
};

struct CaseOutcome {
  std::string subject;           // as CaseResult::subject
  std::filesystem::path folder;  // <out>/<subject folder>
  std::optional<CaseResult> result;
  std::optional<StageError> error;  // set when the case failed
  double seconds = 0;
};

// Responses by name over the subjects that were scored against a follow-up.
struct ResponseCounts {
  std::map<std::string, int> followup;  // every follow-up's response
  std::map<std::string, int> best;      // each subject's best response
  std::size_t followups = 0;
};

struct BatchResult {
  std::vector<CaseOutcome> cases;  // in the order of the index (by PatientID)
  std::size_t Failed() const;
  ResponseCounts Responses() const;
};

// Cases a machine runs at once: its cores, and no more than its available memory holds at the measured
// peak of one case (bench/RESULTS.md).
unsigned DefaultJobs();

BatchResult RunBatch(const std::vector<io::PatientRecord>& patients, const std::filesystem::path& out,
                     const filters::AnatomyTemplate& anatomy_template, const BatchOptions& options);

// results.tsv: one row per subject and follow-up (a subject without follow-up, or one that failed, has
// one row): the items at that time point, the composite, the response, the EANO-ESMO types, the version.
std::string ResultsTsv(const BatchResult& batch);
// summary.json: counts, responses, and every case with its status, time and error.
std::string SummaryJson(const BatchResult& batch);
// Writes results.tsv, summary.json and summary.html (cohort_page.h) into `out`.
void WriteBatchSummary(const BatchResult& batch, const std::filesystem::path& out);

}  // namespace leptoscan::pipeline
