#include "scoring/eano_type.h"

namespace leptoscan::scoring {

std::string_view EanoTypeName(EanoType type) {
  switch (type) {
    case EanoType::kA:
      return "A";
    case EanoType::kB:
      return "B";
    case EanoType::kC:
      return "C";
    case EanoType::kDHydrocephalus:
      return "D-hydrocephalus";
    case EanoType::kDNormal:
      break;
  }
  return "D-normal";
}

EanoType ClassifyEanoType(const Findings& findings) {
  bool linear = false, nodular = false;
  for (Item item : kItems) {
    if (findings.status(item) != Status::kPresent || item == Item::kHydrocephalus) continue;
    (item == Item::kBrainNodules || item == Item::kSpineNodules ? nodular : linear) = true;
  }
  if (linear && nodular) return EanoType::kC;
  if (linear) return EanoType::kA;
  if (nodular) return EanoType::kB;
  return findings.status(Item::kHydrocephalus) == Status::kPresent ? EanoType::kDHydrocephalus
                                                                   : EanoType::kDNormal;
}

}  // namespace leptoscan::scoring
