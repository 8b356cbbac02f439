// Which baseline lesion each follow-up lesion is, by position: follow-up centres are mapped into the baseline
// frame and each follow-up lesion goes to the nearest baseline lesion of the same kind within a distance.
// Attribution never depends on the other follow-up lesions, so a nodule that splits keeps both fragments
// (their sizes add up, as in RECIST) and removing a follow-up lesion can only shrink what is measured.
#pragma once

#include <string>
#include <vector>

#include "scoring/findings.h"
#include "scoring/itk_transform.h"

namespace leptoscan::scoring {

struct LesionLink {
  std::string followup_id;
  std::string baseline_id;
  double distance_mm = 0;  // in the baseline frame
};

// A lesion with more than one candidate partner within the matching distance.
struct MatchAmbiguity {
  std::string lesion;     // the lesion's id
  std::string timepoint;  // "baseline" or "followup": which document the id is from
  std::vector<std::string> candidates;
  std::string resolution;  // what the scorer did with it, in words
};

struct LesionMatching {
  double max_distance_mm = 0;
  std::vector<LesionLink> links;            // by follow-up id
  std::vector<std::string> new_lesions;     // follow-up lesions with no baseline lesion within the distance
  std::vector<MatchAmbiguity> ambiguities;  // follow-up ambiguities first, then baseline ones, by id

  // The follow-up lesions attributed to a baseline lesion, nearest first.
  std::vector<const LesionLink*> LinksTo(const std::string& baseline_id) const;
  bool IsNew(const std::string& followup_id) const;
};

// Lesions are candidates when they have the same kind and compartment and are both leptomeningeal or both
// not (parenchymal / intramedullary nodules are tracked among themselves).
LesionMatching MatchLesions(const Findings& baseline, const Findings& followup,
                            const AffineMap& followup_to_baseline, double max_distance_mm);

}  // namespace leptoscan::scoring
