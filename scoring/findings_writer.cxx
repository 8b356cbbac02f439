#include "scoring/findings_writer.h"

#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <random>
#include <system_error>

#include "scoring/errors.h"
#include "scoring/findings_reader.h"

namespace leptoscan::scoring {
namespace {

using Json = nlohmann::ordered_json;

constexpr double kPerMm = 100;      // lengths and areas to 0.01
constexpr double kPerMl = 1000;     // volumes to 0.001 ml
constexpr double kPerRatio = 1000;  // Evans index to 0.001

Json ItemJson(const ItemFinding& item) {
  Json json = {{"status", StatusName(item.status)}};
  if (item.extent_mm2) json["extent_mm2"] = RoundToUnit(*item.extent_mm2, kPerMm);
  if (!item.subregions.empty()) json["subregions"] = item.subregions;
  if (!item.nerves.empty()) json["nerves"] = item.nerves;
  if (item.evans_index) json["evans_index"] = RoundToUnit(*item.evans_index, kPerRatio);
  return json;
}

Json LesionJson(const Lesion& lesion) {
  Json json = {{"id", lesion.id},
               {"kind", LesionKindName(lesion.kind)},
               {"compartment", CompartmentName(lesion.compartment)}};
  if (!lesion.location.empty()) json["location"] = lesion.location;
  Json center = Json::array();
  for (double coordinate : lesion.center_mm)
    center.push_back(RoundToUnit(coordinate, kPerMm));
  json["center_mm"] = center;
  if (lesion.kind == LesionKind::kNodule)
    json["diameters_mm"] = Json::array(
        {RoundToUnit(lesion.diameters_mm[0], kPerMm), RoundToUnit(lesion.diameters_mm[1], kPerMm)});
  else
    json["extent_mm2"] = RoundToUnit(lesion.extent_mm2, kPerMm);
  if (lesion.craniocaudal_mm) json["craniocaudal_mm"] = RoundToUnit(*lesion.craniocaudal_mm, kPerMm);
  if (lesion.volume_ml) json["volume_ml"] = RoundToUnit(*lesion.volume_ml, kPerMl);
  if (lesion.distance_to_leptomeninges_mm)
    json["distance_to_leptomeninges_mm"] = RoundToUnit(*lesion.distance_to_leptomeninges_mm, kPerMm);
  if (lesion.measurable) json["measurable"] = *lesion.measurable;
  return json;
}

Json ReviewJson(const Review& review) {
  Json decisions = Json::array();
  for (const FindingReview& d : review.decisions) {
    Json decision = {{"finding", d.finding},
                     {"decision", DecisionName(d.decision)},
                     {"reviewer", d.reviewer},
                     {"at", d.at}};
    if (d.original_lesion) decision["original"] = LesionJson(*d.original_lesion);
    if (d.original_item) decision["original"] = ItemJson(*d.original_item);
    decisions.push_back(decision);
  }
  return {{"findings", review.findings}, {"decisions", decisions}};
}

}  // namespace

Json FindingsToJson(const Findings& findings) {
  Json document = {{"schema", "leptoscan.findings/1"},
                   {"subject", findings.subject},
                   {"timepoint", findings.timepoint},
                   {"date", findings.date}};
  if (!findings.source.empty()) document["source"] = findings.source;
  document["imaged"] = {{"brain", findings.brain_imaged}, {"spine", findings.spine_imaged}};
  Json items = Json::object();
  for (Item item : kItems)
    items[std::string(ItemName(item))] = ItemJson(findings.item(item));
  document["items"] = items;
  Json lesions = Json::array();
  for (const Lesion& lesion : findings.lesions)
    lesions.push_back(LesionJson(lesion));
  document["lesions"] = lesions;
  if (findings.review) document["review"] = ReviewJson(*findings.review);
  return document;
}

void WriteFindings(const Findings& findings, const std::filesystem::path& file) {
  const std::string text = FindingsToJson(findings).dump(2) + "\n";
  ParseFindings(text, file.string());
  // Beside the target, so that the rename stays within one file system; the random part keeps two writers
  // of the same file apart.
  const std::filesystem::path folder = file.has_parent_path() ? file.parent_path() : ".";
  const std::filesystem::path temporary =
      folder / fmt::format(".partial-{:08x}-{}", std::random_device{}(), file.filename().string());
  std::error_code error;
  {
    std::ofstream out(temporary, std::ios::binary);
    out << text;
    out.close();
    if (!out) {
      std::filesystem::remove(temporary, error);
      throw DocumentError(file.string(), "", "cannot be written");
    }
  }
  std::filesystem::rename(temporary, file, error);
  if (error) {
    const std::string problem = "cannot be written: " + error.message();
    std::filesystem::remove(temporary, error);
    throw DocumentError(file.string(), "", problem);
  }
}

double RoundToUnit(double value, double per_unit) {
  return std::round(value * per_unit) / per_unit + 0.0;  // + 0.0 turns -0 into 0 (else written -0.0)
}

}  // namespace leptoscan::scoring
