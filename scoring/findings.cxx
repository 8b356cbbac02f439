#include "scoring/findings.h"

#include <fmt/format.h>

#include <set>

namespace leptoscan::scoring {

std::string_view StatusName(Status status) {
  switch (status) {
    case Status::kPresent:
      return "present";
    case Status::kAbsent:
      return "absent";
    case Status::kNotEvaluable:
      break;
  }
  return "ne";
}

std::string_view ItemName(Item item) {
  static constexpr std::array<std::string_view, kItems.size()> kNames = {
      "brain_nodules", "brain_linear",  "ependymal",    "cranial_nerves",
      "hydrocephalus", "spine_nodules", "spine_linear", "spinal_nerve_roots"};
  return kNames[static_cast<std::size_t>(item)];
}

std::string_view CompartmentName(Compartment compartment) {
  return compartment == Compartment::kBrain ? "brain" : "spine";
}

std::string_view LesionKindName(LesionKind kind) {
  switch (kind) {
    case LesionKind::kNodule:
      return "nodule";
    case LesionKind::kLinear:
      return "linear";
    case LesionKind::kCranialNerve:
      return "cranial_nerve";
    case LesionKind::kNerveRoot:
      break;
  }
  return "nerve_root";
}

Compartment CompartmentOf(Item item) {
  switch (item) {
    case Item::kSpineNodules:
    case Item::kSpineLinear:
    case Item::kSpinalNerveRoots:
      return Compartment::kSpine;
    default:
      return Compartment::kBrain;
  }
}

bool Lesion::IsLeptomeningeal() const {
  return kind != LesionKind::kNodule || (location != "parenchymal" && location != "intramedullary");
}

std::optional<Item> Lesion::ScoredItem() const {
  const bool brain = compartment == Compartment::kBrain;
  switch (kind) {
    case LesionKind::kNodule:
      if (!IsLeptomeningeal()) return std::nullopt;
      return brain ? Item::kBrainNodules : Item::kSpineNodules;
    case LesionKind::kLinear:
      if (!brain) return Item::kSpineLinear;
      return location == "ependymal" ? Item::kEpendymal : Item::kBrainLinear;
    case LesionKind::kCranialNerve:
      return Item::kCranialNerves;
    case LesionKind::kNerveRoot:
      break;
  }
  return Item::kSpinalNerveRoots;
}

double Lesion::SizeMm2() const {
  return kind == LesionKind::kNodule ? diameters_mm[0] * diameters_mm[1] : extent_mm2;
}

std::string_view DecisionName(Decision decision) {
  static constexpr std::array<std::string_view, 3> kNames = {"accepted", "rejected", "edited"};
  return kNames[static_cast<std::size_t>(decision)];
}

std::string ReviewSummary(const Findings& findings) {
  if (!findings.review) return {};
  std::array<int, 3> counts{0, 0, 0};
  std::set<std::string> decided, reviewers;
  for (const FindingReview& review : findings.review->decisions) {
    ++counts[static_cast<std::size_t>(review.decision)];
    decided.insert(review.finding);
    reviewers.insert(review.reviewer);
  }
  int pending = 0;
  for (const Lesion& lesion : findings.lesions)
    pending += decided.count(lesion.id) == 0;
  for (Item item : kItems)
    pending += findings.status(item) == Status::kPresent &&
               decided.count("items." + std::string(ItemName(item))) == 0;
  return fmt::format("{} accepted, {} rejected, {} edited, {} pending (reviewer {})", counts[0], counts[1],
                     counts[2], pending,
                     reviewers.empty() ? "none" : fmt::format("{}", fmt::join(reviewers, ", ")));
}

bool Findings::Imaged(Compartment compartment) const {
  return compartment == Compartment::kBrain ? brain_imaged : spine_imaged;
}

bool IsMeasurableNodule(const Lesion& lesion, const std::array<double, 2>& limits_mm, bool inclusive) {
  if (lesion.kind != LesionKind::kNodule) return false;
  if (lesion.measurable) return *lesion.measurable;
  const auto exceeds = [inclusive](double value, double limit) {
    return inclusive ? value >= limit : value > limit;
  };
  return exceeds(lesion.diameters_mm[0], limits_mm[0]) && exceeds(lesion.diameters_mm[1], limits_mm[1]);
}

}  // namespace leptoscan::scoring
