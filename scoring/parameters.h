// Every threshold the scoring rules use, with the defaults of domain.md. A parameters file (JSON) overrides
// any subset; the complete set used is written into each score document.
#pragma once

#include <array>
#include <filesystem>
#include <string>

namespace leptoscan::scoring {

struct ScoringParameters {
  double pr_change = -0.5;  // composite (or item) change at or below this is a response
  double pd_change = 0.25;  // composite (or item) change at or above this is progression
  int max_targets = 5;      // rano-lm targets chosen at baseline
  std::array<double, 2> measurable_mm = {10, 5};      // rano-lm: longest > 10 mm, perpendicular > 5 mm
  std::array<double, 2> lano_measurable_mm = {5, 5};  // lano-2019: > 5 x 5 mm
  int lano_nodules_per_item = 3;                      // lano-2019: the 3 largest measurable nodules
  bool measurable_inclusive = false;                  // true: ">=" instead of ">" for both limits
  double evans_index_enlarged = 0.3;                  // Evans index above this is enlarged ventricles
  double match_distance_mm = 10;                      // follow-up lesion within this of a baseline lesion
};

ScoringParameters ParseParameters(const std::string& text, const std::string& file);
ScoringParameters ReadParameters(const std::filesystem::path& file);
// The parameters as a JSON object, in the spelling the parameters file uses.
std::string ParametersJson(const ScoringParameters& parameters);

}  // namespace leptoscan::scoring
