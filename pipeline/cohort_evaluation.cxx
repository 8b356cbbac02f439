#include "pipeline/cohort_evaluation.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>

#include "io/errors.h"
#include "io/json_file.h"
#include "io/series_index.h"
#include "pipeline/case_runner.h"
#include "scoring/findings_reader.h"

namespace leptoscan::pipeline {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

scoring::Response ResponseNamed(const std::string& name, const fs::path& file) {
  for (scoring::Response r : scoring::kResponses) {
    if (scoring::ResponseName(r) == name) return r;
  }
  throw io::InputError(file, "unknown expected_response '" + name + "'");
}

struct SubjectResult {
  SubjectOutcome outcome;
  std::vector<scoring::TimepointPair> pairs;
};

SubjectResult RunSubject(const fs::path& folder, const filters::AnatomyTemplate& anatomy_template,
                         const CaseOptions& case_options, const fs::path& outputs) {
  SubjectResult result;
  result.outcome.subject = folder.filename().string();
  const auto start = std::chrono::steady_clock::now();
  try {
    const fs::path expected_file = folder / "truth" / "expected.json";
    const Json expected = io::ReadJsonFile(expected_file);
    result.outcome.preset = expected.value("preset", "");
    const io::DicomIndex index = io::IndexFolders({folder});
    if (index.patients.size() != 1)
      throw io::InputError(folder, "holds studies of " + std::to_string(index.patients.size()) +
                                       " patients; a phantom subject has one");
    const CaseResult analysis = RunCase(index.patients.front(), outputs, anatomy_template, case_options);
    for (const CaseTimepoint& t : analysis.timepoints) {
      // The truth names the subject by PatientID, the detected findings as the case outputs do.
      scoring::Findings truth = scoring::ReadFindings(folder / "truth" / t.study_date / "truth.json");
      truth.subject = case_options.subject_ids(truth.subject);
      result.pairs.push_back({std::move(truth), t.findings});
      result.outcome.detected.push_back(t.findings);
    }
    for (const Json& followup : expected.at("followups")) {
      const std::string date = followup.at("date").get<std::string>();
      scoring::FollowupResponse response{result.outcome.subject, date,
                                         ResponseNamed(followup.at("expected_response"), expected_file),
                                         scoring::Response::kNE};
      for (const auto& scored : analysis.score.followups) {
        if (scored.findings.date == date) response.detected = scored.assessment.response;
      }
      result.outcome.responses.push_back(response);
    }
  } catch (const std::exception& e) {
    result.outcome.error = e.what();
    result.pairs.clear();
  }
  result.outcome.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace

std::vector<fs::path> PhantomSubjects(const fs::path& cohort) {
  std::vector<fs::path> subjects;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(cohort, error)) {
    if (entry.is_directory() && fs::exists(entry.path() / "truth" / "expected.json"))
      subjects.push_back(entry.path());
  }
  if (error) throw io::InputError(cohort, "cannot list: " + error.message());
  if (subjects.empty())
    throw io::InputError(cohort,
                         "holds no phantom subject (a folder with truth/expected.json); write one with "
                         "`leptoscan phantom`");
  std::sort(subjects.begin(), subjects.end());
  return subjects;
}

std::string CohortAnatomy(const fs::path& cohort) {
  std::string anatomy;
  for (const fs::path& subject : PhantomSubjects(cohort)) {
    const fs::path expected_file = subject / "truth" / "expected.json";
    const std::string recorded = io::ReadJsonFile(expected_file).value("anatomy", "colin27");
    if (anatomy.empty()) anatomy = recorded;
    if (recorded != anatomy)
      throw io::InputError(expected_file, "has anatomy " + recorded + ", the cohort's first subject " +
                                              anatomy + ": give --template");
  }
  return anatomy;
}

CohortEvaluation EvaluateCohort(const fs::path& cohort, const filters::AnatomyTemplate& anatomy_template,
                                const DetectionParameters& parameters,
                                const CohortEvaluationOptions& options) {
  const std::vector<fs::path> subjects = PhantomSubjects(cohort);
  std::vector<SubjectResult> results(subjects.size());
  // Every stage is redone unless asked otherwise: an evaluation measures the detectors as built, not the
  // outputs of an earlier build.
  CaseOptions case_options;
  case_options.parameters = parameters;
  case_options.force = !options.reuse_outputs;
  case_options.subject_ids = options.subject_ids;
  case_options.template_id = options.template_id;
  std::atomic<std::size_t> done{0};
  tbb::task_arena arena(static_cast<int>(std::max(1u, options.jobs)));
  arena.execute([&] {
    tbb::parallel_for(std::size_t{0}, subjects.size(), [&](std::size_t n) {
      results[n] = RunSubject(subjects[n], anatomy_template, case_options, options.outputs);
      const SubjectOutcome& o = results[n].outcome;
      if (o.error.empty())
        spdlog::info("{}: done in {:.0f} s", o.subject, o.seconds);
      else
        spdlog::error("{}: {}", o.subject, o.error);
      if (options.progress) options.progress(++done, subjects.size());
    });
  });

  CohortEvaluation evaluation;
  std::vector<scoring::TimepointPair> pairs;
  std::vector<scoring::FollowupResponse> responses;
  for (SubjectResult& r : results) {
    pairs.insert(pairs.end(), r.pairs.begin(), r.pairs.end());
    responses.insert(responses.end(), r.outcome.responses.begin(), r.outcome.responses.end());
    evaluation.subjects.push_back(std::move(r.outcome));
  }
  evaluation.metrics = scoring::Evaluate(pairs, responses);
  return evaluation;
}

std::string CohortEvaluationJson(const CohortEvaluation& evaluation, const fs::path& cohort) {
  Json subjects = Json::array();
  for (const SubjectOutcome& s : evaluation.subjects) {
    Json entry{{"subject", s.subject}, {"preset", s.preset}, {"seconds", std::round(s.seconds * 10) / 10}};
    Json followups = Json::array();
    for (const auto& r : s.responses) {
      followups.push_back({{"date", r.date},
                           {"expected", std::string(scoring::ResponseName(r.expected))},
                           {"detected", std::string(scoring::ResponseName(r.detected))}});
    }
    entry["followups"] = followups;
    if (!s.error.empty()) entry["error"] = s.error;
    subjects.push_back(entry);
  }
  const Json document{{"cohort", cohort.string()},
                      {"source", std::string("leptoscan ") + LEPTOSCAN_VERSION},
                      {"metrics", scoring::EvaluationToJson(evaluation.metrics)},
                      {"subjects", subjects}};
  return document.dump(2) + "\n";
}

}  // namespace leptoscan::pipeline
