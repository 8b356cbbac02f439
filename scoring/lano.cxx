#include "scoring/lano.h"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

namespace leptoscan::scoring {
namespace {

constexpr std::array<LanoItem, 5> kLanoItems = {LanoItem::kBrainNodules, LanoItem::kBrainLinear,
                                                LanoItem::kHydrocephalus, LanoItem::kSpineNodules,
                                                LanoItem::kSpineLinear};

std::string_view LanoItemName(LanoItem item) {
  static constexpr std::array<std::string_view, kLanoItems.size()> kNames = {
      "brain_nodules", "brain_linear", "hydrocephalus", "spine_nodules", "spine_linear"};
  return kNames[static_cast<std::size_t>(item)];
}

struct Verdict {
  ItemChange change;
  std::string reason;
};

Verdict Compare(const char* what, double before, double after, const ScoringParameters& parameters) {
  if (before <= 0) return {ItemChange::kUnchanged, fmt::format("no {} at baseline to compare", what)};
  const double change = (after - before) / before;
  return {SizeChange(change, parameters),
          fmt::format("{} {:.1f} -> {:.1f} mm2 ({})", what, before, after, Percent(change))};
}

Verdict NoduleVerdict(const Assessment& assessment, Item item, const Findings& followup,
                      const ScoringParameters& parameters) {
  for (const std::string& id : assessment.new_lesions)
    for (const Lesion& lesion : followup.lesions)
      if (lesion.id == id && lesion.ScoredItem() == item)
        return {ItemChange::kWorse, fmt::format("new measurable nodule {}", id)};
  double before = 0, after = 0;
  for (const TargetMeasurement& target : assessment.targets) {
    if (target.item != ItemName(item)) continue;
    before += target.baseline_mm2;
    after += target.followup_mm2.value_or(0);
  }
  return Compare("tracked nodules", before, after, parameters);
}

// Enhancing extent of a linear item: the item's extent_mm2, else the sum of its lesions' extents.
std::optional<double> LinearExtent(const Findings& findings, LanoItem item) {
  double total = 0;
  for (Item part : LanoItemParts(item)) {
    if (findings.status(part) != Status::kPresent) continue;
    if (findings.item(part).extent_mm2) {
      total += *findings.item(part).extent_mm2;
      continue;
    }
    bool any = false;
    for (const Lesion& lesion : findings.lesions)
      if (lesion.ScoredItem() == part) {
        total += lesion.extent_mm2;
        any = true;
      }
    if (!any) return std::nullopt;
  }
  return total;
}

Verdict LinearVerdict(const Findings& baseline, const Findings& followup, LanoItem item,
                      const ScoringParameters& parameters) {
  const auto before = LinearExtent(baseline, item), after = LinearExtent(followup, item);
  if (!before || !after) return {ItemChange::kUnchanged, "enhancing extent not given at both time points"};
  return Compare("enhancing extent", *before, *after, parameters);
}

Verdict HydrocephalusVerdict(const Findings& baseline, const Findings& followup,
                             const ScoringParameters& parameters) {
  const auto before = baseline.item(Item::kHydrocephalus).evans_index;
  const auto after = followup.item(Item::kHydrocephalus).evans_index;
  if (!before || !after) return {ItemChange::kUnchanged, "Evans index not given at both time points"};
  const double limit = parameters.evans_index_enlarged;
  const std::string text = fmt::format("Evans index {:.2f} -> {:.2f}", *before, *after);
  if (*before <= limit && *after > limit)
    return {ItemChange::kWorse, fmt::format("{} (> {:g})", text, limit)};
  if (*before > limit && *after <= limit)
    return {ItemChange::kImproved, fmt::format("{} (<= {:g})", text, limit)};
  return {ItemChange::kUnchanged, text};
}

Verdict ItemVerdict(const Assessment& assessment, LanoItem item, Status before, Status after,
                    const Findings& baseline, const Findings& followup, const ScoringParameters& parameters) {
  const ItemChange presence = PresenceChange(before, after);
  if (presence == ItemChange::kNotEvaluable)
    return {presence, before == Status::kNotEvaluable ? "NE at baseline" : "NE at follow-up"};
  if (before != Status::kPresent || after != Status::kPresent)
    return {presence, fmt::format("{} -> {}", StatusName(before), StatusName(after))};
  switch (item) {
    case LanoItem::kBrainNodules:
      return NoduleVerdict(assessment, Item::kBrainNodules, followup, parameters);
    case LanoItem::kSpineNodules:
      return NoduleVerdict(assessment, Item::kSpineNodules, followup, parameters);
    case LanoItem::kHydrocephalus:
      return HydrocephalusVerdict(baseline, followup, parameters);
    default:
      return LinearVerdict(baseline, followup, item, parameters);
  }
}

}  // namespace

std::vector<Item> LanoItemParts(LanoItem item) {
  switch (item) {
    case LanoItem::kBrainNodules:
      return {Item::kBrainNodules};
    case LanoItem::kBrainLinear:
      return {Item::kBrainLinear, Item::kEpendymal, Item::kCranialNerves};
    case LanoItem::kHydrocephalus:
      return {Item::kHydrocephalus};
    case LanoItem::kSpineNodules:
      return {Item::kSpineNodules};
    case LanoItem::kSpineLinear:
      break;
  }
  return {Item::kSpineLinear, Item::kSpinalNerveRoots};
}

Status LanoItemStatus(const Findings& findings, LanoItem item) {
  Status combined = Status::kAbsent;
  for (Item part : LanoItemParts(item)) {
    if (findings.status(part) == Status::kPresent) return Status::kPresent;
    if (findings.status(part) == Status::kNotEvaluable) combined = Status::kNotEvaluable;
  }
  return combined;
}

std::vector<const Lesion*> SelectLanoNodules(const Findings& baseline, Compartment compartment,
                                             const ScoringParameters& parameters) {
  std::vector<const Lesion*> nodules;
  for (const Lesion& lesion : baseline.lesions)
    if (lesion.IsLeptomeningeal() && lesion.compartment == compartment &&
        IsMeasurableNodule(lesion, parameters.lano_measurable_mm, parameters.measurable_inclusive))
      nodules.push_back(&lesion);
  std::sort(nodules.begin(), nodules.end(), [](const Lesion* a, const Lesion* b) {
    return std::make_tuple(-a->SizeMm2(), a->id) < std::make_tuple(-b->SizeMm2(), b->id);
  });
  if (nodules.size() > static_cast<std::size_t>(parameters.lano_nodules_per_item))
    nodules.resize(parameters.lano_nodules_per_item);
  return nodules;
}

Assessment ScoreLano2019(const Findings& baseline, const Findings& followup, const LesionMatching& matching,
                         const ScoringParameters& parameters) {
  Assessment assessment;
  std::vector<const Lesion*> tracked = SelectLanoNodules(baseline, Compartment::kBrain, parameters);
  const auto spine = SelectLanoNodules(baseline, Compartment::kSpine, parameters);
  tracked.insert(tracked.end(), spine.begin(), spine.end());
  assessment.targets = MeasureTargets(tracked, followup, matching, parameters, parameters.lano_measurable_mm);
  SumComposite(assessment);

  std::vector<std::string>& trace = assessment.trace;
  for (const Lesion& lesion : followup.lesions) {
    const auto item = lesion.ScoredItem();
    if (!item || lesion.kind != LesionKind::kNodule || !matching.IsNew(lesion.id)) continue;
    if (!IsMeasurableNodule(lesion, parameters.lano_measurable_mm, parameters.measurable_inclusive))
      trace.push_back(fmt::format("new nodule {} is not measurable: not counted", lesion.id));
    else if (baseline.status(*item) == Status::kNotEvaluable)
      trace.push_back(
          fmt::format("{} has no baseline counterpart but {} was NE at baseline; not counted as new",
                      lesion.id, ItemName(*item)));
    else
      assessment.new_lesions.push_back(lesion.id);
  }

  std::vector<std::string> worse, not_evaluable, improved;
  bool all_absent = true, any_baseline = false;
  for (LanoItem item : kLanoItems) {
    const Status before = LanoItemStatus(baseline, item), after = LanoItemStatus(followup, item);
    const Verdict verdict = ItemVerdict(assessment, item, before, after, baseline, followup, parameters);
    const std::string name(LanoItemName(item));
    assessment.items.push_back({name, before, after, verdict.change});
    const std::string described =
        fmt::format("{} {} ({})", name, ItemChangeName(verdict.change), verdict.reason);
    trace.push_back(described);
    if (verdict.change == ItemChange::kWorse) worse.push_back(described);
    if (verdict.change == ItemChange::kNotEvaluable) not_evaluable.push_back(name);
    if (verdict.change == ItemChange::kImproved) improved.push_back(name);
    all_absent = all_absent && after == Status::kAbsent;
    any_baseline = any_baseline || before == Status::kPresent;
  }

  if (!worse.empty()) {
    trace.push_back(fmt::format("item worse: {}: PD", fmt::join(worse, "; ")));
    assessment.response = Response::kPD;
  } else if (!not_evaluable.empty()) {
    trace.push_back(fmt::format("{} NE and no item worse: NE", fmt::join(not_evaluable, ", ")));
    assessment.response = Response::kNE;
  } else if (all_absent && any_baseline) {
    trace.push_back("all five items absent at follow-up, disease at baseline: CR");
    assessment.response = Response::kCR;
  } else if (!improved.empty()) {
    trace.push_back(fmt::format("{} improved and no item worse: PR", fmt::join(improved, ", ")));
    assessment.response = Response::kPR;
  } else {
    trace.push_back(any_baseline ? "no item worse or improved: SD"
                                 : "no disease at baseline, so nothing to respond (not CR): SD");
    assessment.response = Response::kSD;
  }
  return assessment;
}

}  // namespace leptoscan::scoring
