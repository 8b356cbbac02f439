// Writes findings documents (contracts/findings.md, "leptoscan.findings/1") that ParseFindings reads back
// to the same Findings, in the key order of the contract example, so that hand-written and generated
// documents look alike.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>

#include "scoring/findings.h"

namespace leptoscan::scoring {

// Lengths are rounded to 0.01 mm (and areas to 0.01 mm2), volumes to 0.001 ml, the Evans index to 0.001:
// finer digits are below what the images resolve. Optional fields are written only when set; `source`
// only when not empty.
nlohmann::ordered_json FindingsToJson(const Findings& findings);

// `value` to a whole number of 1/per_unit (per_unit 100: to 0.01), as the writer rounds: divided by the
// whole number, the result is the double nearest the decimal (12.35, not 12.350000000000001), so a value
// rounded in memory equals the one read back from the document; -0 becomes 0.
double RoundToUnit(double value, double per_unit);

// The document is read back before anything is written (a DocumentError names the field the reader would
// reject), then written under a temporary name in the same folder and renamed onto `file`, so it appears
// whole or not at all. Throws DocumentError naming `file` when it cannot be written.
void WriteFindings(const Findings& findings, const std::filesystem::path& file);

}  // namespace leptoscan::scoring
