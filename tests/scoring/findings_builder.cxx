#include "tests/scoring/findings_builder.h"

#include "scoring/findings_reader.h"

namespace leptoscan::scoring::testing {

FindingsBuilder::FindingsBuilder(std::string timepoint, std::string date) {
  json_ = {{"schema", "leptoscan.findings/1"},
           {"subject", "S1"},
           {"timepoint", std::move(timepoint)},
           {"date", std::move(date)},
           {"imaged", {{"brain", true}, {"spine", true}}},
           {"items", nlohmann::json::object()},
           {"lesions", nlohmann::json::array()}};
  for (Item item : kItems)
    json_["items"][std::string(ItemName(item))] = {{"status", "absent"}};
}

FindingsBuilder& FindingsBuilder::Status(const std::string& item, const std::string& status) {
  json_["items"][item]["status"] = status;
  return *this;
}

FindingsBuilder& FindingsBuilder::Evans(double evans_index) {
  json_["items"]["hydrocephalus"]["evans_index"] = evans_index;
  return *this;
}

FindingsBuilder& FindingsBuilder::Extent(const std::string& item, double extent_mm2) {
  json_["items"][item]["extent_mm2"] = extent_mm2;
  return *this;
}

FindingsBuilder& FindingsBuilder::SpineImaged(bool imaged) {
  json_["imaged"]["spine"] = imaged;
  return *this;
}

FindingsBuilder& FindingsBuilder::Nerves(const std::vector<std::string>& nerves) {
  json_["items"]["cranial_nerves"]["nerves"] = nerves;
  MarkPresent("cranial_nerves");
  return *this;
}

void FindingsBuilder::MarkPresent(const std::string& item) {
  if (json_["items"][item]["status"] == "absent") Status(item, "present");
}

FindingsBuilder& FindingsBuilder::Nodule(const std::string& id, const Point3& center, double longest,
                                         double perpendicular, const std::string& location,
                                         const std::string& compartment) {
  json_["lesions"].push_back({{"id", id},
                              {"kind", "nodule"},
                              {"compartment", compartment},
                              {"location", location},
                              {"center_mm", center},
                              {"diameters_mm", {longest, perpendicular}}});
  if (location == "subarachnoid" || location == "ventricular") MarkPresent(compartment + "_nodules");
  return *this;
}

FindingsBuilder& FindingsBuilder::Linear(const std::string& id, const Point3& center, double extent_mm2,
                                         const std::string& kind, const std::string& compartment,
                                         const std::string& location) {
  json_["lesions"].push_back({{"id", id},
                              {"kind", kind},
                              {"compartment", compartment},
                              {"location", location},
                              {"center_mm", center},
                              {"extent_mm2", extent_mm2}});
  if (kind == "cranial_nerve")
    MarkPresent("cranial_nerves");
  else if (kind == "nerve_root")
    MarkPresent("spinal_nerve_roots");
  else
    MarkPresent(location == "ependymal" ? "ependymal" : compartment + "_linear");
  return *this;
}

Findings FindingsBuilder::Build() const {
  return ParseFindings(json_.dump(), json_["timepoint"].get<std::string>() + ".json");
}

FindingsBuilder Baseline() {
  return FindingsBuilder("baseline", "2024-01-01");
}

FindingsBuilder FollowUp() {
  return FindingsBuilder("fu1", "2024-03-01");
}

}  // namespace leptoscan::scoring::testing
