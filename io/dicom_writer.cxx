#include "io/dicom_writer.h"

#include <dcmtk/dcmdata/dcostrmb.h>
#include <dcmtk/dcmdata/dctk.h>
#include <dcmtk/dcmdata/dcwcache.h>
#include <fmt/format.h>
#include <tbb/parallel_for.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <fstream>
#include <limits>
#include <system_error>
#include <vector>

#include "io/atomic_file.h"
#include "io/dcmtk_dataset.h"
#include "io/errors.h"
#include "io/parallel.h"

namespace leptoscan::io {
namespace {

namespace fs = std::filesystem;
using Vec3 = std::array<double, 3>;

std::string DecimalStrings(std::initializer_list<double> values) {
  std::string text;
  for (double v : values)
    text += (text.empty() ? "" : "\\") + DecimalString(v);
  return text;
}

bool IsValidUid(const std::string& uid) {
  if (uid.empty() || uid.size() > 64) return false;
  std::size_t start = 0;
  while (true) {
    std::size_t end = uid.find('.', start);
    if (end == std::string::npos) end = uid.size();
    const std::size_t length = end - start;
    if (length == 0) return false;
    for (std::size_t i = start; i < end; ++i) {
      if (uid[i] < '0' || uid[i] > '9') return false;
    }
    if (length > 1 && uid[start] == '0') return false;  // components have no leading zero
    if (end == uid.size()) return true;
    start = end + 1;
  }
}

bool IsAscii(const std::string& text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

std::uint64_t Fnv1a(const std::string& text, std::uint64_t basis, bool reverse) {
  std::uint64_t h = basis;
  for (std::size_t n = 0; n < text.size(); ++n) {
    h ^= static_cast<unsigned char>(text[reverse ? text.size() - 1 - n : n]);
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::uint64_t SplitMix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::string Decimal(unsigned __int128 value) {
  if (value == 0) return "0";
  std::string digits;
  while (value != 0) {
    digits.push_back(static_cast<char>('0' + static_cast<int>(value % 10)));
    value /= 10;
  }
  std::reverse(digits.begin(), digits.end());
  return digits;
}

// One slice as stored: voxels rounded half away from zero and clamped to int16; NaN becomes 0.
void StoredSlice(const float* voxels, std::size_t count, std::int16_t* out) {
  for (std::size_t i = 0; i < count; ++i) {
    const float v = voxels[i];
    const float clamped = std::isnan(v) ? 0.0f : std::clamp(v, -32768.0f, 32767.0f);
    out[i] = static_cast<std::int16_t>(std::lround(clamped));
  }
}

// Adds attributes to one data set; any DCMTK refusal becomes an InputError naming the target folder.
class Attributes {
 public:
  Attributes(DcmDataset& ds, const fs::path& folder) : ds_(ds), folder_(folder) {}

  void Text(const DcmTagKey& tag, const std::string& value) {
    Check(ds_.putAndInsertString(tag, value.c_str()), tag);
  }
  // Type 3: left out when there is nothing to say.
  void TextIfAny(const DcmTagKey& tag, const std::string& value) {
    if (!value.empty()) Text(tag, value);
  }
  void Number(const DcmTagKey& tag, double value) { Text(tag, DecimalString(value)); }
  // Type 2: present, empty when unknown.
  void NumberOrEmpty(const DcmTagKey& tag, const std::optional<double>& value) {
    Text(tag, value ? DecimalString(*value) : "");
  }
  void Integer(const DcmTagKey& tag, long value) { Text(tag, std::to_string(value)); }
  void Short(const DcmTagKey& tag, Uint16 value) { Check(ds_.putAndInsertUint16(tag, value), tag); }
  void Pixels(const std::vector<std::int16_t>& values) {
    Check(ds_.putAndInsertUint16Array(DCM_PixelData, reinterpret_cast<const Uint16*>(values.data()),
                                      values.size()),
          DCM_PixelData);
  }

 private:
  void Check(const OFCondition& status, const DcmTagKey& tag) {
    if (status.bad()) {
      throw InputError(folder_, fmt::format("cannot set {} ({})", DcmTag(tag).getTagName(), status.text()));
    }
  }
  DcmDataset& ds_;
  const fs::path& folder_;
};

// What every slice of the series shares, worked out once.
struct SeriesPlan {
  Vec3 row{}, column{}, normal{};
  std::string orientation;  // ImageOrientationPatient
  std::string pixel_spacing;
  std::string slice_spacing;
  std::string window_center, window_width;
  bool utf8 = false;
};

void AddSeriesAttributes(Attributes& a, const DicomSeriesTags& t, const SeriesPlan& plan) {
  // SOP Common
  if (plan.utf8) a.Text(DCM_SpecificCharacterSet, "ISO_IR 192");
  a.Text(DCM_SOPClassUID, UID_MRImageStorage);
  a.Text(DCM_ImageType, "ORIGINAL\\PRIMARY\\M\\ND");
  // Patient (type 2: present even when empty)
  a.Text(DCM_PatientName, t.patient_name);
  a.Text(DCM_PatientID, t.patient_id);
  a.Text(DCM_PatientBirthDate, t.patient_birth_date);
  a.Text(DCM_PatientSex, t.patient_sex);
  // General Study
  a.Text(DCM_StudyInstanceUID, t.study_uid);
  a.Text(DCM_StudyDate, t.study_date);
  a.Text(DCM_StudyTime, t.study_time);
  a.Text(DCM_ReferringPhysicianName, "");
  a.Text(DCM_StudyID, "");
  a.Text(DCM_AccessionNumber, t.accession_number);
  a.TextIfAny(DCM_StudyDescription, t.study_description);
  // General Series. PatientPosition (2C for MR) is unknown for a synthetic volume: present, empty.
  a.Text(DCM_Modality, "MR");
  a.Text(DCM_SeriesInstanceUID, t.series_uid);
  a.Integer(DCM_SeriesNumber, t.series_number);
  a.TextIfAny(DCM_SeriesDate, t.study_date);
  a.TextIfAny(DCM_SeriesTime, t.series_time);
  a.TextIfAny(DCM_SeriesDescription, t.series_description);
  a.TextIfAny(DCM_ProtocolName, t.protocol_name);
  a.TextIfAny(DCM_BodyPartExamined, t.body_part);
  a.Text(DCM_PatientPosition, "");
  // Frame of Reference
  a.Text(DCM_FrameOfReferenceUID, t.frame_of_reference_uid);
  a.Text(DCM_PositionReferenceIndicator, "");
  // General Equipment
  a.Text(DCM_Manufacturer, t.manufacturer);
  a.TextIfAny(DCM_ManufacturerModelName, t.model);
  // General Image: acquisition and content date/time are the study date and series time, never the clock.
  a.TextIfAny(DCM_AcquisitionDate, t.study_date);
  a.TextIfAny(DCM_AcquisitionTime, t.series_time);
  a.TextIfAny(DCM_ContentDate, t.study_date);
  a.TextIfAny(DCM_ContentTime, t.series_time);
  // Contrast/Bolus: the module is present only for a post-contrast series.
  a.TextIfAny(DCM_ContrastBolusAgent, t.contrast_agent);
  // MR Image. ScanningSequence and SequenceVariant are type 1: "RM" (research mode) and "NONE" stand
  // in when unknown.
  a.Text(DCM_ScanningSequence, t.scanning_sequence.empty() ? "RM" : t.scanning_sequence);
  a.Text(DCM_SequenceVariant, t.sequence_variant.empty() ? "NONE" : t.sequence_variant);
  a.Text(DCM_ScanOptions, "");
  a.Text(DCM_MRAcquisitionType, t.mr_acquisition_type);
  a.TextIfAny(DCM_SequenceName, t.sequence_name);
  a.NumberOrEmpty(DCM_RepetitionTime, t.repetition_time_ms);
  a.NumberOrEmpty(DCM_EchoTime, t.echo_time_ms);
  a.Text(DCM_EchoTrainLength, "");
  // InversionTime is 2C: required for inversion recovery sequences, otherwise only when known.
  if (t.inversion_time_ms || t.scanning_sequence.find("IR") != std::string::npos) {
    a.NumberOrEmpty(DCM_InversionTime, t.inversion_time_ms);
  }
  if (t.flip_angle_deg) a.Number(DCM_FlipAngle, *t.flip_angle_deg);
  a.Text(DCM_ImagedNucleus, "1H");
  a.Number(DCM_MagneticFieldStrength, t.field_strength_t);
  // Image Plane
  a.Text(DCM_ImageOrientationPatient, plan.orientation);
  a.Text(DCM_PixelSpacing, plan.pixel_spacing);
  a.Text(DCM_SliceThickness, plan.slice_spacing);
  a.Text(DCM_SpacingBetweenSlices, plan.slice_spacing);
  // Image Pixel: signed 16-bit greyscale, identity rescale, one window for the whole series.
  a.Short(DCM_SamplesPerPixel, 1);
  a.Text(DCM_PhotometricInterpretation, "MONOCHROME2");
  a.Short(DCM_BitsAllocated, 16);
  a.Short(DCM_BitsStored, 16);
  a.Short(DCM_HighBit, 15);
  a.Short(DCM_PixelRepresentation, 1);
  a.Text(DCM_RescaleIntercept, "0");
  a.Text(DCM_RescaleSlope, "1");
  a.Text(DCM_WindowCenter, plan.window_center);
  a.Text(DCM_WindowWidth, plan.window_width);
}

void WriteFileChecked(const std::string& bytes, const fs::path& file, const fs::path& folder) {
  errno = 0;
  std::ofstream out(file, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) {
    const std::string why = errno != 0 ? std::generic_category().message(errno) : "short write";
    throw InputError(folder, fmt::format("cannot write {}: {}", file.filename().string(), why));
  }
}

void WriteSlice(const Volume& volume, const DicomSeriesTags& tags, const SeriesPlan& plan, std::size_t k,
                const fs::path& file, const fs::path& folder) {
  const VolumeGeometry& g = volume.geometry;
  const std::size_t slice_voxels = g.size[0] * g.size[1];
  std::vector<std::int16_t> stored(slice_voxels);
  StoredSlice(volume.voxels.data() + k * slice_voxels, slice_voxels, stored.data());

  DcmFileFormat dicom;
  Attributes a(*dicom.getDataset(), folder);
  AddSeriesAttributes(a, tags, plan);
  const std::string instance = std::to_string(k + 1);
  a.Text(DCM_SOPInstanceUID, tags.series_uid + "." + instance);
  a.Text(DCM_InstanceNumber, instance);
  const Vec3 position = g.IndexToPoint(0, 0, static_cast<double>(k));
  a.Text(DCM_ImagePositionPatient, DecimalStrings({position[0], position[1], position[2]}));
  a.Number(DCM_SliceLocation,
           position[0] * plan.normal[0] + position[1] * plan.normal[1] + position[2] * plan.normal[2]);
  a.Short(DCM_Rows, static_cast<Uint16>(g.size[1]));
  a.Short(DCM_Columns, static_cast<Uint16>(g.size[0]));
  a.Pixels(stored);

  WriteFileChecked(EncodeDicomFile(dicom, folder, file.filename().string()), file, folder);
}

void RequireWritable(const Volume& volume, const DicomSeriesTags& tags, const fs::path& folder) {
  const VolumeGeometry& g = volume.geometry;
  if (g.size[0] == 0 || g.size[1] == 0 || g.size[2] == 0) {
    throw InputError(folder, fmt::format("cannot write an empty volume ({}x{}x{} voxels)", g.size[0],
                                         g.size[1], g.size[2]));
  }
  if (g.size[0] > 65535 || g.size[1] > 65535) {
    throw InputError(
        folder, fmt::format("{}x{} voxels per slice: DICOM allows at most 65535 rows and columns", g.size[0],
                            g.size[1]));
  }
  if (volume.voxels.size() != g.VoxelCount()) {
    throw InputError(
        folder, fmt::format("the volume holds {} voxels but its size {}x{}x{} needs {}", volume.voxels.size(),
                            g.size[0], g.size[1], g.size[2], g.VoxelCount()));
  }
  for (int d = 0; d < 3; ++d) {
    if (!(g.spacing_mm[d] > 0) || !std::isfinite(g.spacing_mm[d]) || !std::isfinite(g.origin_mm[d])) {
      throw InputError(folder, "voxel spacing must be positive and the origin finite");
    }
  }
  const Vec3 row{g.direction[0], g.direction[3], g.direction[6]};
  const Vec3 col{g.direction[1], g.direction[4], g.direction[7]};
  const auto dot = [](const Vec3& x, const Vec3& y) { return x[0] * y[0] + x[1] * y[1] + x[2] * y[2]; };
  if (std::abs(dot(row, row) - 1) > 1e-3 || std::abs(dot(col, col) - 1) > 1e-3 ||
      std::abs(dot(row, col)) > 1e-3) {
    throw InputError(folder,
                     "the first two direction columns are not orthogonal unit vectors, as "
                     "ImageOrientationPatient needs");
  }
  const std::string last_instance = std::to_string(g.size[2]);
  for (const auto& [name, uid] : {std::pair{"StudyInstanceUID", &tags.study_uid},
                                  {"SeriesInstanceUID", &tags.series_uid},
                                  {"FrameOfReferenceUID", &tags.frame_of_reference_uid}}) {
    if (!IsValidUid(*uid)) {
      throw InputError(folder, fmt::format("{} '{}' is not a valid UID (digits and dots, at most 64 "
                                           "characters, no leading zeros)",
                                           name, *uid));
    }
  }
  if (tags.series_uid.size() + 1 + last_instance.size() > 64) {
    throw InputError(folder, fmt::format("SeriesInstanceUID '{}' is too long to append the instance number "
                                         "{} (SOPInstanceUIDs hold at most 64 characters)",
                                         tags.series_uid, last_instance));
  }
}

SeriesPlan PlanSeries(const Volume& volume, const DicomSeriesTags& tags) {
  const VolumeGeometry& g = volume.geometry;
  const auto& d = g.direction;
  SeriesPlan plan;
  plan.row = {d[0], d[3], d[6]};
  plan.column = {d[1], d[4], d[7]};
  plan.normal = {plan.row[1] * plan.column[2] - plan.row[2] * plan.column[1],
                 plan.row[2] * plan.column[0] - plan.row[0] * plan.column[2],
                 plan.row[0] * plan.column[1] - plan.row[1] * plan.column[0]};
  plan.orientation =
      DecimalStrings({plan.row[0], plan.row[1], plan.row[2], plan.column[0], plan.column[1], plan.column[2]});
  // PixelSpacing is (between rows, between columns): the step along j comes first.
  plan.pixel_spacing = DecimalStrings({g.spacing_mm[1], g.spacing_mm[0]});
  plan.slice_spacing = DecimalString(g.spacing_mm[2]);

  // One window for the whole series, from the range of the stored values.
  const std::size_t slice_voxels = g.size[0] * g.size[1];
  std::vector<std::pair<int, int>> ranges(g.size[2]);
  tbb::parallel_for(std::size_t{0}, g.size[2], [&](std::size_t k) {
    std::vector<std::int16_t> stored(slice_voxels);
    StoredSlice(volume.voxels.data() + k * slice_voxels, slice_voxels, stored.data());
    const auto [lo, hi] = std::minmax_element(stored.begin(), stored.end());
    ranges[k] = {*lo, *hi};
  });
  int lo = std::numeric_limits<int>::max(), hi = std::numeric_limits<int>::min();
  for (const auto& [slice_lo, slice_hi] : ranges) {
    lo = std::min(lo, slice_lo);
    hi = std::max(hi, slice_hi);
  }
  plan.window_center = DecimalString((lo + hi) / 2.0);
  plan.window_width = DecimalString(hi - lo + 1.0);

  for (const std::string* text :
       {&tags.patient_id, &tags.patient_name, &tags.study_description, &tags.series_description,
        &tags.protocol_name, &tags.manufacturer, &tags.model, &tags.contrast_agent, &tags.sequence_name}) {
    if (!IsAscii(*text)) plan.utf8 = true;
  }
  return plan;
}

}  // namespace

std::string DecimalString(double value) {
  if (value == 0) return "0";
  char buffer[32];
  for (int digits = 15; digits > 0; --digits) {
    const int length = std::snprintf(buffer, sizeof buffer, "%.*g", digits, value);
    if (length > 0 && length <= 16) return buffer;
  }
  return "0";
}

std::string EncodeDicomFile(DcmFileFormat& dicom, const fs::path& reported, const std::string& what) {
  std::string bytes;
  std::vector<char> chunk(1 << 16);
  DcmOutputBufferStream stream(chunk.data(), static_cast<offile_off_t>(chunk.size()));
  DcmWriteCache cache;
  const auto drain = [&] {
    void* data = nullptr;
    offile_off_t length = 0;
    stream.flushBuffer(data, length);
    bytes.append(static_cast<const char*>(data), static_cast<std::size_t>(length));
  };
  dicom.transferInit();
  OFCondition status;
  while ((status = dicom.write(stream, EXS_LittleEndianExplicit, EET_ExplicitLength, &cache, EGL_withoutGL,
                               EPD_noChange, 0, 0, 0, EWM_fileformat)) == EC_StreamNotifyClient) {
    drain();
  }
  dicom.transferEnd();
  if (status.bad()) {
    throw InputError(reported, fmt::format("cannot encode {} ({})", what, status.text()));
  }
  stream.flush();
  drain();
  return bytes;
}

void WriteDicomSeries(const Volume& volume, const DicomSeriesTags& tags, const fs::path& folder_argument) {
  InitializeDcmtk();
  // "out/series/" names the folder "series".
  fs::path folder = folder_argument.lexically_normal();
  if (!folder.empty() && folder.filename().empty()) folder = folder.parent_path();
  if (folder.empty() || folder.filename() == "." || folder.filename() == "..") {
    throw InputError(folder_argument, "not a folder name to write a series to");
  }
  if (fs::exists(fs::symlink_status(folder))) throw InputError(folder, "already exists");
  RequireWritable(volume, tags, folder);
  const SeriesPlan plan = PlanSeries(volume, tags);

  AtomicFolder partial(folder);
  const std::size_t slices = volume.geometry.size[2];
  const int width = std::max<int>(4, static_cast<int>(std::to_string(slices).size()));
  ParallelForEach(slices, [&](std::size_t k) {
    const fs::path file = partial.path() / fmt::format("IM{:0{}d}.dcm", k + 1, width);
    WriteSlice(volume, tags, plan, k, file, folder);
  });
  partial.Commit();
}

std::string UidFromKey(const std::string& key) {
  // Two differently built 64-bit hashes (FNV-1a forwards and backwards, different offset bases), each
  // finished with SplitMix64, make the 128 bits. Version and variant bits are set as for an RFC 9562
  // version 8 (custom) UUID, which the 2.25 arc is for.
  std::uint64_t high = SplitMix64(Fnv1a(key, 0xcbf29ce484222325ULL, false) ^ key.size());
  std::uint64_t low = SplitMix64(Fnv1a(key, 0x6c62272e07bb0142ULL, true) + 0x632be59bd9b4e019ULL);
  high = (high & ~std::uint64_t{0xF000}) | 0x8000;              // version 8
  low = (low & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;  // variant 10
  const unsigned __int128 value = (static_cast<unsigned __int128>(high) << 64) | low;
  return "2.25." + Decimal(value);
}

}  // namespace leptoscan::io
