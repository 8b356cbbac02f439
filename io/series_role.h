// The role a series plays in an LM study (T1 pre/post contrast, FLAIR, spine, ...), decided by a
// documented rule table (io/README.md) from DICOM attributes, with a user override file that wins.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leptoscan::io {

enum class SeriesRole {
  kT1Pre,
  kT1Post,
  kFlair,
  kFlairPost,
  kT2,
  kDwi,
  kSpineT1Pre,
  kSpineT1Post,
  kSpineT2,
  kLocalizer,
  kOther,
};

std::string_view RoleName(SeriesRole role);
std::optional<SeriesRole> RoleFromName(std::string_view name);

// {"roles": [{"series_uid": "1.2.3", "role": "t1_post"}, {"description": "mprage.*km", "role": "t1_post"}]}
// Entries are tried in order; `description` is a case-insensitive ECMAScript regex searched in
// SeriesDescription and ProtocolName.
struct RoleOverride {
  std::string series_uid;
  std::string description_pattern;
  SeriesRole role = SeriesRole::kOther;
};

struct RoleOverrides {
  std::filesystem::path source;
  std::vector<RoleOverride> entries;
};

// Throws InputError naming the file and the entry when it is malformed.
RoleOverrides LoadRoleOverrides(const std::filesystem::path& file);

struct StudyRecord;
// Sets role and role_reason of every series in the study; needs the whole study for acquisition order.
void ClassifyStudy(StudyRecord& study, const RoleOverrides& overrides);

}  // namespace leptoscan::io
