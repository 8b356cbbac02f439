// Findings and score documents from text: scoring's readers either return a document or throw
// scoring::DocumentError (contracts/findings.md). A document that reads back is written and read again,
// which must give no error: the writer only writes what the reader accepts.
#include <cstddef>
#include <cstdint>
#include <string>

#include "scoring/errors.h"
#include "scoring/findings_reader.h"
#include "scoring/findings_writer.h"
#include "scoring/score_reader.h"

using leptoscan::scoring::DocumentError;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace scoring = leptoscan::scoring;
  const std::string text(reinterpret_cast<const char*>(data), size);
  for (const bool missing_as_ne : {false, true}) {
    try {
      const scoring::Findings findings = scoring::ParseFindings(text, "fuzz.json", {missing_as_ne});
      scoring::ParseFindings(scoring::FindingsToJson(findings).dump(), "rewritten.json");
    } catch (const DocumentError&) {
    }
  }
  try {
    scoring::ParseScoreDocument(text, "fuzz.json");
  } catch (const DocumentError&) {
  }
  return 0;
}
