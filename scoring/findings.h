// The findings of one subject at one time point (contracts/findings.md, "leptoscan.findings/1"): the eight
// scored items and the lesions, as plain types. Reading and validating the JSON is findings_reader.h.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scoring/point.h"

namespace leptoscan::scoring {

enum class Status { kPresent, kAbsent, kNotEvaluable };

// The items of the findings contract, in the contract's order.
enum class Item {
  kBrainNodules,
  kBrainLinear,
  kEpendymal,
  kCranialNerves,
  kHydrocephalus,
  kSpineNodules,
  kSpineLinear,
  kSpinalNerveRoots
};
inline constexpr std::array<Item, 8> kItems = {
    Item::kBrainNodules,  Item::kBrainLinear,  Item::kEpendymal,   Item::kCranialNerves,
    Item::kHydrocephalus, Item::kSpineNodules, Item::kSpineLinear, Item::kSpinalNerveRoots};

enum class Compartment { kBrain, kSpine };
enum class LesionKind { kNodule, kLinear, kCranialNerve, kNerveRoot };

// The locations of a nodule (contracts/findings.md), in the order a reviewer cycles through them, each
// with the compartment it belongs to; subarachnoid nodules are in either.
inline constexpr std::array<std::pair<const char*, Compartment>, 4> kNoduleLocations = {
    {{"subarachnoid", Compartment::kBrain},
     {"ventricular", Compartment::kBrain},
     {"parenchymal", Compartment::kBrain},
     {"intramedullary", Compartment::kSpine}}};

std::string_view StatusName(Status status);
std::string_view ItemName(Item item);
std::string_view CompartmentName(Compartment compartment);
std::string_view LesionKindName(LesionKind kind);
Compartment CompartmentOf(Item item);

struct ItemFinding {
  Status status = Status::kNotEvaluable;
  std::optional<double> extent_mm2;     // enhancing surface of a linear item
  std::optional<double> evans_index;    // hydrocephalus
  std::vector<std::string> subregions;  // brain_linear: where it enhances (sulcal, cerebellar_folia, ...)
  std::vector<std::string> nerves;      // cranial_nerves: which ones, e.g. V_L, VII_VIII_R
};

struct Lesion {
  std::string id;
  LesionKind kind = LesionKind::kNodule;
  Compartment compartment = Compartment::kBrain;
  std::string location;  // nodules: subarachnoid, ventricular, parenchymal or intramedullary
  Point3 center_mm{};
  std::array<double, 2> diameters_mm{};  // nodules: longest in-plane, longest perpendicular to it
  double extent_mm2 = 0;                 // linear, cranial-nerve and nerve-root lesions
  // Nodules, when measured: the third extent, the volume, and how far the outer edge lies
  // from the leptomeninges (under 2 mm counts as LM, domain.md section 1). None of them enters a score.
  std::optional<double> craniocaudal_mm;
  std::optional<double> volume_ml;
  std::optional<double> distance_to_leptomeninges_mm;
  // A reader's verdict that overrides the profile's size limits (a nodule measured on a slice the detector
  // did not use, say); unset, measurability follows from the diameters.
  std::optional<bool> measurable;

  // Parenchymal and intramedullary nodules are metastases outside the leptomeninges: reported, never scored.
  bool IsLeptomeningeal() const;
  // The item the lesion belongs to; empty for parenchymal and intramedullary nodules.
  std::optional<Item> ScoredItem() const;
  // Size in mm2: product of the two diameters for a nodule, enhancing surface otherwise (domain.md 2.2).
  double SizeMm2() const;
};

// A reviewer's decision on one finding of a document: a lesion (by id) or an item ("items.<name>").
// A finding without a decision is pending.
enum class Decision { kAccepted, kRejected, kEdited };
std::string_view DecisionName(Decision decision);

struct FindingReview {
  std::string finding;  // lesion id, or items.<item name>
  Decision decision = Decision::kAccepted;
  std::string reviewer;
  std::string at;  // when, UTC: YYYY-MM-DDTHH:MM:SSZ
  // As the reviewed document had it, kept for rejected and edited findings (a rejected lesion is no longer
  // in the lesion list; an edited one holds the new values).
  std::optional<Lesion> original_lesion;
  std::optional<ItemFinding> original_item;
};

// The review of a findings document: the document then holds the reviewed findings (rejected lesions
// removed, rejected items absent, edits applied), so that every reader scores what the reviewer decided.
struct Review {
  std::string findings;  // the document reviewed, relative to the review's folder (findings.json)
  std::vector<FindingReview> decisions;
};

struct Findings {
  std::string file;  // where the document was read from, for messages
  std::string subject;
  std::string timepoint;
  std::string date;  // YYYY-MM-DD
  std::string source;
  bool brain_imaged = true;
  bool spine_imaged = true;
  std::array<ItemFinding, kItems.size()> items;
  std::vector<Lesion> lesions;
  std::optional<Review> review;  // set when the document is a reviewed one (review.json)

  const ItemFinding& item(Item which) const { return items[static_cast<std::size_t>(which)]; }
  Status status(Item which) const { return item(which).status; }
  bool Imaged(Compartment compartment) const;
};

// "4 accepted, 1 rejected, 1 edited, 2 pending (reviewer jdoe)": the findings are the lesions and the items
// that are present or have a decision. Empty when the document has no review.
std::string ReviewSummary(const Findings& findings);

// "Measurable" per the reader's verdict when there is one, else per the profile's limits: longest > first and
// perpendicular > second, or >= when inclusive.
bool IsMeasurableNodule(const Lesion& lesion, const std::array<double, 2>& limits_mm, bool inclusive);

}  // namespace leptoscan::scoring
