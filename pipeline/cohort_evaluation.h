// `leptoscan eval`: the pipeline run over a phantom cohort (testdata/phantom, `leptoscan phantom`) and its
// findings and responses compared with the cohort's truth (scoring/evaluation.h).
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "pipeline/pseudonyms.h"
#include "pipeline/timepoint_analysis.h"
#include "scoring/evaluation.h"

namespace leptoscan::pipeline {

struct SubjectOutcome {
  std::string subject, preset;
  std::string error;  // empty when the subject ran; the message naming the file and problem otherwise
  double seconds = 0;
  std::vector<scoring::Findings> detected;           // per time point, baseline first
  std::vector<scoring::FollowupResponse> responses;  // per follow-up
};

struct CohortEvaluation {
  std::vector<SubjectOutcome> subjects;
  scoring::Evaluation metrics;
};

struct CohortEvaluationOptions {
  unsigned jobs = 1;  // subjects analysed at once
  // The case outputs (case_runner.h) go to <outputs>/<subject>/.
  std::filesystem::path outputs;
  SubjectIds subject_ids;  // how the case folders are named (pseudonyms.h)
  // Keep the stages of `outputs` whose manifest matches (e.g. a `leptoscan batch` just run on the cohort)
  // instead of redoing every one.
  bool reuse_outputs = false;
  std::string template_id = "analytic";  // as CaseOptions::template_id
  std::function<void(std::size_t done, std::size_t total)> progress;
};

// The subject folders of a phantom cohort (those holding truth/expected.json), sorted. Throws
// io::InputError naming the folder when there is none.
std::vector<std::filesystem::path> PhantomSubjects(const std::filesystem::path& cohort);

// The anatomy the cohort's phantoms were written with ("analytic", "colin27"; truth/expected.json), which
// names the template that fits them; "colin27" for a cohort that does not say (written before it did).
// Throws io::InputError naming a file that disagrees with the first subject's.
std::string CohortAnatomy(const std::filesystem::path& cohort);

// A subject that fails is recorded with its error and left out of the metrics; the others carry on.
CohortEvaluation EvaluateCohort(const std::filesystem::path& cohort,
                                const filters::AnatomyTemplate& anatomy_template,
                                const DetectionParameters& parameters,
                                const CohortEvaluationOptions& options);

// eval.json: the metrics, then one entry per subject (responses, errors, seconds).
std::string CohortEvaluationJson(const CohortEvaluation& evaluation, const std::filesystem::path& cohort);

}  // namespace leptoscan::pipeline
