// Profile rano-lm (domain.md section 2): up to 5 baseline targets, composite of their sizes in mm2, and the
// response from its change, new lesions, new items and NE items.
#pragma once

#include <vector>

#include "scoring/assessment.h"

namespace leptoscan::scoring {

// Baseline targets: measurable nodules first (largest product first), then the other leptomeningeal lesions
// by size; ties by id, so the order in which the document lists lesions does not matter.
std::vector<const Lesion*> SelectRanoLmTargets(const Findings& baseline, const ScoringParameters& parameters);

Assessment ScoreRanoLm(const Findings& baseline, const Findings& followup, const LesionMatching& matching,
                       const ScoringParameters& parameters);

}  // namespace leptoscan::scoring
