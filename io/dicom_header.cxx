#include "io/dicom_header.h"

#include <dcmtk/dcmdata/dcrledrg.h>
#include <dcmtk/dcmdata/dctk.h>
#include <dcmtk/dcmjpeg/djdecode.h>
#include <dcmtk/dcmjpls/djdecode.h>
#include <dcmtk/oflog/oflog.h>
#include <fmt/format.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <mutex>

#include "io/dcmtk_dataset.h"
#include "io/errors.h"

namespace leptoscan::io {
namespace {

// Elements longer than this are left on disk while the header is parsed (private blobs, thumbnails).
constexpr Uint32 kMaxHeaderValueBytes = 4096;

DcmElement* FindElement(DcmItem& item, const DcmTagKey& tag, bool deep = false) {
  DcmElement* element = nullptr;
  if (item.findAndGetElement(tag, element, deep).bad() || element == nullptr || element->getLength() == 0) {
    return nullptr;
  }
  return element;
}

// Thrown by Text for a value too long to be what the attribute holds; the caller names the file.
struct TextTooLong {
  DcmTagKey tag;
  Uint32 bytes = 0;
};

bool IsUtf8(const std::string& text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const std::size_t length = lead < 0x80           ? 1
                               : (lead >> 5) == 0x6  ? 2
                               : (lead >> 4) == 0xE  ? 3
                               : (lead >> 3) == 0x1E ? 4
                                                     : 0;
    if (length == 0 || i + length > text.size()) return false;
    for (std::size_t k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) >> 6) != 0x2) return false;
    }
    i += length;
  }
  return true;
}

// Bytes that are not UTF-8 after the character set conversion (no SpecificCharacterSet, or a wrong one)
// are most often Latin-1, which maps every byte to a character: the text stays readable and every
// document it ends up in stays valid UTF-8.
std::string Latin1ToUtf8(const std::string& text) {
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x80) {
      out += c;
    } else {
      out += static_cast<char>(0xC0 | byte >> 6);
      out += static_cast<char>(0x80 | (byte & 0x3F));
    }
  }
  return out;
}

std::string Text(DcmItem& item, const DcmTagKey& tag, bool deep = false) {
  DcmElement* element = FindElement(item, tag, deep);
  if (element == nullptr) return {};
  if (element->getLength() > kMaxHeaderValueBytes) throw TextTooLong{tag, element->getLength()};
  OFString value;
  if (element->getOFStringArray(value).bad()) return {};
  std::string text = value.c_str();
  return IsUtf8(text) ? text : Latin1ToUtf8(text);
}

// Numbers are read whatever their VR (DS, IS, FD, US, ...); empty or malformed values give nothing.
std::optional<double> Number(DcmItem& item, const DcmTagKey& tag, unsigned long pos = 0, bool deep = false) {
  DcmElement* element = FindElement(item, tag, deep);
  if (element == nullptr || pos >= element->getVM()) return std::nullopt;
  Float64 f = 0;
  if (element->getFloat64(f, pos).good()) return f;
  Float32 f32 = 0;
  if (element->getFloat32(f32, pos).good()) return f32;
  Sint32 s = 0;
  if (element->getSint32(s, pos).good()) return s;
  Uint32 u32 = 0;
  if (element->getUint32(u32, pos).good()) return u32;
  Uint16 u = 0;
  if (element->getUint16(u, pos).good()) return u;
  return std::nullopt;
}

// A whole-number attribute as T; nothing when absent or empty. Any VR's number is read (a file may say DS
// where the dictionary says US), but one that T cannot hold is refused naming the attribute: converting
// it (Rows of 1e10, a SeriesNumber of 1e300) is undefined behaviour.
template <typename T>
std::optional<T> Whole(DcmItem& item, const DcmTagKey& tag, const std::filesystem::path& path) {
  const auto value = Number(item, tag);
  if (!value) return std::nullopt;
  constexpr double lowest = std::numeric_limits<T>::min(), highest = std::numeric_limits<T>::max();
  if (!(*value >= lowest && *value <= highest) || *value != std::trunc(*value)) {
    throw InputError(path,
                     fmt::format("{} {} is {}: not a whole number from {} to {}", DcmTag(tag).getTagName(),
                                 tag.toString().c_str(), *value, lowest, highest));
  }
  return static_cast<T>(*value);
}

template <std::size_t N>
std::optional<std::array<double, N>> Numbers(DcmItem& item, const DcmTagKey& tag) {
  std::array<double, N> values{};
  for (std::size_t i = 0; i < N; ++i) {
    auto value = Number(item, tag, i);
    if (!value) return std::nullopt;
    values[i] = *value;
  }
  return values;
}

DcmItem* SequenceItem(DcmItem* parent, const DcmTagKey& tag, long index = 0) {
  DcmItem* item = nullptr;
  if (parent == nullptr || parent->findAndGetSequenceItem(tag, item, index).bad()) return nullptr;
  return item;
}

// Looks for a functional group macro in the per-frame item first, then in the shared item.
DcmItem* FunctionalGroup(DcmItem* per_frame, DcmItem* shared, const DcmTagKey& macro) {
  if (DcmItem* item = SequenceItem(per_frame, macro)) return item;
  return SequenceItem(shared, macro);
}

std::string NumberText(const std::optional<double>& value) {
  if (!value) return {};
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", *value);
  return buffer;
}

FrameHeader ClassicFrame(DcmItem& ds, const std::filesystem::path& path) {
  FrameHeader frame;
  frame.position_mm = Numbers<3>(ds, DCM_ImagePositionPatient);
  frame.orientation = Numbers<6>(ds, DCM_ImageOrientationPatient);
  frame.pixel_spacing_mm = Numbers<2>(ds, DCM_PixelSpacing);
  frame.rescale_slope = Number(ds, DCM_RescaleSlope).value_or(1.0);
  frame.rescale_intercept = Number(ds, DCM_RescaleIntercept).value_or(0.0);
  frame.echo = Text(ds, DCM_EchoNumbers);
  if (frame.echo.empty()) frame.echo = NumberText(Number(ds, DCM_EchoTime));
  frame.temporal = Text(ds, DCM_TemporalPositionIdentifier);
  frame.instance_number = Whole<int>(ds, DCM_InstanceNumber, path).value_or(0);
  return frame;
}

FrameHeader EnhancedFrame(DcmItem* per_frame, DcmItem* shared, std::uint32_t index) {
  FrameHeader frame;
  frame.frame = index;
  frame.instance_number = static_cast<int>(index) + 1;
  if (DcmItem* g = FunctionalGroup(per_frame, shared, DCM_PlanePositionSequence)) {
    frame.position_mm = Numbers<3>(*g, DCM_ImagePositionPatient);
  }
  if (DcmItem* g = FunctionalGroup(per_frame, shared, DCM_PlaneOrientationSequence)) {
    frame.orientation = Numbers<6>(*g, DCM_ImageOrientationPatient);
  }
  if (DcmItem* g = FunctionalGroup(per_frame, shared, DCM_PixelMeasuresSequence)) {
    frame.pixel_spacing_mm = Numbers<2>(*g, DCM_PixelSpacing);
  }
  if (DcmItem* g = FunctionalGroup(per_frame, shared, DCM_PixelValueTransformationSequence)) {
    frame.rescale_slope = Number(*g, DCM_RescaleSlope).value_or(1.0);
    frame.rescale_intercept = Number(*g, DCM_RescaleIntercept).value_or(0.0);
  }
  if (DcmItem* g = FunctionalGroup(per_frame, shared, DCM_FrameContentSequence)) {
    frame.stack = Text(*g, DCM_StackID);
    frame.temporal = Text(*g, DCM_TemporalPositionIndex);
  }
  if (DcmItem* g = FunctionalGroup(per_frame, shared, DCM_MREchoSequence)) {
    frame.echo = NumberText(Number(*g, DCM_EffectiveEchoTime));
  }
  return frame;
}

DicomFileHeader ReadHeader(DcmDataset& ds, const std::filesystem::path& path) {
  // Text in a declared character set other than UTF-8 (Latin-1, Cyrillic, Japanese...) becomes UTF-8;
  // what cannot be converted is handled value by value (Text).
  OFString charset;
  if (ds.findAndGetOFStringArray(DCM_SpecificCharacterSet, charset).good() && !charset.empty() &&
      charset != "ISO_IR 192") {
    ds.convertToUTF8();
  }
  DicomFileHeader h;
  h.path = path;
  h.transfer_syntax_uid = DcmXfer(ds.getOriginalXfer()).getXferID();
  h.sop_class_uid = Text(ds, DCM_SOPClassUID);
  h.sop_instance_uid = Text(ds, DCM_SOPInstanceUID);
  h.patient_id = Text(ds, DCM_PatientID);
  h.study_uid = Text(ds, DCM_StudyInstanceUID);
  h.study_date = Text(ds, DCM_StudyDate);
  h.study_time = Text(ds, DCM_StudyTime);
  h.study_description = Text(ds, DCM_StudyDescription);
  h.series_uid = Text(ds, DCM_SeriesInstanceUID);
  h.series_number = Whole<int>(ds, DCM_SeriesNumber, path);
  h.series_date = Text(ds, DCM_SeriesDate);
  h.series_time = Text(ds, DCM_SeriesTime);
  h.acquisition_time = Text(ds, DCM_AcquisitionTime);
  h.series_description = Text(ds, DCM_SeriesDescription);
  h.protocol_name = Text(ds, DCM_ProtocolName);
  h.acquisition.modality = Text(ds, DCM_Modality);
  h.acquisition.manufacturer = Text(ds, DCM_Manufacturer);
  h.acquisition.model = Text(ds, DCM_ManufacturerModelName);
  h.acquisition.body_part = Text(ds, DCM_BodyPartExamined);
  h.acquisition.field_strength_t = Number(ds, DCM_MagneticFieldStrength);

  h.rows = Whole<std::uint16_t>(ds, DCM_Rows, path).value_or(0);
  h.columns = Whole<std::uint16_t>(ds, DCM_Columns, path).value_or(0);
  h.bits_allocated = Whole<std::uint16_t>(ds, DCM_BitsAllocated, path).value_or(0);
  h.bits_stored = Whole<std::uint16_t>(ds, DCM_BitsStored, path).value_or(h.bits_allocated);
  h.pixel_representation = Whole<std::uint16_t>(ds, DCM_PixelRepresentation, path).value_or(0);
  h.samples_per_pixel = Whole<std::uint16_t>(ds, DCM_SamplesPerPixel, path).value_or(1);
  h.photometric = Text(ds, DCM_PhotometricInterpretation);
  h.number_of_frames =
      std::max<std::uint32_t>(1, Whole<std::uint32_t>(ds, DCM_NumberOfFrames, path).value_or(1));
  h.acquisition.image_type = Text(ds, DCM_ImageType);
  h.contrast_agent = Text(ds, DCM_ContrastBolusAgent, /*deep=*/true);

  DcmSequenceOfItems* per_frame = nullptr;
  DcmItem* shared = SequenceItem(&ds, DCM_SharedFunctionalGroupsSequence);
  if (ds.findAndGetSequence(DCM_PerFrameFunctionalGroupsSequence, per_frame).good() && per_frame != nullptr &&
      per_frame->card() > 0) {
    // Enhanced MR: acquisition attributes live inside functional group macros, found by a deep search.
    h.enhanced = true;
    h.acquisition.mr_acquisition_type = Text(ds, DCM_MRAcquisitionType, true);
    h.acquisition.scanning_sequence = Text(ds, DCM_EchoPulseSequence, true);
    h.acquisition.sequence_name = Text(ds, DCM_PulseSequenceName, true);
    h.acquisition.repetition_time_ms = Number(ds, DCM_RepetitionTime, 0, true);
    h.acquisition.echo_time_ms = Number(ds, DCM_EffectiveEchoTime, 0, true);
    h.acquisition.inversion_time_ms = Number(ds, DCM_InversionTimes, 0, true);
    h.acquisition.flip_angle_deg = Number(ds, DCM_FlipAngle, 0, true);
    h.acquisition.slice_thickness_mm = Number(ds, DCM_SliceThickness, 0, true);
    h.spacing_between_slices_mm = Number(ds, DCM_SpacingBetweenSlices, 0, true);
    h.diffusion_b_value = Number(ds, DCM_DiffusionBValue, 0, true);
    const auto count = std::min<unsigned long>(per_frame->card(), h.number_of_frames);
    h.frames.reserve(count);
    for (unsigned long i = 0; i < count; ++i) {
      h.frames.push_back(EnhancedFrame(per_frame->getItem(i), shared, static_cast<std::uint32_t>(i)));
    }
  } else {
    h.acquisition.mr_acquisition_type = Text(ds, DCM_MRAcquisitionType);
    h.acquisition.scanning_sequence = Text(ds, DCM_ScanningSequence);
    h.acquisition.sequence_variant = Text(ds, DCM_SequenceVariant);
    h.acquisition.sequence_name = Text(ds, DCM_SequenceName);
    h.acquisition.repetition_time_ms = Number(ds, DCM_RepetitionTime);
    h.acquisition.echo_time_ms = Number(ds, DCM_EchoTime);
    h.acquisition.inversion_time_ms = Number(ds, DCM_InversionTime);
    h.acquisition.flip_angle_deg = Number(ds, DCM_FlipAngle);
    h.acquisition.slice_thickness_mm = Number(ds, DCM_SliceThickness);
    h.spacing_between_slices_mm = Number(ds, DCM_SpacingBetweenSlices);
    h.diffusion_b_value = Number(ds, DCM_DiffusionBValue);
    h.frames.push_back(ClassicFrame(ds, path));
  }
  return h;
}

}  // namespace

void InitializeDcmtk() {
  static std::once_flag once;
  std::call_once(once, [] {
    OFLog::configure(OFLogger::ERROR_LOG_LEVEL);
    DJDecoderRegistration::registerCodecs();
    DJLSDecoderRegistration::registerCodecs();
    DcmRLEDecoderRegistration::registerCodecs();
  });
}

DicomFileHeader HeaderFromDataset(DcmFileFormat& file, const std::filesystem::path& path) {
  try {
    return ReadHeader(*file.getDataset(), path);
  } catch (const TextTooLong& e) {
    throw InputError(path, fmt::format("{} {} holds {} bytes of text: more than the {} bytes accepted",
                                       DcmTag(e.tag).getTagName(), e.tag.toString().c_str(), e.bytes,
                                       kMaxHeaderValueBytes));
  }
}

bool LooksLikeDicom(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError(file, std::string("cannot be opened (") + std::strerror(errno) + ")");
  unsigned char head[132] = {};
  in.read(reinterpret_cast<char*>(head), sizeof head);
  const auto got = in.gcount();
  if (got == 132 && std::memcmp(head + 128, "DICM", 4) == 0) return true;
  if (got < 8) return false;
  // Old raw data sets have no preamble: accept those starting with a group 0002 or 0008 tag,
  // little or big endian, as dcm2niix does.
  const unsigned little = head[0] | (head[1] << 8);
  const unsigned big = (head[0] << 8) | head[1];
  return little == 0x0002 || little == 0x0008 || big == 0x0002 || big == 0x0008;
}

DicomFileHeader ReadDicomHeader(const std::filesystem::path& file) {
  InitializeDcmtk();
  DcmFileFormat dicom;
  LoadHeaderDataset(dicom, file);
  return HeaderFromDataset(dicom, file);
}

void LoadHeaderDataset(DcmFileFormat& dicom, const std::filesystem::path& file) {
  const OFCondition status = dicom.loadFileUntilTag(file.c_str(), EXS_Unknown, EGL_noChange,
                                                    kMaxHeaderValueBytes, ERM_autoDetect, DCM_PixelData);
  if (status.bad()) throw InputError(file, std::string("not a readable DICOM file (") + status.text() + ")");
}

}  // namespace leptoscan::io
