#include "io/json_file.h"

#include <fmt/format.h>

#include <fstream>

#include "io/errors.h"

namespace leptoscan::io {

nlohmann::json ReadJsonFile(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError(file, "cannot be read");
  try {
    return nlohmann::json::parse(in, [&file](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
      if (depth > kMaxJsonDepth) {
        throw InputError(file, fmt::format("not accepted: nested deeper than {} levels", kMaxJsonDepth));
      }
      return true;
    });
  } catch (const nlohmann::json::exception& e) {  // parse_error, and out_of_range for numbers like 1e400
    throw InputError(file, fmt::format("not valid JSON ({})", e.what()));
  }
}

}  // namespace leptoscan::io
