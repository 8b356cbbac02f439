#include "io/series_role.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "io/errors.h"
#include "io/json_file.h"
#include "io/series_index.h"

namespace leptoscan::io {
namespace {

constexpr std::array<std::pair<SeriesRole, std::string_view>, 11> kRoleNames{{
    {SeriesRole::kT1Pre, "t1_pre"},
    {SeriesRole::kT1Post, "t1_post"},
    {SeriesRole::kFlair, "flair"},
    {SeriesRole::kFlairPost, "flair_post"},
    {SeriesRole::kT2, "t2"},
    {SeriesRole::kDwi, "dwi"},
    {SeriesRole::kSpineT1Pre, "spine_t1_pre"},
    {SeriesRole::kSpineT1Post, "spine_t1_post"},
    {SeriesRole::kSpineT2, "spine_t2"},
    {SeriesRole::kLocalizer, "localizer"},
    {SeriesRole::kOther, "other"},
}};

// Keyword tables, searched case-insensitively in SeriesDescription and ProtocolName. `B` and `E` stand
// for a word boundary where '_' also separates words (vendors write "t1_mprage_KM", "T1W_3D_TFE_gd").
#define B "(?:^|[^a-z0-9])"
#define E "(?:[^a-z0-9]|$)"
struct Keywords {
  const char* name;
  const char* pattern;
};
// Siemens "localizer", "AAHead_Scout"; GE "3-plane loc", "ASSET cal"; Philips "Survey", "SmartBrain".
const Keywords kLocalizer{"localizer", B
                          "(locali[sz]er|scout|survey|loc|3.?pl(ane)?|tri.?pilot|aahead|smartbrain|"
                          "calibration|asset.?cal|ref.?scan|sense.?ref)" E};
// Siemens "ep2d_diff", "_ADC", "_TRACEW"; GE "DWI", "Ax DTI"; Philips "DWI_SENSE".
const Keywords kDiffusion{"diffusion", B "(dwi|diff\\w*|dti|trace\\w*|adc|b.?1000|fa|tensor|ep2d.?diff)" E};
// GE/Siemens/Philips body parts and German abbreviations (HWS/BWS/LWS = cervical/thoracic/lumbar spine).
const Keywords kSpine{"spine", B
                      "(spine|spinal|[ctl].?spine|cervical|thoracic|lumbar|hws|bws|lws|ws|whole.?spine|cord|"
                      "myelo\\w*|conus|cauda)" E};
// Siemens "t1_mprage", "t1_vibe", "fl3d"; GE "BRAVO", "FSPGR", "T1 FLAIR" (T1-weighted); Philips
// "T1W_3D_TFE", "THRIVE".
const Keywords kT1{"T1", "(t1|mp.?rage|mp2rage|spgr|bravo|" B "tfe|vibe|flash|fl3d|3d.?ffe|lava|thrive)"};
// Siemens "t2_tirm", "t2_spc_da-fl" (SPACE dark fluid); GE "T2 FLAIR"; Philips "3D_Brain_VIEW_FLAIR".
const Keywords kFlair{"FLAIR", "(flair|tirm|dark.?fluid|da.?fl" E ")"};
// Siemens "t2_tse", "ciss", "haste"; GE "FIESTA", "SSFSE"; Philips "DRIVE", "T2W_TSE".
const Keywords kT2{"T2", "(t2|fiesta|ciss|haste|" B "drive" E "|ssfse|stir)"};
// "+C", "+Gd", "post", "KM" (Kontrastmittel), "MDC" (mezzo di contrasto), "CE", "contrast", "gado".
const Keywords kPost{"post-contrast",
                     "(\\+\\s*c" E "|\\+\\s*gd|\\+\\s*km|" B "c\\+|" B "post(?!erior)|" B "gd" E "|gado|" B
                     "gad" E "|contrast|kontrast|" B "ce" E "|" B "km" E "|" B "mdc" E "|enhanced)"};
const Keywords kPre{"pre-contrast",
                    "(" B "pre(?!p|ss|scan)|nativ|non.?contrast|without|w/o|" B "nc" E "|plain)"};
#undef B
#undef E

// A match of a keyword table in SeriesDescription or ProtocolName, as "SeriesDescription 'Ax T1 +C' (T1:
// 't1')".
std::optional<std::string> Match(const Keywords& keywords, const SeriesRecord& s) {
  static thread_local std::map<const Keywords*, std::regex> compiled;
  auto it = compiled.find(&keywords);
  if (it == compiled.end()) {
    it = compiled.emplace(&keywords, std::regex(keywords.pattern, std::regex::icase | std::regex::ECMAScript))
             .first;
  }
  for (const auto& [field, text] :
       {std::pair{"SeriesDescription", &s.description}, {"ProtocolName", &s.protocol}}) {
    std::smatch match;
    if (std::regex_search(*text, match, it->second)) {
      return fmt::format("{} '{}' matches {} keyword '{}'", field, *text, keywords.name, match.str(1));
    }
  }
  return std::nullopt;
}

bool Contains(const std::string& haystack, const char* needle) {
  std::string upper = haystack;
  std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
  return upper.find(needle) != std::string::npos;
}

enum class Weighting { kT1, kT2, kFlair, kOther };

struct Decision {
  Weighting weighting = Weighting::kOther;
  std::string reason;
};

Decision DecideWeighting(const SeriesRecord& s) {
  // GE's "T1 FLAIR" is a T1-weighted inversion recovery sequence: T1 keywords win over FLAIR.
  if (auto why = Match(kT1, s)) return {Weighting::kT1, *why};
  if (auto why = Match(kFlair, s)) return {Weighting::kFlair, *why};
  if (auto why = Match(kT2, s)) return {Weighting::kT2, *why};
  const double tr = s.acquisition.repetition_time_ms.value_or(0), te = s.acquisition.echo_time_ms.value_or(0);
  const double ti = s.acquisition.inversion_time_ms.value_or(0);
  if (ti >= 1500 && tr >= 4000)
    return {Weighting::kFlair, fmt::format("TI {} ms and TR {} ms: fluid-attenuated", ti, tr)};
  if (te >= 60 && tr >= 1500)
    return {Weighting::kT2, fmt::format("TE {} ms and TR {} ms: T2-weighted", te, tr)};
  if (tr > 0 && te > 0 && tr < 1000 && te < 30)
    return {Weighting::kT1, fmt::format("TR {} ms and TE {} ms: T1-weighted", tr, te)};
  if (ti >= 300 && ti <= 1300 && te > 0 && te < 10) {
    return {Weighting::kT1,
            fmt::format("TI {} ms and TE {} ms: inversion-prepared T1 (MPRAGE-like)", ti, te)};
  }
  return {Weighting::kOther, "no T1, T2 or FLAIR keyword and timing not decisive"};
}

bool IsNegation(const std::string& agent) {
  static const std::regex none("^\\s*(none|no|nil|n/?a|-+|0)?\\s*$", std::regex::icase);
  return std::regex_match(agent, none);
}

// Evidence that contrast had been given when the series was acquired, with its reason; nullopt if none.
// The ContrastBolusAgent attribute is strongest; then a pre keyword ("T1 pre contrast") beats post ones.
std::optional<std::string> PostContrastEvidence(const SeriesRecord& s) {
  if (!IsNegation(s.contrast_agent)) return fmt::format("ContrastBolusAgent is '{}'", s.contrast_agent);
  if (Match(kPre, s)) return std::nullopt;
  return Match(kPost, s);
}

std::string AcquisitionOrderKey(const SeriesRecord& s) {
  return fmt::format("{}{}{:08d}", s.series_date, s.series_time.empty() ? "~" : s.series_time,
                     s.series_number.value_or(99999999));
}

SeriesRole WithContrast(Weighting w, bool spine, bool post) {
  if (w == Weighting::kT1)
    return spine ? (post ? SeriesRole::kSpineT1Post : SeriesRole::kSpineT1Pre)
                 : (post ? SeriesRole::kT1Post : SeriesRole::kT1Pre);
  return post ? SeriesRole::kFlairPost : SeriesRole::kFlair;
}

std::optional<std::pair<SeriesRole, std::string>> Override(const SeriesRecord& s,
                                                           const RoleOverrides& overrides) {
  for (std::size_t i = 0; i < overrides.entries.size(); ++i) {
    const RoleOverride& entry = overrides.entries[i];
    const std::string where = fmt::format("override file {} entry {}", overrides.source.string(), i + 1);
    if (!entry.series_uid.empty() && entry.series_uid == s.series_uid) {
      return std::pair{entry.role, where + ": SeriesInstanceUID"};
    }
    if (!entry.description_pattern.empty()) {
      const std::regex pattern(entry.description_pattern, std::regex::icase | std::regex::ECMAScript);
      if (std::regex_search(s.description, pattern) || std::regex_search(s.protocol, pattern)) {
        return std::pair{entry.role,
                         fmt::format("{}: description matches '{}'", where, entry.description_pattern)};
      }
    }
  }
  return std::nullopt;
}

}  // namespace

std::string_view RoleName(SeriesRole role) {
  for (const auto& [r, name] : kRoleNames) {
    if (r == role) return name;
  }
  return "other";
}

std::optional<SeriesRole> RoleFromName(std::string_view name) {
  for (const auto& [role, n] : kRoleNames) {
    if (n == name) return role;
  }
  return std::nullopt;
}

RoleOverrides LoadRoleOverrides(const std::filesystem::path& file) {
  RoleOverrides overrides;
  overrides.source = file;
  nlohmann::json document = ReadJsonFile(file);
  if (!document.is_object() || !document.contains("roles") || !document["roles"].is_array()) {
    throw InputError(file, "expected an object with an array \"roles\"");
  }
  for (std::size_t i = 0; i < document["roles"].size(); ++i) {
    const auto& entry = document["roles"][i];
    const std::string where = fmt::format("roles[{}]", i);
    if (!entry.is_object() || !entry.contains("role") || !entry["role"].is_string()) {
      throw InputError(file, where + ": needs a string \"role\"");
    }
    RoleOverride rule;
    const auto role = RoleFromName(entry["role"].get<std::string>());
    if (!role)
      throw InputError(file, where + ".role: unknown role '" + entry["role"].get<std::string>() + "'");
    rule.role = *role;
    if (entry.contains("series_uid") && entry["series_uid"].is_string())
      rule.series_uid = entry["series_uid"];
    if (entry.contains("description") && entry["description"].is_string())
      rule.description_pattern = entry["description"];
    if (rule.series_uid.empty() == rule.description_pattern.empty()) {
      throw InputError(file, where + ": needs exactly one of \"series_uid\" or \"description\"");
    }
    try {
      std::regex check(rule.description_pattern);
    } catch (const std::regex_error& e) {
      throw InputError(file, where + ".description: not a valid regular expression: " + e.what());
    }
    overrides.entries.push_back(std::move(rule));
  }
  return overrides;
}

void ClassifyStudy(StudyRecord& study, const RoleOverrides& overrides) {
  // Acquisition order: the first series with contrast evidence marks when contrast was given.
  std::vector<SeriesRecord*> ordered;
  for (auto& s : study.series)
    ordered.push_back(&s);
  std::stable_sort(ordered.begin(), ordered.end(), [](const SeriesRecord* a, const SeriesRecord* b) {
    return AcquisitionOrderKey(*a) < AcquisitionOrderKey(*b);
  });
  const SeriesRecord* first_post = nullptr;
  for (const SeriesRecord* s : ordered) {
    if (!first_post && Match(kLocalizer, *s) == std::nullopt && PostContrastEvidence(*s)) first_post = s;
  }

  std::vector<SeriesRecord*> undecided_t1;  // T1 series with no contrast evidence either way
  for (SeriesRecord* sp : ordered) {
    SeriesRecord& s = *sp;
    if (auto o = Override(s, overrides)) {
      std::tie(s.role, s.role_reason) = *o;
      continue;
    }
    if (Contains(s.acquisition.image_type, "LOCALIZER")) {
      s.role = SeriesRole::kLocalizer;
      s.role_reason = "ImageType contains LOCALIZER";
      continue;
    }
    if (auto why = Match(kLocalizer, s)) {
      s.role = SeriesRole::kLocalizer;
      s.role_reason = *why;
      continue;
    }
    if (s.orientation == "mixed" && s.frames <= 9) {
      s.role = SeriesRole::kLocalizer;
      s.role_reason = fmt::format("{} frames in mixed orientations", s.frames);
      continue;
    }
    if (s.diffusion_b_value && *s.diffusion_b_value > 0) {
      s.role = SeriesRole::kDwi;
      s.role_reason = fmt::format("DiffusionBValue {} s/mm2", *s.diffusion_b_value);
      continue;
    }
    if (auto why = Match(kDiffusion, s)) {
      s.role = SeriesRole::kDwi;
      s.role_reason = *why;
      continue;
    }
    std::optional<std::string> spine;
    if (Contains(s.acquisition.body_part, "SPINE") || Contains(s.acquisition.body_part, "CORD")) {
      spine = fmt::format("BodyPartExamined '{}'", s.acquisition.body_part);
    } else {
      spine = Match(kSpine, s);
    }
    const Decision weighting = DecideWeighting(s);
    std::string reason = weighting.reason;
    if (spine) reason = *spine + "; " + reason;
    if (weighting.weighting == Weighting::kOther) {
      s.role = SeriesRole::kOther;
      s.role_reason = reason;
      continue;
    }
    if (weighting.weighting == Weighting::kT2) {
      s.role = spine ? SeriesRole::kSpineT2 : SeriesRole::kT2;
      s.role_reason = reason;
      continue;
    }
    if (spine && weighting.weighting == Weighting::kFlair) {
      s.role = SeriesRole::kOther;
      s.role_reason = reason + "; FLAIR of the spine has no role";
      continue;
    }
    if (auto post = PostContrastEvidence(s)) {
      s.role = WithContrast(weighting.weighting, spine.has_value(), true);
      s.role_reason = reason + "; " + *post;
    } else if (auto pre = Match(kPre, s)) {
      s.role = WithContrast(weighting.weighting, spine.has_value(), false);
      s.role_reason = reason + "; " + *pre;
    } else if (first_post && AcquisitionOrderKey(s) > AcquisitionOrderKey(*first_post)) {
      s.role = WithContrast(weighting.weighting, spine.has_value(), true);
      s.role_reason = fmt::format("{}; acquired after series {} ('{}'), which has contrast evidence", reason,
                                  first_post->series_number.value_or(0), first_post->description);
    } else {
      s.role = WithContrast(weighting.weighting, spine.has_value(), false);
      s.role_reason = reason + "; no contrast evidence";
      if (weighting.weighting == Weighting::kT1) undecided_t1.push_back(&s);
    }
  }
  // Two T1 series of the same kind (acquisition type, orientation, region) and no evidence either way:
  // the later ones were acquired after contrast, as LM protocols acquire pre before post.
  for (std::size_t i = 0; i < undecided_t1.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      SeriesRecord& earlier = *undecided_t1[j];
      SeriesRecord& later = *undecided_t1[i];
      if (earlier.acquisition.mr_acquisition_type == later.acquisition.mr_acquisition_type &&
          earlier.orientation == later.orientation && earlier.role == later.role &&
          later.role != SeriesRole::kT1Post && later.role != SeriesRole::kSpineT1Post) {
        later.role = later.role == SeriesRole::kSpineT1Pre ? SeriesRole::kSpineT1Post : SeriesRole::kT1Post;
        later.role_reason += fmt::format(
            "; acquisition order: a later {} {} T1 than series {}, taken as post-contrast",
            later.acquisition.mr_acquisition_type, later.orientation, earlier.series_number.value_or(0));
        break;
      }
    }
  }
}

}  // namespace leptoscan::io
