// Reading the JSON files a user hands over (role overrides, templates, cohort truth, output manifests):
// errors name the file, and a document nested deeper than any of them needs is refused while parsing, as
// the findings reader does (scoring/json_fields): printing such a value, as an error message may, recurses
// once per level and overflows the stack.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>

namespace leptoscan::io {

constexpr int kMaxJsonDepth = 64;

// Throws InputError naming the file: cannot be read, not valid JSON, or nested too deeply.
nlohmann::json ReadJsonFile(const std::filesystem::path& file);

}  // namespace leptoscan::io
