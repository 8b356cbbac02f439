// Writes a volume as a DICOM MR image series (one classic MR Image Storage file per slice) with DCMTK,
// for phantom studies and for exporting results that PACS and third-party readers open.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "io/volume.h"

namespace leptoscan::io {

// The identifying and acquisition attributes of a series. Empty strings leave type-3 attributes out
// (ContrastBolusAgent empty: a pre-contrast series). Nothing in the files depends on the clock, so
// the same tags and volume give byte-identical files.
struct DicomSeriesTags {
  std::string patient_id;
  std::string patient_name;
  std::string patient_sex;         // M, F, O
  std::string patient_birth_date;  // YYYYMMDD
  std::string study_uid;
  std::string study_date;  // YYYYMMDD
  std::string study_time;  // HHMMSS
  std::string study_description;
  std::string accession_number;
  std::string frame_of_reference_uid;
  std::string series_uid;  // SOPInstanceUIDs are series_uid + "." + instance number
  int series_number = 1;
  std::string series_time;  // HHMMSS; AcquisitionTime too
  std::string series_description;
  std::string protocol_name;
  std::string body_part;  // HEAD, SPINE, ...
  std::string manufacturer;
  std::string model;
  double field_strength_t = 3.0;
  std::string mr_acquisition_type = "3D";
  std::string scanning_sequence;  // GR, SE, IR, ...; empty writes RM (research mode), as it is type 1
  std::string sequence_variant;   // empty writes NONE
  std::string sequence_name;
  std::optional<double> repetition_time_ms;
  std::optional<double> echo_time_ms;
  std::optional<double> inversion_time_ms;
  std::optional<double> flip_angle_deg;
  std::string contrast_agent;  // e.g. "Gadobutrol 0.1 mmol/kg"; empty for pre-contrast
};

// Writes the slices along the volume's third axis as IM0001.dcm, IM0002.dcm, ... into `folder`, with
// ImagePositionPatient/ImageOrientationPatient from the volume's LPS geometry, PixelSpacing,
// SliceThickness and SpacingBetweenSlices. Voxels are rounded to int16 (clamped), rescale 1/0.
// The folder is written under a temporary name beside it and renamed, so it appears whole or not at
// all; an existing folder is an error, missing parent folders are created. Type-2 attributes without
// a value (EchoTime, PatientPosition, ...) are written empty. Throws InputError naming the folder on
// failure, including invalid or over-long UIDs (series_uid + "." + instance must fit in 64 characters).
void WriteDicomSeries(const Volume& volume, const DicomSeriesTags& tags, const std::filesystem::path& folder);

// A deterministic DICOM UID ("2.25." + decimal of a 128-bit hash of `key`), for reproducible phantoms.
std::string UidFromKey(const std::string& key);

}  // namespace leptoscan::io
