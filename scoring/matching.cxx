#include "scoring/matching.h"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

namespace leptoscan::scoring {
namespace {

bool Comparable(const Lesion& a, const Lesion& b) {
  return a.kind == b.kind && a.compartment == b.compartment && a.IsLeptomeningeal() == b.IsLeptomeningeal();
}

struct Candidate {
  double distance_mm;
  const Lesion* baseline;
  bool operator<(const Candidate& other) const {
    return std::tie(distance_mm, baseline->id) < std::tie(other.distance_mm, other.baseline->id);
  }
};

std::vector<std::string> Ids(const std::vector<const LesionLink*>& links, bool followup) {
  std::vector<std::string> ids;
  for (const LesionLink* link : links)
    ids.push_back(followup ? link->followup_id : link->baseline_id);
  return ids;
}

}  // namespace

std::vector<const LesionLink*> LesionMatching::LinksTo(const std::string& baseline_id) const {
  std::vector<const LesionLink*> found;
  for (const LesionLink& link : links)
    if (link.baseline_id == baseline_id) found.push_back(&link);
  std::sort(found.begin(), found.end(), [](const LesionLink* a, const LesionLink* b) {
    return std::tie(a->distance_mm, a->followup_id) < std::tie(b->distance_mm, b->followup_id);
  });
  return found;
}

bool LesionMatching::IsNew(const std::string& followup_id) const {
  return std::find(new_lesions.begin(), new_lesions.end(), followup_id) != new_lesions.end();
}

LesionMatching MatchLesions(const Findings& baseline, const Findings& followup,
                            const AffineMap& followup_to_baseline, double max_distance_mm) {
  LesionMatching matching;
  matching.max_distance_mm = max_distance_mm;
  for (const Lesion& lesion : followup.lesions) {
    const Point3 mapped = followup_to_baseline.Apply(lesion.center_mm);
    std::vector<Candidate> candidates;
    for (const Lesion& before : baseline.lesions) {
      const double distance = Distance(mapped, before.center_mm);
      if (Comparable(lesion, before) && distance <= max_distance_mm)
        candidates.push_back({distance, &before});
    }
    if (candidates.empty()) {
      matching.new_lesions.push_back(lesion.id);
      continue;
    }
    std::sort(candidates.begin(), candidates.end());
    matching.links.push_back({lesion.id, candidates[0].baseline->id, candidates[0].distance_mm});
    if (candidates.size() > 1) {
      MatchAmbiguity ambiguity{lesion.id, "followup", {}, ""};
      std::string listed;
      for (const Candidate& c : candidates) {
        ambiguity.candidates.push_back(c.baseline->id);
        listed += fmt::format("{}{} ({:.1f} mm)", listed.empty() ? "" : ", ", c.baseline->id, c.distance_mm);
      }
      ambiguity.resolution = fmt::format(
          "follow-up {} lies within {:g} mm of baseline {}; attributed to the "
          "nearest, {}",
          lesion.id, max_distance_mm, listed, candidates[0].baseline->id);
      matching.ambiguities.push_back(std::move(ambiguity));
    }
  }
  auto by_id = [](const auto& a, const auto& b) { return a.followup_id < b.followup_id; };
  std::sort(matching.links.begin(), matching.links.end(), by_id);
  std::sort(matching.new_lesions.begin(), matching.new_lesions.end());
  std::sort(matching.ambiguities.begin(), matching.ambiguities.end(),
            [](const MatchAmbiguity& a, const MatchAmbiguity& b) { return a.lesion < b.lesion; });

  std::vector<const Lesion*> sorted_baseline;
  for (const Lesion& lesion : baseline.lesions)
    sorted_baseline.push_back(&lesion);
  std::sort(sorted_baseline.begin(), sorted_baseline.end(),
            [](const Lesion* a, const Lesion* b) { return a->id < b->id; });
  for (const Lesion* lesion : sorted_baseline) {
    const auto links = matching.LinksTo(lesion->id);
    if (links.size() < 2) continue;
    matching.ambiguities.push_back(
        {lesion->id, "baseline", Ids(links, true),
         fmt::format(
             "baseline {} has {} follow-up lesions ({}): counted as fragments of one lesion, sizes summed",
             lesion->id, links.size(), fmt::join(Ids(links, true), ", "))});
  }
  return matching;
}

}  // namespace leptoscan::scoring
