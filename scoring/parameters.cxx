#include "scoring/parameters.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "scoring/errors.h"
#include "scoring/json_fields.h"

namespace leptoscan::scoring {
namespace {

using nlohmann::json;

nlohmann::ordered_json ToJson(const ScoringParameters& p) {
  return nlohmann::ordered_json{{"pr_change", p.pr_change},
                                {"pd_change", p.pd_change},
                                {"max_targets", p.max_targets},
                                {"measurable_mm", p.measurable_mm},
                                {"lano_measurable_mm", p.lano_measurable_mm},
                                {"lano_nodules_per_item", p.lano_nodules_per_item},
                                {"measurable_inclusive", p.measurable_inclusive},
                                {"evans_index_enlarged", p.evans_index_enlarged},
                                {"match_distance_mm", p.match_distance_mm}};
}

std::array<double, 2> Limits(const JsonFields& fields, const json& value, const std::string& path) {
  fields.Array(value, path);
  if (value.size() != 2) fields.Fail(path, "expected [longest, perpendicular] in mm");
  return {fields.Number(value[0], path + "[0]", 0), fields.Number(value[1], path + "[1]", 0)};
}

int Count(const JsonFields& fields, const json& value, const std::string& path) {
  const double number = fields.Number(value, path, 1);
  if (number != static_cast<int>(number)) fields.Fail(path, "expected a whole number");
  return static_cast<int>(number);
}

}  // namespace

ScoringParameters ParseParameters(const std::string& text, const std::string& file) {
  const JsonFields fields(file);
  const json document = fields.Parse(text);
  fields.Object(document, "");
  ScoringParameters p;
  for (const auto& [key, value] : document.items()) {
    if (key == "pr_change") {
      p.pr_change = fields.Number(value, key, -1);
      if (p.pr_change >= 0) fields.Fail(key, "a response is a negative change (the default is -0.5)");
    } else if (key == "pd_change") {
      p.pd_change = fields.Positive(value, key);
    } else if (key == "max_targets") {
      p.max_targets = Count(fields, value, key);
    } else if (key == "measurable_mm") {
      p.measurable_mm = Limits(fields, value, key);
    } else if (key == "lano_measurable_mm") {
      p.lano_measurable_mm = Limits(fields, value, key);
    } else if (key == "lano_nodules_per_item") {
      p.lano_nodules_per_item = Count(fields, value, key);
    } else if (key == "measurable_inclusive") {
      p.measurable_inclusive = fields.Bool(value, key);
    } else if (key == "evans_index_enlarged") {
      p.evans_index_enlarged = fields.Positive(value, key);
    } else if (key == "match_distance_mm") {
      p.match_distance_mm = fields.Positive(value, key);
    } else {
      // A misspelt threshold would silently keep its default.
      const auto defaults = ToJson({});
      std::string known;
      for (const auto& entry : defaults.items())
        known += (known.empty() ? "" : ", ") + entry.key();
      fields.Fail(key, fmt::format("unknown parameter (known: {})", known));
    }
  }
  return p;
}

ScoringParameters ReadParameters(const std::filesystem::path& file) {
  return ParseParameters(ReadDocumentText(file), file.string());
}

std::string ParametersJson(const ScoringParameters& parameters) {
  return ToJson(parameters).dump();
}

}  // namespace leptoscan::scoring
