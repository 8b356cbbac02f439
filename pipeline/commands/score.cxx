// leptoscan score: RANO-LM (or revised LANO) response of a subject from findings documents.
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "io/atomic_file.h"
#include "pipeline/commands/command.h"
#include "scoring/findings_reader.h"
#include "scoring/itk_transform.h"
#include "scoring/parameters.h"
#include "scoring/score_document.h"
#include "scoring/score_table.h"
#include "scoring/subject_score.h"

namespace leptoscan::cli {
namespace {

class ScoreCommand : public Command {
 public:
  const char* Name() const override { return "score"; }
  const char* Summary() const override {
    return "Score the response of leptomeningeal metastases (RANO-LM, revised LANO) from findings documents";
  }

  void Usage(CLI::App& app) override {
    app.description(
        "Reads the findings document (schema leptoscan.findings/1) of a baseline and of one or more "
        "follow-ups "
        "of one subject, matches lesions between time points by position, and scores every follow-up against "
        "the baseline: profile rano-lm (default) picks up to 5 targets and compares their composite in mm2 "
        "(PR at -50%, PD at +25%, new lesions and new items are PD); profile lano-2019 scores the five items "
        "of the revised LANO card. The EANO-ESMO MRI type is given for every time point; parenchymal and "
        "intramedullary metastases are reported apart and never enter the response. Prints a table; -o "
        "writes "
        "the score document (with several follow-ups, a leptoscan.score-series/1 document holding one score "
        "per follow-up, the best response and the first progression). Every item must be in every document "
        "unless --missing-as-ne is given. A reviewed document (review.json, written by leptoscan-view) is a "
        "findings document holding what the reviewer decided: rejected findings are gone, edits applied; "
        "its review is summarised in the log. Exit codes: 0 scored, 1 a document, parameters or transform "
        "file "
        "breaks its contract (the message names the file, the field and the problem), 2 usage error.");
    app.add_option("--baseline", baseline_, "Findings document of the baseline (reference) scan")
        ->required()
        ->check(CLI::ExistingFile);
    app.add_option("--followup", followups_, "Findings document of a follow-up scan; repeat for several")
        ->required()
        ->check(CLI::ExistingFile);
    app.add_option("--profile", profile_, "Scoring rules: rano-lm or lano-2019")
        ->check(CLI::IsMember({"rano-lm", "lano-2019"}))
        ->capture_default_str();
    app.add_option("--params", params_,
                   "Parameters file (JSON) overriding thresholds, e.g. {\"pd_change\": 0.25, "
                   "\"match_distance_mm\": 10}; see the scoring README")
        ->check(CLI::ExistingFile);
    app.add_option(
           "--transform", transforms_,
           "ITK transform file of the registration baseline (fixed) <- follow-up (moving); give one per "
           "--followup, in the same order. Its inverse maps follow-up lesion centres to the baseline")
        ->check(CLI::ExistingFile);
    app.add_option("-o,--output", output_, "Write the score document (JSON)");
    app.add_option("--tsv", tsv_, "Write one row per follow-up as TSV");
    app.add_flag("--missing-as-ne", missing_as_ne_,
                 "Score an item missing from a document as NE instead of failing");
    app.footer(
        "Examples:\n"
        "  leptoscan score --baseline bl.json --followup fu1.json                 print the RANO-LM table\n"
        "  leptoscan score --baseline bl.json --followup fu1.json --followup fu2.json -o score.json --tsv "
        "score.tsv\n"
        "  leptoscan score --baseline bl.json --followup fu1.json --profile lano-2019\n"
        "  leptoscan score --baseline P001/20240301/review.json --followup P001/20240502/review.json   "
        "reviewed findings\n"
        "  leptoscan score --baseline bl.json --followup fu1.json --transform fu1_to_bl.tfm --params "
        "strict.json");
  }

  int Run() override {
    if (!transforms_.empty() && transforms_.size() != followups_.size()) {
      spdlog::error("give one --transform per --followup ({} transform(s) for {} follow-up(s))",
                    transforms_.size(), followups_.size());
      return kUsageError;
    }
    const scoring::FindingsReadOptions read_options{missing_as_ne_};
    const auto read = [&read_options](const std::filesystem::path& file) {
      scoring::Findings findings = scoring::ReadFindings(file, read_options);
      if (findings.review) spdlog::info("{}: reviewed: {}", file.string(), scoring::ReviewSummary(findings));
      return findings;
    };
    const scoring::Findings baseline = read(baseline_);
    std::vector<scoring::FollowUpInput> inputs;
    for (std::size_t i = 0; i < followups_.size(); ++i) {
      scoring::FollowUpInput input{read(followups_[i]), {}, {}};
      if (!transforms_.empty()) {
        input.to_baseline = scoring::ReadFollowupToBaseline(transforms_[i]);
        input.transform_file = transforms_[i].string();
      }
      inputs.push_back(std::move(input));
    }
    const scoring::ScoringParameters parameters =
        params_.empty() ? scoring::ScoringParameters{} : scoring::ReadParameters(params_);
    const scoring::SubjectScore score =
        scoring::ScoreSubject(baseline, std::move(inputs), *scoring::ParseProfile(profile_), parameters);

    std::cout << scoring::ScoreTable(score);
    if (!output_.empty()) {
      io::WriteFileAtomically(output_, score.followups.size() == 1 ? scoring::ScoreDocumentJson(score, 0)
                                                                   : scoring::ScoreSeriesJson(score));
      spdlog::info("wrote {}", output_.string());
    }
    if (!tsv_.empty()) {
      io::WriteFileAtomically(tsv_, scoring::ScoreTsv(score));
      spdlog::info("wrote {}", tsv_.string());
    }
    return kSuccess;
  }

 private:
  std::filesystem::path baseline_;
  std::vector<std::filesystem::path> followups_;
  std::string profile_ = "rano-lm";
  std::filesystem::path params_;
  std::vector<std::filesystem::path> transforms_;
  std::filesystem::path output_;
  std::filesystem::path tsv_;
  bool missing_as_ne_ = false;
};

}  // namespace

std::unique_ptr<Command> MakeScoreCommand() {
  return std::make_unique<ScoreCommand>();
}

}  // namespace leptoscan::cli
