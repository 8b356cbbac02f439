// Reads a score document (contracts/findings.md, "leptoscan.score/1") back into plain types, for what shows
// a score without recomputing it (the HTML report). The first breach of the contract is a DocumentError
// naming the file, the JSON field path and the problem; fields the contract does not name are optional.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "scoring/assessment.h"

namespace leptoscan::scoring {

struct ScoredTimepoint {
  std::string timepoint;  // empty when the document does not say
  std::string date;
  std::optional<double> composite_mm2;  // null at follow-up when nothing could be compared
  std::string eano_type;
};

struct ScoredTarget {
  std::string id;
  std::string followup_id;  // empty when none matched
  double baseline_mm2 = 0;
  std::optional<double> followup_mm2;
  std::optional<bool> measurable;
};

struct ItemChangeRecord {
  std::string item, baseline, followup, change;  // as the document spells them
};

struct ScoreRecord {
  std::string file;  // where the document was read from, for messages
  std::string subject;
  std::string profile;
  ScoredTimepoint baseline, followup;
  std::optional<long> days_from_baseline;
  std::optional<double> change;  // relative, -0.5 is -50%
  std::vector<ScoredTarget> targets;
  std::vector<ItemChangeRecord> items;
  std::vector<std::string> new_lesions;
  Response response = Response::kNE;
  std::vector<std::string> trace;
};

ScoreRecord ParseScoreDocument(const std::string& text, const std::string& file);
ScoreRecord ReadScoreDocument(const std::filesystem::path& file);

}  // namespace leptoscan::scoring
