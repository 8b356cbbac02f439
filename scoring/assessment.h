// The result of scoring one follow-up against baseline under a profile, and the measurements both
// profiles build it from (tracked lesions, composite and its change, item changes).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scoring/findings.h"
#include "scoring/matching.h"
#include "scoring/parameters.h"

namespace leptoscan::scoring {

enum class Response { kCR, kPR, kSD, kPD, kNE };
enum class ItemChange { kImproved, kUnchanged, kWorse, kNotEvaluable };

std::string_view ResponseName(Response response);
std::string_view ItemChangeName(ItemChange change);
// Better responses rank higher: CR > PR > SD > PD > NE (NE says nothing, so any assessment beats it).
int ResponseRank(Response response);

// A baseline lesion followed to the follow-up (a rano-lm target or a lano-2019 tracked nodule).
struct TargetMeasurement {
  std::string id;
  std::vector<std::string> followup_ids;  // nearest first; several when the lesion split
  std::string item;                       // the profile's item the lesion belongs to
  LesionKind kind = LesionKind::kNodule;
  bool measurable = false;
  double baseline_mm2 = 0;
  std::optional<double> followup_mm2;  // empty when its item is NE at follow-up
};

struct ItemAssessment {
  std::string name;
  Status baseline = Status::kNotEvaluable;
  Status followup = Status::kNotEvaluable;
  ItemChange change = ItemChange::kNotEvaluable;
};

struct Assessment {
  std::vector<TargetMeasurement> targets;
  double baseline_composite_mm2 = 0;             // every target
  std::optional<double> followup_composite_mm2;  // targets evaluable at follow-up; empty if none
  std::optional<double> change;  // over targets evaluable at both; empty if nothing to compare
  std::vector<ItemAssessment> items;
  std::vector<std::string> new_lesions;  // follow-up ids that count as new lesions under the profile
  Response response = Response::kNE;
  std::vector<std::string> trace;  // context first, then the rule(s) that decided, each ending ": <response>"
};

// Follows `chosen` baseline lesions to the follow-up: each one's size there is the sum of the follow-up
// lesions attributed to it, 0 if none, unknown when its item is NE at follow-up.
std::vector<TargetMeasurement> MeasureTargets(const std::vector<const Lesion*>& chosen,
                                              const Findings& followup, const LesionMatching& matching,
                                              const ScoringParameters& parameters,
                                              const std::array<double, 2>& measurable_mm);

// Fills the composite fields of `assessment` from its targets. Targets unknown at follow-up are left out of
// both sides of the change, so that a region that could not be evaluated does not count as shrinkage.
void SumComposite(Assessment& assessment);

// present/absent transitions: absent -> present is worse, present -> absent improved, NE on either side NE.
ItemChange PresenceChange(Status baseline, Status followup);

// A relative size change against the response thresholds (same thresholds for composite and items).
ItemChange SizeChange(double relative_change, const ScoringParameters& parameters);

// "+25.0%" style, for traces and tables.
std::string Percent(double relative_change);

}  // namespace leptoscan::scoring
