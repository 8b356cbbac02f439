// EANO-ESMO 2023 MRI type of one time point (domain.md section 4).
#pragma once

#include <string_view>

#include "scoring/findings.h"

namespace leptoscan::scoring {

// A linear LM only, B nodular LM only, C both, D-hydrocephalus hydrocephalus only, D-normal none.
enum class EanoType { kA, kB, kC, kDHydrocephalus, kDNormal };

std::string_view EanoTypeName(EanoType type);
// Linear LM is any present linear item (leptomeningeal, ependymal, cranial nerve, spinal nerve roots);
// nodular LM a present nodule item. Items that are NE or absent count as no finding.
EanoType ClassifyEanoType(const Findings& findings);

}  // namespace leptoscan::scoring
