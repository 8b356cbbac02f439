#include "scoring/rano_lm.h"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

namespace leptoscan::scoring {
namespace {

std::string DescribeTargets(const Assessment& assessment) {
  std::vector<std::string> parts;
  for (const TargetMeasurement& t : assessment.targets)
    parts.push_back(fmt::format("{} {} {:.1f} mm2{}", t.id, LesionKindName(t.kind), t.baseline_mm2,
                                t.measurable ? " (measurable)" : ""));
  if (parts.empty()) return "targets: none at baseline";
  return fmt::format("targets: {}", fmt::join(parts, ", "));
}

std::string DescribeComposite(const Assessment& assessment) {
  std::string text = fmt::format("composite {:.1f} -> ", assessment.baseline_composite_mm2);
  if (!assessment.followup_composite_mm2) return text + "not evaluable mm2";
  text += fmt::format("{:.1f} mm2", *assessment.followup_composite_mm2);
  std::vector<std::string> unknown;
  double compared = 0;
  for (const TargetMeasurement& t : assessment.targets) {
    if (t.followup_mm2)
      compared += t.baseline_mm2;
    else
      unknown.push_back(t.id);
  }
  if (!unknown.empty())
    text += fmt::format(" (NE at follow-up: {}; change over the other targets, {:.1f} mm2 at baseline)",
                        fmt::join(unknown, ", "), compared);
  if (assessment.change) text += fmt::format(" ({})", Percent(*assessment.change));
  return text;
}

// The lesions and items that make the follow-up PD under rano-lm, each in words.
std::vector<std::string> ProgressionReasons(const Assessment& assessment,
                                            const ScoringParameters& parameters) {
  std::vector<std::string> reasons;
  if (assessment.change && SizeChange(*assessment.change, parameters) == ItemChange::kWorse)
    reasons.push_back(
        fmt::format("{} >= {}: PD", DescribeComposite(assessment), Percent(parameters.pd_change)));
  if (!assessment.new_lesions.empty())
    reasons.push_back(fmt::format("new nodule {}: PD", fmt::join(assessment.new_lesions, ", ")));
  for (const ItemAssessment& item : assessment.items)
    if (item.change == ItemChange::kWorse)
      reasons.push_back(
          fmt::format("{} absent at baseline, present at follow-up ({}): PD", item.name,
                      item.name == ItemName(Item::kHydrocephalus) ? "new hydrocephalus" : "new item"));
  return reasons;
}

}  // namespace

std::vector<const Lesion*> SelectRanoLmTargets(const Findings& baseline,
                                               const ScoringParameters& parameters) {
  std::vector<const Lesion*> candidates;
  for (const Lesion& lesion : baseline.lesions) {
    const auto item = lesion.ScoredItem();
    if (item && baseline.status(*item) == Status::kPresent) candidates.push_back(&lesion);
  }
  const auto key = [&parameters](const Lesion* lesion) {
    const bool measurable =
        IsMeasurableNodule(*lesion, parameters.measurable_mm, parameters.measurable_inclusive);
    return std::make_tuple(!measurable, -lesion->SizeMm2(), lesion->id);
  };
  std::sort(candidates.begin(), candidates.end(),
            [&key](const Lesion* a, const Lesion* b) { return key(a) < key(b); });
  if (candidates.size() > static_cast<std::size_t>(parameters.max_targets))
    candidates.resize(parameters.max_targets);
  return candidates;
}

Assessment ScoreRanoLm(const Findings& baseline, const Findings& followup, const LesionMatching& matching,
                       const ScoringParameters& parameters) {
  Assessment assessment;
  assessment.targets = MeasureTargets(SelectRanoLmTargets(baseline, parameters), followup, matching,
                                      parameters, parameters.measurable_mm);
  SumComposite(assessment);
  for (Item item : kItems)
    assessment.items.push_back({std::string(ItemName(item)), baseline.status(item), followup.status(item),
                                PresenceChange(baseline.status(item), followup.status(item))});

  std::vector<std::string>& trace = assessment.trace;
  trace.push_back(DescribeTargets(assessment));
  for (const Lesion& lesion : followup.lesions) {
    const auto item = lesion.ScoredItem();
    if (!item || !matching.IsNew(lesion.id)) continue;
    // Only a new nodule is a new lesion; new linear enhancement counts through its item turning present.
    if (lesion.kind != LesionKind::kNodule)
      trace.push_back(fmt::format("{} {} has no baseline counterpart; not a new nodule, not counted",
                                  lesion.id, LesionKindName(lesion.kind)));
    else if (baseline.status(*item) == Status::kNotEvaluable)
      trace.push_back(
          fmt::format("{} has no baseline counterpart but {} was NE at baseline; not counted as new",
                      lesion.id, ItemName(*item)));
    else
      assessment.new_lesions.push_back(lesion.id);
  }
  for (const ItemAssessment& item : assessment.items)
    if (item.baseline == Status::kNotEvaluable && item.followup != Status::kNotEvaluable)
      trace.push_back(fmt::format("{} NE at baseline: not compared", item.name));

  const std::vector<std::string> progression = ProgressionReasons(assessment, parameters);
  if (!progression.empty()) {
    trace.insert(trace.end(), progression.begin(), progression.end());
    assessment.response = Response::kPD;
    return assessment;
  }
  std::vector<std::string> lost;
  bool all_absent = true, any_baseline = false;
  for (const ItemAssessment& item : assessment.items) {
    if (item.baseline == Status::kPresent && item.followup == Status::kNotEvaluable)
      lost.push_back(item.name);
    all_absent = all_absent && item.followup == Status::kAbsent;
    any_baseline = any_baseline || item.baseline == Status::kPresent;
  }
  if (!lost.empty()) {
    trace.push_back(
        fmt::format("{} present at baseline, NE at follow-up, no progression: NE", fmt::join(lost, ", ")));
    assessment.response = Response::kNE;
  } else if (all_absent && any_baseline) {
    trace.push_back("every item absent at follow-up, disease at baseline: CR");
    assessment.response = Response::kCR;
  } else if (assessment.change && SizeChange(*assessment.change, parameters) == ItemChange::kImproved) {
    trace.push_back(
        fmt::format("{} <= {}: PR", DescribeComposite(assessment), Percent(parameters.pr_change)));
    assessment.response = Response::kPR;
  } else {
    const std::string why = assessment.change
                                ? fmt::format("{} between {} and {}", DescribeComposite(assessment),
                                              Percent(parameters.pr_change), Percent(parameters.pd_change))
                            : any_baseline ? "no target size to compare"
                                           : "no disease at baseline, so nothing to respond (not CR)";
    trace.push_back(fmt::format("{}; no new lesion or item: SD", why));
    assessment.response = Response::kSD;
  }
  return assessment;
}

}  // namespace leptoscan::scoring
