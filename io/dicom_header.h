// What a DICOM file says about itself, read with DCMTK without decoding (or even reading) its pixel data.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace leptoscan::io {

// One 2-D frame: a classic single-frame file, or one frame of an enhanced multi-frame file, whose
// attributes come from its per-frame functional group with the shared group as fallback.
struct FrameHeader {
  std::uint32_t frame = 0;                                // index within its file
  std::optional<std::array<double, 3>> position_mm;       // ImagePositionPatient
  std::optional<std::array<double, 6>> orientation;       // ImageOrientationPatient (row, column cosines)
  std::optional<std::array<double, 2>> pixel_spacing_mm;  // PixelSpacing: between rows, between columns
  double rescale_slope = 1.0;
  double rescale_intercept = 0.0;
  // Attributes that tell volumes apart inside one series (text, compared for equality).
  std::string echo;      // EchoNumbers, else EchoTime
  std::string temporal;  // TemporalPositionIdentifier / TemporalPositionIndex
  std::string stack;     // StackID of enhanced MR
  int instance_number = 0;
};

// How a series was acquired: the same in every file of a series, so series records copy it whole.
struct AcquisitionAttributes {
  std::string modality;
  std::string manufacturer;
  std::string model;
  std::string body_part;
  std::optional<double> field_strength_t;
  std::string mr_acquisition_type;  // 2D / 3D
  std::string scanning_sequence;
  std::string sequence_variant;
  std::string sequence_name;
  std::string image_type;  // values joined with '\'
  std::optional<double> repetition_time_ms;
  std::optional<double> echo_time_ms;
  std::optional<double> inversion_time_ms;
  std::optional<double> flip_angle_deg;
  std::optional<double> slice_thickness_mm;
};

struct DicomFileHeader {
  std::filesystem::path path;
  std::string transfer_syntax_uid;
  std::string sop_class_uid;
  std::string sop_instance_uid;

  std::string patient_id;
  std::string study_uid;
  std::string study_date;  // YYYYMMDD as stored
  std::string study_time;
  std::string study_description;

  std::string series_uid;
  std::optional<int> series_number;
  std::string series_date;
  std::string series_time;
  std::string acquisition_time;
  std::string series_description;
  std::string protocol_name;
  AcquisitionAttributes acquisition;

  std::string contrast_agent;
  std::optional<double> spacing_between_slices_mm;
  std::optional<double> diffusion_b_value;

  std::uint16_t rows = 0;
  std::uint16_t columns = 0;
  std::uint16_t bits_allocated = 0;
  std::uint16_t bits_stored = 0;
  std::uint16_t pixel_representation = 0;  // 1 = signed
  std::uint16_t samples_per_pixel = 1;
  std::string photometric;
  std::uint32_t number_of_frames = 1;
  bool enhanced = false;  // per-frame functional groups present
  std::vector<FrameHeader> frames;
};

// Cheap test on the first bytes: a "DICM" preamble, or a raw data set starting with group 0002/0008.
// Throws InputError when the file cannot be opened (a dangling link, no permission).
bool LooksLikeDicom(const std::filesystem::path& file);

// Reads the header up to the pixel data. Throws InputError naming the file when it cannot be parsed.
DicomFileHeader ReadDicomHeader(const std::filesystem::path& file);

}  // namespace leptoscan::io
