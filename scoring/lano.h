// Profile lano-2019 (domain.md section 3, revised LANO card): five items present/absent/NE, the 3 largest
// measurable nodules per compartment, a change per item and the overall LM response.
#pragma once

#include <vector>

#include "scoring/assessment.h"

namespace leptoscan::scoring {

// The card's items, built from the contract's: cranial nerves and ependymal enhancement are part of brain
// linear enhancement, spinal nerve roots part of spine linear enhancement.
enum class LanoItem { kBrainNodules, kBrainLinear, kHydrocephalus, kSpineNodules, kSpineLinear };

std::vector<Item> LanoItemParts(LanoItem item);
// Present if any part is present, else NE if any part is NE, else absent.
Status LanoItemStatus(const Findings& findings, LanoItem item);

// The nodules a lano-2019 nodule item tracks: up to lano_nodules_per_item measurable leptomeningeal
// nodules of the compartment, largest product first, ties by id.
std::vector<const Lesion*> SelectLanoNodules(const Findings& baseline, Compartment compartment,
                                             const ScoringParameters& parameters);

Assessment ScoreLano2019(const Findings& baseline, const Findings& followup, const LesionMatching& matching,
                         const ScoringParameters& parameters);

}  // namespace leptoscan::scoring
