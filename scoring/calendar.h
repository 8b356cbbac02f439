// Calendar dates as findings documents write them (YYYY-MM-DD), for ordering time points and for the time to
// progression.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace leptoscan::scoring {

// Days since 1970-01-01 for a valid proleptic Gregorian YYYY-MM-DD date; empty for anything else.
std::optional<long> DayNumber(std::string_view iso_date);
// The inverse: YYYY-MM-DD of a day number.
std::string IsoDate(long day_number);
// A DICOM date (YYYYMMDD) as the findings documents write it (YYYY-MM-DD); other text comes back as it is.
std::string DicomDateToIso(const std::string& yyyymmdd);

}  // namespace leptoscan::scoring
