// Structure labels of the phantom's label maps. Labels below kFirstLesion are anatomy; a lesion painted
// into a map gets kFirstLesion + its index in the subject's lesion list.
#pragma once

#include <cstdint>

namespace leptoscan::phantom {

using Label = std::uint16_t;

enum Structure : Label {
  kAir = 0,
  kScalp,
  kSkull,
  kMarrow,  // diploe between the tables
  kDura,    // including falx and tentorium
  kSubarachnoidCsf,
  kGreyMatter,
  kWhiteMatter,
  kVentricleCsf,
  kChoroidPlexus,
  kCerebellarGrey,
  kCerebellarWhite,
  kBrainstem,
  kCranialNerve,
  kVenousSinus,
  kCorticalVein,
  kPituitary,
  kCisternCsf,
  // The spine (spine_anatomy.h); dura, CSF, marrow, bone and epidural veins use the labels above.
  kSpinalCord,
  kNerveRoot,  // cauda equina roots and the filum terminale
  kDisc,
  kFat,     // epidural and subcutaneous fat
  kMuscle,  // paraspinal and prevertebral soft tissue
  kStructureCount,
};

// The structures of a head; the ones after it are the spine's.
constexpr Label kHeadStructureCount = kSpinalCord;

constexpr Label kFirstLesion = 100;

inline bool IsLesion(Label label) {
  return label >= kFirstLesion;
}
inline bool IsCsf(Label label) {
  return label == kSubarachnoidCsf || label == kVentricleCsf || label == kCisternCsf;
}

}  // namespace leptoscan::phantom
