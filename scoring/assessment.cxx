#include "scoring/assessment.h"

#include <fmt/format.h>

namespace leptoscan::scoring {
namespace {

// Diameters come with 0.1 mm precision, so an exact -50% or +25% must not land on the wrong side of the
// threshold through rounding of the division.
constexpr double kThresholdTolerance = 1e-9;

}  // namespace

std::string_view ResponseName(Response response) {
  switch (response) {
    case Response::kCR:
      return "CR";
    case Response::kPR:
      return "PR";
    case Response::kSD:
      return "SD";
    case Response::kPD:
      return "PD";
    case Response::kNE:
      break;
  }
  return "NE";
}

std::string_view ItemChangeName(ItemChange change) {
  switch (change) {
    case ItemChange::kImproved:
      return "improved";
    case ItemChange::kUnchanged:
      return "unchanged";
    case ItemChange::kWorse:
      return "worse";
    case ItemChange::kNotEvaluable:
      break;
  }
  return "ne";
}

int ResponseRank(Response response) {
  switch (response) {
    case Response::kCR:
      return 4;
    case Response::kPR:
      return 3;
    case Response::kSD:
      return 2;
    case Response::kPD:
      return 1;
    case Response::kNE:
      break;
  }
  return 0;
}

std::vector<TargetMeasurement> MeasureTargets(const std::vector<const Lesion*>& chosen,
                                              const Findings& followup, const LesionMatching& matching,
                                              const ScoringParameters& parameters,
                                              const std::array<double, 2>& measurable_mm) {
  std::vector<TargetMeasurement> targets;
  for (const Lesion* lesion : chosen) {
    TargetMeasurement target;
    target.id = lesion->id;
    target.item = std::string(ItemName(*lesion->ScoredItem()));
    target.kind = lesion->kind;
    target.measurable = IsMeasurableNodule(*lesion, measurable_mm, parameters.measurable_inclusive);
    target.baseline_mm2 = lesion->SizeMm2();
    double size = 0;
    for (const LesionLink* link : matching.LinksTo(lesion->id)) {
      target.followup_ids.push_back(link->followup_id);
      for (const Lesion& after : followup.lesions)
        if (after.id == link->followup_id) size += after.SizeMm2();
    }
    if (followup.status(*lesion->ScoredItem()) != Status::kNotEvaluable) target.followup_mm2 = size;
    targets.push_back(std::move(target));
  }
  return targets;
}

void SumComposite(Assessment& assessment) {
  double baseline = 0, compared_baseline = 0, compared_followup = 0;
  bool any_compared = false;
  for (const TargetMeasurement& target : assessment.targets) {
    baseline += target.baseline_mm2;
    if (!target.followup_mm2) continue;
    any_compared = true;
    compared_baseline += target.baseline_mm2;
    compared_followup += *target.followup_mm2;
  }
  assessment.baseline_composite_mm2 = baseline;
  assessment.followup_composite_mm2.reset();
  assessment.change.reset();
  if (any_compared) assessment.followup_composite_mm2 = compared_followup;
  if (compared_baseline > 0) assessment.change = (compared_followup - compared_baseline) / compared_baseline;
}

ItemChange PresenceChange(Status baseline, Status followup) {
  if (baseline == Status::kNotEvaluable || followup == Status::kNotEvaluable)
    return ItemChange::kNotEvaluable;
  if (baseline == followup) return ItemChange::kUnchanged;
  return followup == Status::kPresent ? ItemChange::kWorse : ItemChange::kImproved;
}

ItemChange SizeChange(double relative_change, const ScoringParameters& parameters) {
  if (relative_change >= parameters.pd_change - kThresholdTolerance) return ItemChange::kWorse;
  if (relative_change <= parameters.pr_change + kThresholdTolerance) return ItemChange::kImproved;
  return ItemChange::kUnchanged;
}

std::string Percent(double relative_change) {
  return fmt::format("{:+.1f}%", relative_change * 100);
}

}  // namespace leptoscan::scoring
