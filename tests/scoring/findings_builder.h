// Findings documents for tests, written as JSON and read through the real reader, so that every scenario
// is a document the contract accepts. Items start absent; adding a lesion makes its item present.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "scoring/findings.h"

namespace leptoscan::scoring::testing {

class FindingsBuilder {
 public:
  FindingsBuilder(std::string timepoint, std::string date);

  FindingsBuilder& Status(const std::string& item, const std::string& status);
  FindingsBuilder& Evans(double evans_index);
  FindingsBuilder& Extent(const std::string& item, double extent_mm2);
  FindingsBuilder& SpineImaged(bool imaged);
  // Names the enhancing cranial nerves (e.g. V_L) and makes their item present.
  FindingsBuilder& Nerves(const std::vector<std::string>& nerves);
  FindingsBuilder& Nodule(const std::string& id, const Point3& center, double longest, double perpendicular,
                          const std::string& location = "subarachnoid",
                          const std::string& compartment = "brain");
  // kind: linear, cranial_nerve or nerve_root.
  FindingsBuilder& Linear(const std::string& id, const Point3& center, double extent_mm2,
                          const std::string& kind = "linear", const std::string& compartment = "brain",
                          const std::string& location = "sulcal");

  nlohmann::json& json() { return json_; }
  const nlohmann::json& json() const { return json_; }
  Findings Build() const;

 private:
  void MarkPresent(const std::string& item);
  nlohmann::json json_;
};

// Baseline on 2024-01-01, first follow-up on 2024-03-01.
FindingsBuilder Baseline();
FindingsBuilder FollowUp();

}  // namespace leptoscan::scoring::testing
