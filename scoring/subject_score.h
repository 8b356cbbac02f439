// Scores a subject: every follow-up against the baseline under one profile, the EANO-ESMO type of every
// time point, and over the follow-ups the best response and the first progression.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scoring/assessment.h"
#include "scoring/eano_type.h"
#include "scoring/findings.h"
#include "scoring/itk_transform.h"
#include "scoring/matching.h"
#include "scoring/parameters.h"
#include "scoring/separate_metastases.h"

namespace leptoscan::scoring {

enum class Profile { kRanoLm, kLano2019 };

std::string_view ProfileName(Profile profile);
std::optional<Profile> ParseProfile(std::string_view name);

struct FollowUpInput {
  Findings findings;
  // Maps follow-up coordinates into the baseline frame (identity when no transform file was given).
  AffineMap to_baseline;
  std::string transform_file;  // for the record; empty without one
};

struct FollowUpScore {
  Findings findings;
  std::string transform_file;
  long days_from_baseline = 0;
  EanoType eano_type = EanoType::kDNormal;
  LesionMatching matching;
  Assessment assessment;
  std::vector<SeparateMetastases> separate;
};

struct SubjectScore {
  Profile profile = Profile::kRanoLm;
  ScoringParameters parameters;
  Findings baseline;
  EanoType baseline_eano_type = EanoType::kDNormal;
  std::vector<FollowUpScore> followups;  // by date
  // Best response up to and including the first PD (responses after progression do not count).
  Response best_response = Response::kNE;
  std::optional<std::size_t> first_progression;  // index into followups
};

// Throws DocumentError when a follow-up is of another subject or not dated after the baseline.
SubjectScore ScoreSubject(const Findings& baseline, std::vector<FollowUpInput> followups, Profile profile,
                          const ScoringParameters& parameters);

}  // namespace leptoscan::scoring
