#include "pipeline/batch.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "io/atomic_file.h"
#include "pipeline/cohort_page.h"
#include "scoring/eano_type.h"

namespace leptoscan::pipeline {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

const std::string kSource = std::string("leptoscan ") + LEPTOSCAN_VERSION;

// Peak resident memory of one case: 1.52 GB for a 1 mm head, pre and post, two visits analysed side by side
// (0.83 GB one after the other; `/usr/bin/time -v leptoscan run`, bench/RESULTS.md), with room for larger
// matrices.
constexpr double kCaseMemoryBytes = 2.0 * (1ull << 30);

std::size_t AvailableMemoryBytes() {
  std::ifstream meminfo("/proc/meminfo");
  std::string key;
  std::size_t kilobytes = 0;
  while (meminfo >> key >> kilobytes) {
    if (key == "MemAvailable:") return kilobytes * 1024;
    meminfo.ignore(64, '\n');
  }
  return 0;
}

void WriteError(const CaseOutcome& outcome) {
  const Json error{{"schema", "leptoscan.error/1"},       {"subject", outcome.subject},
                   {"stage", outcome.error->stage()},     {"timepoint", outcome.error->timepoint()},
                   {"message", outcome.error->message()}, {"source", kSource}};
  fs::create_directories(outcome.folder);
  io::WriteFileAtomically(outcome.folder / "error.json", error.dump(2) + "\n");
}

CaseOutcome RunOne(const io::PatientRecord& patient, const fs::path& out,
                   const filters::AnatomyTemplate& anatomy_template, const CaseOptions& options) {
  CaseOutcome outcome;
  outcome.subject = options.subject_ids(patient.patient_id);
  outcome.folder = out / SubjectFolderName(outcome.subject);
  const auto start = std::chrono::steady_clock::now();
  try {
    outcome.result = RunCase(patient, out, anatomy_template, options);
    fs::remove(outcome.folder / "error.json");  // from an earlier run that failed
  } catch (const StageError& e) {
    outcome.error = e;
  } catch (const std::exception& e) {
    outcome.error = StageError("output", "", e.what());
  }
  if (outcome.error) {
    try {
      WriteError(outcome);
    } catch (const std::exception& e) {
      spdlog::error("{}: cannot record the failure: {}", outcome.subject, e.what());
    }
  }
  outcome.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return outcome;
}

std::string Number(std::optional<double> value, double step) {
  return value ? fmt::format("{:g}", std::round(*value / step) * step) : "";
}

}  // namespace

std::size_t BatchResult::Failed() const {
  return static_cast<std::size_t>(
      std::count_if(cases.begin(), cases.end(), [](const CaseOutcome& c) { return c.error.has_value(); }));
}

ResponseCounts BatchResult::Responses() const {
  ResponseCounts counts;
  for (const CaseOutcome& c : cases) {
    if (!c.result || c.result->score.followups.empty()) continue;
    for (const scoring::FollowUpScore& f : c.result->score.followups)
      ++counts.followup[std::string(scoring::ResponseName(f.assessment.response))];
    counts.followups += c.result->score.followups.size();
    ++counts.best[std::string(scoring::ResponseName(c.result->score.best_response))];
  }
  return counts;
}

unsigned DefaultJobs() {
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const auto by_memory =
      static_cast<unsigned>(static_cast<double>(AvailableMemoryBytes()) / kCaseMemoryBytes);
  return std::clamp(by_memory, 1u, cores);
}

BatchResult RunBatch(const std::vector<io::PatientRecord>& patients, const fs::path& out,
                     const filters::AnatomyTemplate& anatomy_template, const BatchOptions& options) {
  BatchResult batch;
  batch.cases.resize(patients.size());
  BatchCounts counts;
  counts.total = patients.size();
  std::mutex mutex;
  const auto report = [&](auto change) {
    std::lock_guard<std::mutex> lock(mutex);
    change(counts);
    if (options.progress) options.progress(counts);
  };
  tbb::task_arena arena(static_cast<int>(std::max(1u, options.jobs)));
  arena.execute([&] {
    // One case per task: a grain of 1 keeps long cases from queueing behind each other.
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, patients.size(), 1),
                      [&](const tbb::blocked_range<std::size_t>& r) {
                        for (std::size_t n = r.begin(); n != r.end(); ++n) {
                          report([](BatchCounts& c) { ++c.running; });
                          batch.cases[n] = RunOne(patients[n], out, anatomy_template, options.case_options);
                          const CaseOutcome& o = batch.cases[n];
                          if (o.error)
                            spdlog::error("{}: failed in {}: {}", o.subject, o.error->stage(),
                                          o.error->message());
                          else
                            spdlog::info("{}: done in {:.0f} s", o.subject, o.seconds);
                          report([&](BatchCounts& c) {
                            --c.running;
                            ++c.done;
                            if (o.error) ++c.failed;
                          });
                        }
                      });
  });
  return batch;
}

std::string ResultsTsv(const BatchResult& batch) {
  std::vector<std::string> header{"subject", "status", "baseline_date", "date", "days_from_baseline"};
  for (scoring::Item item : scoring::kItems)
    header.emplace_back(scoring::ItemName(item));
  for (const char* column :
       {"evans_index", "baseline_composite_mm2", "composite_mm2", "change_percent", "baseline_eano_type",
        "eano_type", "new_lesions", "response", "best_response", "error", "source"})
    header.emplace_back(column);
  std::string tsv = fmt::format("{}\n", fmt::join(header, "\t"));
  // Cells by column name; the columns a row does not name stay empty.
  const auto add_row = [&](const std::map<std::string, std::string>& cells) {
    std::vector<std::string> row;
    for (const std::string& column : header) {
      const auto found = cells.find(column);
      row.push_back(found == cells.end() ? "" : found->second);
    }
    tsv += fmt::format("{}\n", fmt::join(row, "\t"));
  };
  for (const CaseOutcome& c : batch.cases) {
    std::map<std::string, std::string> cells{{"subject", c.subject}, {"source", kSource}};
    if (c.error) {
      std::string message = c.error->what();
      std::replace_if(
          message.begin(), message.end(), [](char ch) { return ch == '\t' || ch == '\n'; }, ' ');
      cells["status"] = "failed";
      cells["error"] = message;
      add_row(cells);
      continue;
    }
    const scoring::SubjectScore& score = c.result->score;
    cells["status"] = "ok";
    cells["baseline_date"] = score.baseline.date;
    cells["baseline_eano_type"] = scoring::EanoTypeName(score.baseline_eano_type);
    const auto add_items = [&](const scoring::Findings& findings) {
      for (scoring::Item item : scoring::kItems)
        cells[std::string(scoring::ItemName(item))] = scoring::StatusName(findings.status(item));
      cells["evans_index"] = Number(findings.item(scoring::Item::kHydrocephalus).evans_index, 0.001);
    };
    if (score.followups.empty()) {  // the baseline alone: its items, nothing to compare
      cells["date"] = score.baseline.date;
      cells["days_from_baseline"] = "0";
      cells["eano_type"] = cells["baseline_eano_type"];
      add_items(score.baseline);
      add_row(cells);
      continue;
    }
    for (const scoring::FollowUpScore& f : score.followups) {
      const scoring::Assessment& a = f.assessment;
      cells["date"] = f.findings.date;
      cells["days_from_baseline"] = std::to_string(f.days_from_baseline);
      add_items(f.findings);
      cells["baseline_composite_mm2"] = Number(a.baseline_composite_mm2, 0.1);
      cells["composite_mm2"] = Number(a.followup_composite_mm2, 0.1);
      cells["change_percent"] = Number(a.change ? std::optional<double>(*a.change * 100) : std::nullopt, 0.1);
      cells["eano_type"] = scoring::EanoTypeName(f.eano_type);
      cells["new_lesions"] = fmt::format("{}", fmt::join(a.new_lesions, ","));
      cells["response"] = scoring::ResponseName(a.response);
      cells["best_response"] = scoring::ResponseName(score.best_response);
      add_row(cells);
    }
  }
  return tsv;
}

std::string SummaryJson(const BatchResult& batch) {
  const ResponseCounts responses = batch.Responses();
  Json cases = Json::array();
  double seconds = 0;
  for (const CaseOutcome& c : batch.cases) {
    Json entry{{"subject", c.subject},
               {"folder", c.folder.filename().string()},
               {"status", c.error ? "failed" : "ok"},
               {"seconds", std::round(c.seconds * 10) / 10}};
    seconds += c.seconds;
    if (c.error) {
      entry["stage"] = c.error->stage();
      entry["timepoint"] = c.error->timepoint();
      entry["error"] = c.error->message();
    } else {
      const scoring::SubjectScore& score = c.result->score;
      entry["timepoints"] = c.result->timepoints.size();
      if (!score.followups.empty()) entry["best_response"] = scoring::ResponseName(score.best_response);
      std::size_t skipped = 0;
      for (const StageRun& s : c.result->stages)
        skipped += s.skipped ? 1 : 0;
      entry["stages_skipped"] = skipped;
    }
    cases.push_back(entry);
  }
  const Json summary{{"schema", "leptoscan.batch/1"},       {"source", kSource},
                     {"subjects", batch.cases.size()},      {"failed", batch.Failed()},
                     {"case_seconds", std::round(seconds)}, {"followup_responses", responses.followup},
                     {"best_responses", responses.best},    {"cases", cases}};
  return summary.dump(2) + "\n";
}

void WriteBatchSummary(const BatchResult& batch, const fs::path& out) {
  io::WriteFileAtomically(out / "results.tsv", ResultsTsv(batch));
  io::WriteFileAtomically(out / "summary.json", SummaryJson(batch));
  io::WriteFileAtomically(out / "summary.html", CohortSummaryHtml(batch));
}

}  // namespace leptoscan::pipeline
