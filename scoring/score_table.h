// The compact table `leptoscan score` prints: items x time points, targets, composite, response, and the
// rule that decided each follow-up.
#pragma once

#include <string>

#include "scoring/subject_score.h"

namespace leptoscan::scoring {

std::string ScoreTable(const SubjectScore& score);

}  // namespace leptoscan::scoring
