#include "scoring/subject_score.h"

#include <fmt/format.h>

#include <algorithm>

#include "scoring/calendar.h"
#include "scoring/errors.h"
#include "scoring/lano.h"
#include "scoring/rano_lm.h"

namespace leptoscan::scoring {

std::string_view ProfileName(Profile profile) {
  return profile == Profile::kRanoLm ? "rano-lm" : "lano-2019";
}

std::optional<Profile> ParseProfile(std::string_view name) {
  for (Profile profile : {Profile::kRanoLm, Profile::kLano2019})
    if (name == ProfileName(profile)) return profile;
  return std::nullopt;
}

SubjectScore ScoreSubject(const Findings& baseline, std::vector<FollowUpInput> followups, Profile profile,
                          const ScoringParameters& parameters) {
  SubjectScore score;
  score.profile = profile;
  score.parameters = parameters;
  score.baseline = baseline;
  score.baseline_eano_type = ClassifyEanoType(baseline);
  const long baseline_day = *DayNumber(baseline.date);
  for (FollowUpInput& input : followups) {
    const Findings& findings = input.findings;
    if (findings.subject != baseline.subject)
      throw DocumentError(findings.file, "subject",
                          fmt::format("\"{}\" is not the baseline's subject \"{}\" ({})", findings.subject,
                                      baseline.subject, baseline.file));
    FollowUpScore followup;
    followup.days_from_baseline = *DayNumber(findings.date) - baseline_day;
    if (followup.days_from_baseline <= 0)
      throw DocumentError(findings.file, "date",
                          fmt::format("{} is not after the baseline date {}", findings.date, baseline.date));
    followup.matching = MatchLesions(baseline, findings, input.to_baseline, parameters.match_distance_mm);
    followup.assessment = profile == Profile::kRanoLm
                              ? ScoreRanoLm(baseline, findings, followup.matching, parameters)
                              : ScoreLano2019(baseline, findings, followup.matching, parameters);
    // Ambiguous matches change what is measured, so the trace names them before the rules.
    std::vector<std::string>& trace = followup.assessment.trace;
    for (auto it = followup.matching.ambiguities.rbegin(); it != followup.matching.ambiguities.rend(); ++it)
      trace.insert(trace.begin(), "ambiguous match: " + it->resolution);
    followup.eano_type = ClassifyEanoType(findings);
    followup.separate = ReportSeparateMetastases(baseline, findings, followup.matching);
    followup.transform_file = std::move(input.transform_file);
    followup.findings = std::move(input.findings);
    score.followups.push_back(std::move(followup));
  }
  std::stable_sort(score.followups.begin(), score.followups.end(),
                   [](const auto& a, const auto& b) { return a.days_from_baseline < b.days_from_baseline; });
  for (std::size_t i = 0; i < score.followups.size() && !score.first_progression; ++i) {
    const Response response = score.followups[i].assessment.response;
    if (ResponseRank(response) > ResponseRank(score.best_response)) score.best_response = response;
    if (response == Response::kPD) score.first_progression = i;
  }
  return score;
}

}  // namespace leptoscan::scoring
