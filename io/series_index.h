// `leptoscan index`: DICOM headers under folders grouped into patient -> study -> series records.
#pragma once

#include <atomic>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "io/dicom_header.h"
#include "io/series_role.h"

namespace leptoscan::io {

struct SeriesRecord {
  std::string patient_id;
  std::string study_uid;
  std::string series_uid;
  std::optional<int> series_number;
  std::string series_date;
  std::string series_time;
  std::string description;
  std::string protocol;
  AcquisitionAttributes acquisition;
  std::string contrast_agent;
  std::optional<double> diffusion_b_value;
  std::string transfer_syntax_uid;

  std::string orientation;  // axial, sagittal, coronal, oblique, mixed or unknown
  std::uint16_t columns = 0;
  std::uint16_t rows = 0;
  std::size_t slices = 0;  // distinct slice positions
  std::size_t frames = 0;
  std::optional<double> pixel_spacing_column_mm;  // along a row (between columns)
  std::optional<double> pixel_spacing_row_mm;     // between rows
  std::optional<double> slice_spacing_mm;         // median step between slice positions

  std::vector<std::filesystem::path> files;  // sorted
  SeriesRole role = SeriesRole::kOther;
  std::string role_reason;
};

struct StudyRecord {
  std::string patient_id;
  std::string study_uid;
  std::string date;
  std::string time;
  std::string description;
  std::vector<SeriesRecord> series;  // by series number, then UID
};

struct PatientRecord {
  std::string patient_id;
  std::vector<StudyRecord> studies;  // by date and time
};

struct SkippedFile {
  std::filesystem::path path;
  std::string reason;
};

struct DicomIndex {
  std::vector<std::filesystem::path> roots;
  std::vector<PatientRecord> patients;
  std::size_t dicom_files = 0;
  std::vector<SkippedFile> not_dicom;   // no DICOM signature, or DICOM without an image (DICOMDIR, SR)
  std::vector<SkippedFile> unreadable;  // looked like DICOM but could not be parsed or opened

  std::size_t SeriesCount() const;
  const SeriesRecord* FindSeries(const std::string& series_uid) const;
  std::vector<const SeriesRecord*> AllSeries() const;
};

struct IndexOptions {
  RoleOverrides overrides;
  // Called from worker threads with the count of files read so far and the total.
  std::function<void(std::size_t done, std::size_t total)> progress;
};

// The headers of every DICOM image file under the roots, and the files that were skipped.
struct HeaderScan {
  std::vector<std::filesystem::path> roots;
  std::vector<DicomFileHeader> headers;  // sorted by path
  std::vector<SkippedFile> not_dicom;
  std::vector<SkippedFile> unreadable;
};

// Throws InputError for a root that does not exist; files that fail are recorded, never fatal.
HeaderScan ScanDicomHeaders(
    const std::vector<std::filesystem::path>& roots,
    const std::function<void(std::size_t done, std::size_t total)>& progress = nullptr);
DicomIndex BuildIndex(const HeaderScan& scan, const RoleOverrides& overrides = {});
DicomIndex IndexFolders(const std::vector<std::filesystem::path>& roots, const IndexOptions& options = {});

std::string IndexToJson(const DicomIndex& index);
// One row per series; column names carry units.
std::string IndexToTsv(const DicomIndex& index);

}  // namespace leptoscan::io
