#include "scoring/findings_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "scoring/calendar.h"
#include "scoring/errors.h"
#include "scoring/json_fields.h"

namespace leptoscan::scoring {
namespace {

using nlohmann::json;

constexpr const char* kSchema = "leptoscan.findings/1";

// One of a fixed set of spellings, or a message that lists them.
template <typename Enum, std::size_t N>
Enum OneOf(const JsonFields& fields, const json& value, const std::string& path,
           const std::array<std::pair<const char*, Enum>, N>& choices, const char* what) {
  const std::string text = fields.String(value, path);
  std::string expected;
  for (const auto& [name, choice] : choices) {
    if (text == name) return choice;
    expected += fmt::format("{}{}", expected.empty() ? "" : ", ", name);
  }
  fields.Fail(path, fmt::format("unknown {} \"{}\" (expected {})", what, text, expected));
}

Status ReadStatus(const JsonFields& fields, const json& value, const std::string& path) {
  static constexpr std::array<std::pair<const char*, Status>, 3> kChoices = {
      {{"present", Status::kPresent}, {"absent", Status::kAbsent}, {"ne", Status::kNotEvaluable}}};
  return OneOf(fields, value, path, kChoices, "status");
}

// A list of names (brain_linear subregions, cranial nerves): an array of non-empty strings.
std::vector<std::string> ReadNames(const JsonFields& fields, const json& value, const std::string& path) {
  const json& list = fields.Array(value, path);
  std::vector<std::string> names;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string element = fmt::format("{}[{}]", path, i);
    names.push_back(fields.String(list[i], element));
    if (names.back().empty()) fields.Fail(element, "must not be empty");
  }
  return names;
}

ItemFinding ReadItem(const JsonFields& fields, const json& value, const std::string& path) {
  fields.Object(value, path);
  ItemFinding finding;
  finding.status = ReadStatus(fields, fields.Member(value, path, "status"), JoinPath(path, "status"));
  if (value.contains("extent_mm2"))
    finding.extent_mm2 = fields.Number(value["extent_mm2"], JoinPath(path, "extent_mm2"), 0);
  if (value.contains("evans_index")) {
    const std::string evans_path = JoinPath(path, "evans_index");
    finding.evans_index = fields.Number(value["evans_index"], evans_path, 0);
    if (*finding.evans_index >= 1) fields.Fail(evans_path, "an Evans index is a ratio below 1");
  }
  if (value.contains("subregions"))
    finding.subregions = ReadNames(fields, value["subregions"], JoinPath(path, "subregions"));
  if (value.contains("nerves")) finding.nerves = ReadNames(fields, value["nerves"], JoinPath(path, "nerves"));
  return finding;
}

void ReadItems(const JsonFields& fields, const json& items, const FindingsReadOptions& options,
               Findings& findings) {
  fields.Object(items, "items");
  for (const auto& [key, value] : items.items()) {
    bool known = false;
    for (Item item : kItems)
      known = known || key == ItemName(item);
    // A misspelt item would otherwise count as missing, and as NE with --missing-as-ne.
    if (!known) fields.Fail("items." + key, "unknown item");
  }
  for (Item item : kItems) {
    const std::string path = JoinPath("items", std::string(ItemName(item)));
    ItemFinding& finding = findings.items[static_cast<std::size_t>(item)];
    const auto found = items.find(std::string(ItemName(item)));
    if (found == items.end()) {
      if (!options.missing_as_ne)
        fields.Fail(path, "required item is missing (use --missing-as-ne to score it NE)");
      finding.status = Status::kNotEvaluable;
      continue;
    }
    finding = ReadItem(fields, *found, path);
    // contracts/findings.md: a compartment that was not imaged cannot be evaluated, whatever the form says.
    if (!findings.Imaged(CompartmentOf(item))) finding.status = Status::kNotEvaluable;
  }
}

Lesion ReadLesion(const JsonFields& fields, const json& value, const std::string& path) {
  static constexpr std::array<std::pair<const char*, LesionKind>, 4> kKinds = {
      {{"nodule", LesionKind::kNodule},
       {"linear", LesionKind::kLinear},
       {"cranial_nerve", LesionKind::kCranialNerve},
       {"nerve_root", LesionKind::kNerveRoot}}};
  static constexpr std::array<std::pair<const char*, Compartment>, 2> kCompartments = {
      {{"brain", Compartment::kBrain}, {"spine", Compartment::kSpine}}};

  fields.Object(value, path);
  const auto member = [&](const char* key) -> const json& { return fields.Member(value, path, key); };
  const auto at = [&](const char* key) { return JoinPath(path, key); };
  Lesion lesion;
  lesion.id = fields.String(member("id"), at("id"));
  if (lesion.id.empty()) fields.Fail(at("id"), "must not be empty");
  lesion.kind = OneOf(fields, member("kind"), at("kind"), kKinds, "lesion kind");
  lesion.compartment = OneOf(fields, member("compartment"), at("compartment"), kCompartments, "compartment");

  const json& center = fields.Array(member("center_mm"), at("center_mm"));
  if (center.size() != 3) fields.Fail(at("center_mm"), "expected 3 coordinates [x, y, z] in mm");
  for (std::size_t i = 0; i < 3; ++i)
    lesion.center_mm[i] = fields.Number(center[i], fmt::format("{}[{}]", at("center_mm"), i));

  if (lesion.kind == LesionKind::kNodule) {
    const Compartment site =
        OneOf(fields, member("location"), at("location"), kNoduleLocations, "nodule location");
    lesion.location = value["location"].get<std::string>();
    // Subarachnoid nodules exist in both compartments; the other locations belong to one of them.
    if (lesion.location != "subarachnoid" && site != lesion.compartment)
      fields.Fail(at("location"), fmt::format("{} nodules are not in the {}", lesion.location,
                                              CompartmentName(lesion.compartment)));
    const json& diameters = fields.Array(member("diameters_mm"), at("diameters_mm"));
    if (diameters.size() != 2)
      fields.Fail(at("diameters_mm"), "expected 2 diameters [longest, perpendicular] in mm");
    for (std::size_t i = 0; i < 2; ++i)
      lesion.diameters_mm[i] = fields.Positive(diameters[i], fmt::format("{}[{}]", at("diameters_mm"), i));
    if (lesion.diameters_mm[1] > lesion.diameters_mm[0])
      fields.Fail(at("diameters_mm"),
                  fmt::format("the perpendicular diameter {} exceeds the longest {}; list the longest first",
                              lesion.diameters_mm[1], lesion.diameters_mm[0]));
  } else {
    if (value.contains("location")) lesion.location = fields.String(value["location"], at("location"));
    const Compartment expected =
        lesion.kind == LesionKind::kCranialNerve ? Compartment::kBrain : Compartment::kSpine;
    if (lesion.kind != LesionKind::kLinear && lesion.compartment != expected)
      fields.Fail(at("compartment"), fmt::format("a {} lesion is in the {}", LesionKindName(lesion.kind),
                                                 CompartmentName(expected)));
    lesion.extent_mm2 = fields.Positive(member("extent_mm2"), at("extent_mm2"));
  }
  // Optional measurements: absent is fine, present with a wrong type or sign is a breach. A volume or
  // distance rounded to 0 is a real value; an extent is not.
  if (value.contains("craniocaudal_mm"))
    lesion.craniocaudal_mm = fields.Positive(value["craniocaudal_mm"], at("craniocaudal_mm"));
  if (value.contains("volume_ml")) lesion.volume_ml = fields.Number(value["volume_ml"], at("volume_ml"), 0);
  if (value.contains("distance_to_leptomeninges_mm"))
    lesion.distance_to_leptomeninges_mm =
        fields.Number(value["distance_to_leptomeninges_mm"], at("distance_to_leptomeninges_mm"), 0);
  if (value.contains("measurable")) lesion.measurable = fields.Bool(value["measurable"], at("measurable"));
  return lesion;
}

// "2026-11-23T18:04:05Z": a date the calendar knows and a UTC time of day.
bool IsUtcTime(const std::string& text) {
  if (text.size() != 20 || text[10] != 'T' || text[13] != ':' || text[16] != ':' || text[19] != 'Z')
    return false;
  for (int at : {11, 12, 14, 15, 17, 18}) {
    if (text[at] < '0' || text[at] > '9') return false;
  }
  return DayNumber(text.substr(0, 10)).has_value() && text.substr(11, 2) < "24" &&
         text.substr(14, 2) < "60" && text.substr(17, 2) < "61";
}

// The review block of a reviewed document: one decision per finding, agreeing with the reviewed findings
// (a rejected lesion is gone from the lesion list, an accepted or edited one is still there).
Review ReadReview(const JsonFields& fields, const json& value, const Findings& findings) {
  static constexpr std::array<std::pair<const char*, Decision>, 3> kDecisions = {
      {{"accepted", Decision::kAccepted}, {"rejected", Decision::kRejected}, {"edited", Decision::kEdited}}};
  fields.Object(value, "review");
  Review review;
  review.findings = fields.String(fields.Member(value, "review", "findings"), "review.findings");
  const json& decisions = fields.Array(fields.Member(value, "review", "decisions"), "review.decisions");
  std::set<std::string> decided;
  for (std::size_t i = 0; i < decisions.size(); ++i) {
    const std::string path = fmt::format("review.decisions[{}]", i);
    const json& entry = decisions[i];
    fields.Object(entry, path);
    const auto member = [&](const char* key) -> const json& { return fields.Member(entry, path, key); };
    const auto at = [&](const char* key) { return JoinPath(path, key); };
    FindingReview decision;
    decision.finding = fields.String(member("finding"), at("finding"));
    if (!decided.insert(decision.finding).second)
      fields.Fail(at("finding"), fmt::format("a second decision on \"{}\"", decision.finding));
    decision.decision = OneOf(fields, member("decision"), at("decision"), kDecisions, "decision");
    decision.reviewer = fields.String(member("reviewer"), at("reviewer"));
    if (decision.reviewer.empty()) fields.Fail(at("reviewer"), "must not be empty");
    decision.at = fields.String(member("at"), at("at"));
    if (!IsUtcTime(decision.at))
      fields.Fail(at("at"), fmt::format("\"{}\" is not a UTC time YYYY-MM-DDTHH:MM:SSZ", decision.at));
    const bool needs_original = decision.decision != Decision::kAccepted;
    if (needs_original && !entry.contains("original"))
      fields.Fail(at("original"),
                  fmt::format("a finding {} must keep its original", DecisionName(decision.decision)));

    const std::string item_prefix = "items.";
    if (decision.finding.compare(0, item_prefix.size(), item_prefix) == 0) {
      const std::string name = decision.finding.substr(item_prefix.size());
      if (std::none_of(kItems.begin(), kItems.end(), [&](Item item) { return ItemName(item) == name; }))
        fields.Fail(at("finding"), fmt::format("unknown item \"{}\"", name));
      if (entry.contains("original"))
        decision.original_item = ReadItem(fields, entry["original"], at("original"));
    } else {
      const bool listed = std::any_of(findings.lesions.begin(), findings.lesions.end(),
                                      [&](const Lesion& lesion) { return lesion.id == decision.finding; });
      if (listed == (decision.decision == Decision::kRejected))
        fields.Fail(at("finding"),
                    fmt::format("lesion \"{}\" is {} but {} in the lesion list", decision.finding,
                                DecisionName(decision.decision), listed ? "still" : "not"));
      if (entry.contains("original")) {
        decision.original_lesion = ReadLesion(fields, entry["original"], at("original"));
        if (decision.original_lesion->id != decision.finding)
          fields.Fail(JoinPath(at("original"), "id"),
                      fmt::format("\"{}\" is not the decision's finding \"{}\"", decision.original_lesion->id,
                                  decision.finding));
      }
    }
    review.decisions.push_back(std::move(decision));
  }
  return review;
}

// Lesions must agree with the items and the imaged compartments, or the response would count disease the
// form says is absent.
void CheckLesionsAgainstItems(const JsonFields& fields, const Findings& findings) {
  for (std::size_t i = 0; i < findings.lesions.size(); ++i) {
    const Lesion& lesion = findings.lesions[i];
    const std::string path = fmt::format("lesions[{}]", i);
    if (!findings.Imaged(lesion.compartment))
      fields.Fail(JoinPath(path, "compartment"),
                  fmt::format("lesion {} is in the {}, which imaged.{} says was not imaged", lesion.id,
                              CompartmentName(lesion.compartment), CompartmentName(lesion.compartment)));
    const auto item = lesion.ScoredItem();
    if (item && findings.status(*item) == Status::kAbsent)
      fields.Fail(path, fmt::format("lesion {} belongs to items.{}, whose status is absent", lesion.id,
                                    ItemName(*item)));
  }
}

}  // namespace

Findings ParseFindings(const std::string& text, const std::string& file, const FindingsReadOptions& options) {
  const JsonFields fields(file);
  const json document = fields.Parse(text);
  fields.Object(document, "");
  const auto member = [&](const char* key) -> const json& { return fields.Member(document, "", key); };

  Findings findings;
  findings.file = file;
  const std::string schema = fields.String(member("schema"), "schema");
  if (schema != kSchema) fields.Fail("schema", fmt::format("\"{}\" is not \"{}\"", schema, kSchema));
  findings.subject = fields.String(member("subject"), "subject");
  if (findings.subject.empty()) fields.Fail("subject", "must not be empty");
  findings.timepoint = fields.String(member("timepoint"), "timepoint");
  if (findings.timepoint.empty()) fields.Fail("timepoint", "must not be empty");
  findings.date = fields.String(member("date"), "date");
  if (!DayNumber(findings.date))
    fields.Fail("date", fmt::format("\"{}\" is not a date YYYY-MM-DD", findings.date));
  if (document.contains("source")) findings.source = fields.String(document["source"], "source");

  const json& imaged = fields.Object(member("imaged"), "imaged");
  findings.brain_imaged = fields.Bool(fields.Member(imaged, "imaged", "brain"), "imaged.brain");
  findings.spine_imaged = fields.Bool(fields.Member(imaged, "imaged", "spine"), "imaged.spine");

  ReadItems(fields, member("items"), options, findings);

  const json& lesions = fields.Array(member("lesions"), "lesions");
  std::set<std::string> ids;
  for (std::size_t i = 0; i < lesions.size(); ++i) {
    const std::string path = fmt::format("lesions[{}]", i);
    findings.lesions.push_back(ReadLesion(fields, lesions[i], path));
    if (!ids.insert(findings.lesions.back().id).second)
      fields.Fail(JoinPath(path, "id"), fmt::format("duplicate id \"{}\"", findings.lesions.back().id));
  }
  CheckLesionsAgainstItems(fields, findings);
  if (document.contains("review")) findings.review = ReadReview(fields, document["review"], findings);
  // The order of the lesion list carries no meaning; a canonical order makes every result independent of it.
  std::sort(findings.lesions.begin(), findings.lesions.end(),
            [](const Lesion& a, const Lesion& b) { return a.id < b.id; });
  return findings;
}

Findings ReadFindings(const std::filesystem::path& file, const FindingsReadOptions& options) {
  return ParseFindings(ReadDocumentText(file), file.string(), options);
}

}  // namespace leptoscan::scoring
