// leptoscan eval: detection accuracy on a phantom cohort, against its truth.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <optional>

#include "filters/thread_limit.h"
#include "io/atomic_file.h"
#include "io/temporary_folder.h"
#include "pipeline/cohort_evaluation.h"
#include "pipeline/commands/command.h"
#include "pipeline/commands/command_line.h"
#include "pipeline/commands/identifier_options.h"
#include "pipeline/commands/template_option.h"
#include "pipeline/progress.h"

namespace leptoscan::cli {
namespace {

namespace fs = std::filesystem;

class EvalCommand : public Command {
 public:
  const char* Name() const override { return "eval"; }
  const char* Summary() const override {
    return "Measure detection accuracy on a phantom cohort against its truth";
  }

  void Usage(CLI::App& app) override {
    app.description(
        "Runs the pipeline on every subject of a phantom cohort (written by `leptoscan phantom`; a subject "
        "is "
        "a folder holding truth/expected.json) and compares what it finds with the truth: per item "
        "sensitivity and specificity, nodule recall and false positives per scan, diameter error (mm), "
        "routing of nodules (LM or parenchymal), EANO-ESMO type accuracy, and agreement of the RANO-LM "
        "response with the expected one (confusion matrix and Cohen's kappa). Prints a table with the "
        "targets, writes the metrics and every subject's responses to the JSON file and the metrics to a TSV "
        "beside it. A subject that fails is reported with its error and left out; the exit code is then 1. "
        "Case folders are named as `leptoscan run` names them (a pseudonym unless --keep-identifiers; the "
        "key of a batch's folder is used when --outputs is that folder); subjects are paired with their "
        "truth by the cohort's folders.");
    app.add_option("cohort", cohort_, "Phantom cohort folder")->required()->check(CLI::ExistingDirectory);
    app.add_option("-o,--output", output_, "Metrics and per-subject results (JSON); the TSV goes beside it")
        ->default_val("eval.json");
    app.add_option("-j,--jobs", jobs_, "Subjects analysed at once")
        ->default_val(1)
        ->check(CLI::Range(1, 256));
    AddThreadsOption(app, threads_);
    template_.Declare(app, "default: the anatomy the cohort was written with");
    app.add_option("--outputs", outputs_,
                   "Keep every subject's case outputs (as `leptoscan run` writes them) in this folder; "
                   "default: a temporary folder, removed at the end");
    app.add_flag("--reuse-outputs", reuse_,
                 "Keep the stages in --outputs whose inputs, parameters and version match (e.g. a `leptoscan "
                 "batch` on the cohort) instead of redoing every one")
        ->needs("--outputs");
    identifiers_.Declare(app);
    app.footer(
        "Examples:\n"
        "  leptoscan phantom /data/cohort --cohort 30 --seed 7 && leptoscan eval /data/cohort -o eval.json "
        "-j 2\n"
        "  leptoscan eval /data/cohort --outputs /data/cohort-outputs   keep what was detected, for "
        "review\n"
        "  leptoscan batch /data/cohort /results && leptoscan eval /data/cohort --outputs /results "
        "--reuse-outputs");
  }

  int Run() override {
    const filters::ThreadLimit thread_limit(threads_);
    const LoadedTemplate anatomy_template = template_.Load(pipeline::CohortAnatomy(cohort_));
    pipeline::CohortEvaluationOptions options;
    options.template_id = anatomy_template.id;
    options.jobs = jobs_;
    // Without a folder to keep them in, the case outputs go to a temporary one.
    std::optional<io::TemporaryFolder> scratch;
    if (outputs_.empty()) scratch.emplace("leptoscan-eval");
    options.outputs = scratch ? scratch->path() : outputs_;
    options.subject_ids = identifiers_.SubjectIdsFor(options.outputs);
    options.reuse_outputs = reuse_;
    Progress progress("eval", "subjects");
    options.progress = [&](std::size_t done, std::size_t total) { progress.Update(done, total); };
    const pipeline::CohortEvaluation evaluation =
        pipeline::EvaluateCohort(cohort_, anatomy_template.anatomy, pipeline::DetectionParameters{}, options);

    std::cout << scoring::EvaluationTable(evaluation.metrics) << std::flush;
    io::WriteFileAtomically(output_, pipeline::CohortEvaluationJson(evaluation, cohort_));
    fs::path tsv = output_;
    tsv.replace_extension(".tsv");
    io::WriteFileAtomically(tsv, scoring::EvaluationTsv(evaluation.metrics));
    spdlog::info("wrote {} and {}", output_.string(), tsv.string());
    std::size_t failed = 0;
    for (const auto& subject : evaluation.subjects) {
      if (subject.error.empty()) continue;
      spdlog::error("{}: {}", subject.subject, subject.error);
      ++failed;
    }
    if (failed > 0) spdlog::error("{} of {} subjects failed", failed, evaluation.subjects.size());
    return failed > 0 ? kJobFailed : kSuccess;
  }

 private:
  fs::path cohort_, output_, outputs_;
  TemplateOption template_;
  unsigned jobs_ = 1;
  unsigned threads_ = 0;  // 0: every core
  bool reuse_ = false;
  IdentifierOptions identifiers_;
};

}  // namespace

std::unique_ptr<Command> MakeEvalCommand() {
  return std::make_unique<EvalCommand>();
}

}  // namespace leptoscan::cli
