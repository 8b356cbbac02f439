// The score documents of contracts/findings.md ("leptoscan.score/1", one per follow-up), the subject
// document that holds several of them with the best response and first progression
// ("leptoscan.score-series/1"), and a TSV with one row per follow-up.
#pragma once

#include <cstddef>
#include <string>

#include "scoring/subject_score.h"

namespace leptoscan::scoring {

std::string ScoreDocumentJson(const SubjectScore& score, std::size_t followup);
std::string ScoreSeriesJson(const SubjectScore& score);
std::string ScoreTsv(const SubjectScore& score);

}  // namespace leptoscan::scoring
