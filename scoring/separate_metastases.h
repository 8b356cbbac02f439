// Parenchymal brain and intramedullary metastases: counted and measured at both time points and reported
// beside the LM response, which they never enter (domain.md sections 1 and 3).
#pragma once

#include <string>
#include <vector>

#include "scoring/findings.h"
#include "scoring/matching.h"

namespace leptoscan::scoring {

struct SeparateMetastases {
  std::string location;  // "parenchymal" or "intramedullary"
  int baseline_count = 0;
  double baseline_mm2 = 0;  // sum of products of diameters
  int followup_count = 0;
  double followup_mm2 = 0;
  std::vector<std::string> new_ids;  // follow-up nodules with no baseline counterpart
};

// One entry per location, parenchymal first.
std::vector<SeparateMetastases> ReportSeparateMetastases(const Findings& baseline, const Findings& followup,
                                                         const LesionMatching& matching);

}  // namespace leptoscan::scoring
