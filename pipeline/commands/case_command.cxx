#include "pipeline/commands/case_command.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>

#include "filters/thread_limit.h"
#include "io/errors.h"
#include "io/series_index.h"
#include "pipeline/batch.h"
#include "pipeline/commands/command.h"
#include "pipeline/commands/command_line.h"
#include "pipeline/detection_parameters.h"
#include "pipeline/progress.h"

namespace leptoscan::cli {

namespace fs = std::filesystem;

void CaseCommandOptions::Declare(CLI::App& app, unsigned default_jobs) {
  template_.Declare(app, "default: colin27");
  app.add_option(
         "--parameters", parameters_,
         "Detection and scoring parameters (JSON, any subset of the parameters.json every run writes)")
      ->check(CLI::ExistingFile);
  app.add_option("--profile", profile_, "Response criteria: rano-lm or lano-2019")
      ->default_val("rano-lm")
      ->check(CLI::IsMember({"rano-lm", "lano-2019"}));
  app.add_option("--roles", roles_, "Series role overrides (as for `leptoscan index --roles`)")
      ->check(CLI::ExistingFile);
  app.add_flag("--force", force_,
               "Redo every stage, even those an earlier run finished with the same inputs");
  app.add_option("-j,--jobs", jobs_, "Subjects analysed at once (default: as many as cores and memory allow)")
      ->default_val(default_jobs)
      ->check(CLI::Range(1, 256));
  AddThreadsOption(app, threads_);
  identifiers_.Declare(app);
}

std::vector<std::string> CaseCommandOptions::RunArguments() const {
  std::vector<std::string> arguments{"--profile", profile_};
  for (std::string& argument : template_.RunArguments())
    arguments.push_back(std::move(argument));
  for (const auto& [option, path] : {std::pair{"--parameters", parameters_}, std::pair{"--roles", roles_}}) {
    if (path.empty()) continue;
    arguments.push_back(option);
    arguments.push_back(fs::absolute(path).string());
  }
  if (force_) arguments.emplace_back("--force");
  if (threads_ > 0) {
    arguments.emplace_back("--threads");
    arguments.push_back(std::to_string(threads_));
  }
  for (std::string& argument : identifiers_.RunArguments())
    arguments.push_back(std::move(argument));
  return arguments;
}

int CaseCommandOptions::Run(const std::vector<fs::path>& inputs, const fs::path& out,
                            const Selection& selection) const {
  const filters::ThreadLimit thread_limit(threads_);
  const std::string& baseline_date = selection.baseline_date;
  pipeline::BatchOptions options;
  options.jobs = jobs_;
  pipeline::CaseOptions& case_options = options.case_options;
  if (!parameters_.empty()) case_options.parameters = pipeline::ReadDetectionParameters(parameters_);
  case_options.profile = *scoring::ParseProfile(profile_);
  case_options.baseline_date = baseline_date;
  case_options.force = force_;
  const LoadedTemplate anatomy_template = template_.Load("colin27");
  case_options.template_id = anatomy_template.id;
  case_options.subject_ids = identifiers_.SubjectIdsFor(out);

  io::IndexOptions index_options;
  if (!roles_.empty()) index_options.overrides = io::LoadRoleOverrides(roles_);
  io::DicomIndex index;
  {
    Progress progress("index", "files");
    index_options.progress = [&](std::size_t done, std::size_t total) { progress.Update(done, total); };
    index = io::IndexFolders(inputs, index_options);
  }
  if (index.patients.empty()) throw io::InputError(inputs.front(), "holds no DICOM image");
  if (!selection.subject.empty()) {
    const auto other = [&](const io::PatientRecord& patient) {
      return patient.patient_id != selection.subject &&
             case_options.subject_ids(patient.patient_id) != selection.subject;
    };
    index.patients.erase(std::remove_if(index.patients.begin(), index.patients.end(), other),
                         index.patients.end());
    if (index.patients.empty())
      throw io::InputError(inputs.front(), "holds no study of subject '" + selection.subject + "'");
  }
  if (!baseline_date.empty() && index.patients.size() > 1)
    throw CLI::ValidationError(
        "--baseline", "applies to one subject; the inputs hold " + std::to_string(index.patients.size()));
  spdlog::info("{} subject(s), {} at once; outputs in {}", index.patients.size(), options.jobs, out.string());

  fs::create_directories(out);
  Progress progress("cases", "subjects");
  options.progress = [&](const pipeline::BatchCounts& c) {
    progress.Update(c.done, c.total, fmt::format("{} failed, {} running", c.failed, c.running));
  };
  const pipeline::BatchResult batch =
      pipeline::RunBatch(index.patients, out, anatomy_template.anatomy, options);
  if (selection.write_summary) {
    pipeline::WriteBatchSummary(batch, out);
    spdlog::info("wrote {} and {}", (out / "results.tsv").string(), (out / "summary.json").string());
  }
  if (batch.Failed() > 0) {
    spdlog::error("{} of {} subjects failed; each has an error.json saying why", batch.Failed(),
                  batch.cases.size());
    return kJobFailed;
  }
  return kSuccess;
}

}  // namespace leptoscan::cli
