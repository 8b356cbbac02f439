// Reads a findings document and checks it against the contract; the first breach is reported as a
// DocumentError naming the file, the JSON field path and the problem.
#pragma once

#include <filesystem>
#include <string>

#include "scoring/findings.h"

namespace leptoscan::scoring {

struct FindingsReadOptions {
  // A missing item is an error by default: an incomplete form must not pass silently.
  bool missing_as_ne = false;
};

Findings ParseFindings(const std::string& text, const std::string& file,
                       const FindingsReadOptions& options = {});
Findings ReadFindings(const std::filesystem::path& file, const FindingsReadOptions& options = {});

}  // namespace leptoscan::scoring
