#include "io/dicom_volume.h"

#include <dcmtk/dcmdata/dcpixseq.h>
#include <dcmtk/dcmdata/dcpxitem.h>
#include <dcmtk/dcmdata/dctk.h>
#include <fmt/format.h>
#include <gdcmJPEG2000Codec.h>
#include <gdcmSequenceOfFragments.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <optional>
#include <set>
#include <tuple>

#include "io/dcmtk_dataset.h"
#include "io/dicom_header.h"
#include "io/errors.h"
#include "io/parallel.h"

namespace leptoscan::io {
namespace {

using Vec3 = std::array<double, 3>;

double Dot(const Vec3& a, const Vec3& b) {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}
Vec3 Cross(const Vec3& a, const Vec3& b) {
  return {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
}
Vec3 Sub(const Vec3& a, const Vec3& b) {
  return {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
}
double Norm(const Vec3& a) {
  return std::sqrt(Dot(a, a));
}

// Stored values to float: masks bits above BitsStored and sign-extends signed data, because some
// scanners leave overlay or garbage bits above the stored ones. Loops are kept simple to vectorise.
template <typename Raw>
void StoredToFloat(const Raw* raw, std::size_t count, const DicomFileHeader& h, const FrameHeader& frame,
                   float* out) {
  const unsigned bits =
      h.bits_stored > 0 && h.bits_stored < h.bits_allocated ? h.bits_stored : h.bits_allocated;
  const bool is_signed = h.pixel_representation == 1;
  // Some scanners write RescaleSlope 0, meaning "no rescale".
  const double slope = frame.rescale_slope == 0 ? 1.0 : frame.rescale_slope;
  const double intercept = frame.rescale_intercept;
  const auto rescale = [&](auto stored) {
    if (slope == 1 && intercept == 0) {
      for (std::size_t i = 0; i < count; ++i)
        out[i] = static_cast<float>(stored(raw[i]));
    } else {
      for (std::size_t i = 0; i < count; ++i)
        out[i] = static_cast<float>(stored(raw[i]) * slope + intercept);
    }
  };
  if constexpr (sizeof(Raw) < 4) {
    const std::uint32_t mask = (std::uint32_t{1} << bits) - 1;
    const int shift = 32 - static_cast<int>(bits);
    if (is_signed) {
      rescale(
          [=](Raw v) { return static_cast<std::int32_t>(static_cast<std::uint32_t>(v) << shift) >> shift; });
    } else {
      rescale([=](Raw v) { return static_cast<std::int32_t>(v & mask); });
    }
  } else {
    const std::uint64_t mask = (std::uint64_t{1} << bits) - 1;
    const std::int64_t sign_bit = std::int64_t{1} << (bits - 1);
    rescale([=](Raw v) {
      std::int64_t value = static_cast<std::int64_t>(v & mask);
      return is_signed && (value & sign_bit) ? value - (std::int64_t{1} << bits) : value;
    });
  }
}

bool IsJpeg2000(const std::string& xfer) {
  return xfer == UID_JPEG2000LosslessOnlyTransferSyntax || xfer == UID_JPEG2000TransferSyntax;
}

// A JPEG 2000 codestream's image size from its SIZ marker segment (ISO 15444-1 A.5.1), found at the start
// of a fragment (after a JP2 header, which some writers add); nullopt when the fragment starts no codestream.
struct Jpeg2000Size {
  std::uint32_t width = 0, height = 0;
  std::uint16_t components = 0;
  unsigned precision = 0;  // of the first component
  bool subsampled = false;
};

std::optional<Jpeg2000Size> CodestreamSize(const std::uint8_t* bytes, std::size_t length) {
  static constexpr std::uint8_t kSocSiz[4] = {0xFF, 0x4F, 0xFF, 0x51};
  const std::size_t window = std::min<std::size_t>(length, 512);
  const std::uint8_t* soc = std::search(bytes, bytes + window, kSocSiz, kSocSiz + 4);
  if (soc == bytes + window) return std::nullopt;
  const std::uint8_t* siz = soc + 4;
  const std::size_t available = static_cast<std::size_t>(bytes + length - siz);
  const auto u16 = [&](std::size_t at) { return static_cast<std::uint16_t>(siz[at] << 8 | siz[at + 1]); };
  const auto u32 = [&](std::size_t at) { return std::uint32_t{u16(at)} << 16 | u16(at + 2); };
  if (available < 38) return std::nullopt;
  Jpeg2000Size size;
  // Lsiz Rsiz Xsiz Ysiz XOsiz YOsiz XTsiz YTsiz XTOsiz YTOsiz Csiz, then Ssiz XRsiz YRsiz per component.
  size.width = u32(4) - std::min(u32(4), u32(12));
  size.height = u32(8) - std::min(u32(8), u32(16));
  size.components = u16(36);
  if (available < 38 + 3 * std::size_t{size.components}) return std::nullopt;
  for (std::size_t c = 0; c < size.components; ++c) {
    if (c == 0) size.precision = (siz[38] & 0x7F) + 1u;
    if (siz[38 + 3 * c + 1] != 1 || siz[38 + 3 * c + 2] != 1) size.subsampled = true;
  }
  return size;
}

// GDCM's codec writes the image the codestream describes into a buffer sized from the DICOM header: a
// codestream wider, taller or with more components than the header says overflows it (found by fuzzing).
void RequireCodestreamsMatchHeader(const std::vector<Jpeg2000Size>& sizes, const DicomFileHeader& h) {
  const std::filesystem::path& path = h.path;
  if (sizes.empty() || (h.number_of_frames > 1 && sizes.size() != h.number_of_frames)) {
    throw InputError(path, fmt::format("JPEG 2000 pixel data holds {} codestream(s) for {} frame(s)",
                                       sizes.size(), h.number_of_frames));
  }
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    const Jpeg2000Size& size = sizes[i];
    if (size.width != h.columns || size.height != h.rows || size.components != 1 || size.subsampled ||
        size.precision > h.bits_allocated) {
      throw InputError(path,
                       fmt::format("JPEG 2000 codestream {} is {}x{} with {} component(s) of {} bits, but "
                                   "the header says {}x{}, 1 sample of at most {} bits",
                                   i + 1, size.width, size.height, size.components, size.precision, h.columns,
                                   h.rows, h.bits_allocated));
    }
  }
}

// GDCM's codec decodes what DCMTK cannot (JPEG 2000), from the fragments DCMTK has already parsed: GDCM's
// own file parser aborts the process (a failed assert) on a malformed file meta header, such as a
// non-standard VR, which DCMTK reads with a warning. The buffer holds all frames in native byte order.
std::vector<char> DecodeJpeg2000(DcmDataset& ds, const DicomFileHeader& h) {
  const std::filesystem::path& path = h.path;
  DcmElement* element = nullptr;
  DcmPixelSequence* sequence = nullptr;
  if (ds.findAndGetElement(DCM_PixelData, element).bad() || element == nullptr ||
      element->ident() != EVR_PixelData ||
      static_cast<DcmPixelData*>(element)
          ->getEncapsulatedRepresentation(ds.getOriginalXfer(), nullptr, sequence)
          .bad() ||
      sequence == nullptr) {
    throw InputError(path, "no encapsulated JPEG 2000 pixel data (7FE0,0010)");
  }
  // Item 0 is the basic offset table; the fragments follow.
  auto fragments = gdcm::SequenceOfFragments::New();
  std::vector<Jpeg2000Size> codestreams;
  for (unsigned long i = 1; i < sequence->card(); ++i) {
    DcmPixelItem* item = nullptr;
    Uint8* bytes = nullptr;
    if (sequence->getItem(item, i).bad() || item == nullptr || item->getUint8Array(bytes).bad()) {
      throw InputError(path, fmt::format("cannot read JPEG 2000 fragment {}", i));
    }
    if (auto size = CodestreamSize(bytes, item->getLength())) codestreams.push_back(*size);
    gdcm::Fragment fragment;
    fragment.SetByteValue(reinterpret_cast<const char*>(bytes), item->getLength());
    fragments->AddFragment(fragment);
  }
  RequireCodestreamsMatchHeader(codestreams, h);
  gdcm::DataElement encoded(gdcm::Tag(0x7fe0, 0x0010));
  encoded.SetVR(gdcm::VR::OB);
  encoded.SetValue(*fragments);

  gdcm::JPEG2000Codec codec;
  codec.SetNumberOfDimensions(h.number_of_frames > 1 ? 3 : 2);
  codec.SetDimensions(std::vector<unsigned int>{h.columns, h.rows, h.number_of_frames});
  const std::uint16_t bits_stored =
      h.bits_stored > 0 && h.bits_stored <= h.bits_allocated ? h.bits_stored : h.bits_allocated;
  codec.SetPixelFormat(gdcm::PixelFormat(1, h.bits_allocated, bits_stored, bits_stored - 1,
                                         h.pixel_representation == 1 ? 1 : 0));
  codec.SetPhotometricInterpretation(gdcm::PhotometricInterpretation::MONOCHROME2);
  gdcm::DataElement decoded;
  const gdcm::ByteValue* value = nullptr;
  if (!codec.Decode(encoded, decoded) || (value = decoded.GetByteValue()) == nullptr) {
    throw InputError(path, "GDCM could not decode the JPEG 2000 pixel data");
  }
  return std::vector<char>(value->GetPointer(), value->GetPointer() + value->GetLength());
}

// Returns a pointer to the native-order pixel values of all frames, decompressing in place when needed.
const void* PixelValues(DcmDataset& ds, const DicomFileHeader& h, std::size_t bytes_needed,
                        std::vector<char>& gdcm_buffer) {
  const std::filesystem::path& path = h.path;
  if (IsJpeg2000(h.transfer_syntax_uid)) {
    gdcm_buffer = DecodeJpeg2000(ds, h);
    if (gdcm_buffer.size() < bytes_needed) {
      throw InputError(
          path, fmt::format("decoded pixel data is {} bytes, {} expected", gdcm_buffer.size(), bytes_needed));
    }
    return gdcm_buffer.data();
  }
  if (DcmXfer(ds.getOriginalXfer()).isEncapsulated() &&
      ds.chooseRepresentation(EXS_LittleEndianExplicit, nullptr).bad()) {
    throw InputError(path, "cannot decode pixel data with transfer syntax " + h.transfer_syntax_uid);
  }
  DcmElement* pixels = nullptr;
  if (ds.findAndGetElement(DCM_PixelData, pixels).bad() || pixels == nullptr) {
    throw InputError(path, "no pixel data (7FE0,0010)");
  }
  if (pixels->getLength() < bytes_needed) {
    throw InputError(
        path, fmt::format("truncated pixel data: {} bytes present, {} expected for {}x{}x{} at {} bits",
                          pixels->getLength(), bytes_needed, h.columns, h.rows, h.number_of_frames,
                          h.bits_allocated));
  }
  if (h.bits_allocated == 8) {
    Uint8* values = nullptr;
    if (pixels->getUint8Array(values).good() && values) return values;
  } else if (h.bits_allocated == 16) {
    Uint16* values = nullptr;
    if (pixels->getUint16Array(values).good() && values) return values;
  } else {
    Uint32* values = nullptr;
    if (pixels->getUint32Array(values).good() && values) return values;
  }
  throw InputError(path, "cannot access the pixel data");
}

void RequireImage(const DicomFileHeader& h, std::size_t max_voxels) {
  if (h.rows == 0 || h.columns == 0)
    throw InputError(h.path, "Rows or Columns is missing or zero: not an image");
  if (h.samples_per_pixel != 1) {
    throw InputError(h.path, fmt::format("{} samples per pixel ({}): only greyscale images are supported",
                                         h.samples_per_pixel, h.photometric));
  }
  if (h.bits_allocated != 8 && h.bits_allocated != 16 && h.bits_allocated != 32) {
    throw InputError(h.path, fmt::format("unsupported BitsAllocated {}", h.bits_allocated));
  }
  if (std::size_t{h.rows} * h.columns * h.number_of_frames > max_voxels) {
    throw InputError(h.path, fmt::format("{}x{}x{} voxels exceed the limit of {} voxels", h.columns, h.rows,
                                         h.number_of_frames, max_voxels));
  }
}

// Where one frame of a file goes: its index within the file and the slice buffer it is decoded into.
struct FrameTarget {
  std::size_t frame;
  float* slice;
};

// Reads a whole file and decodes the listed frames, rescaled, straight into their slices.
void DecodeFrames(const DicomFileHeader& expected, const std::vector<FrameTarget>& targets) {
  const std::filesystem::path& path = expected.path;
  DcmFileFormat dicom;
  const OFCondition status = dicom.loadFile(path.c_str());
  if (status.bad()) throw InputError(path, std::string("cannot read DICOM file (") + status.text() + ")");
  // The header read first is the one geometry was planned from; the full read must agree with it.
  const DicomFileHeader h = HeaderFromDataset(dicom, path);
  if (h.rows != expected.rows || h.columns != expected.columns || h.frames.size() != expected.frames.size()) {
    throw InputError(path, "changed while it was being read");
  }
  const std::size_t frame_voxels = std::size_t{h.rows} * h.columns;
  std::vector<char> gdcm_buffer;
  const std::size_t bytes_per_value = h.bits_allocated / 8;
  const void* values =
      PixelValues(*dicom.getDataset(), h, frame_voxels * h.number_of_frames * bytes_per_value, gdcm_buffer);
  for (const FrameTarget& target : targets) {
    const FrameHeader& frame = h.frames[target.frame];
    const std::size_t offset = std::size_t{frame.frame} * frame_voxels;
    if (bytes_per_value == 1) {
      StoredToFloat(static_cast<const std::uint8_t*>(values) + offset, frame_voxels, h, frame, target.slice);
    } else if (bytes_per_value == 2) {
      StoredToFloat(static_cast<const std::uint16_t*>(values) + offset, frame_voxels, h, frame, target.slice);
    } else {
      StoredToFloat(static_cast<const std::uint32_t*>(values) + offset, frame_voxels, h, frame, target.slice);
    }
  }
}

struct FrameRef {
  const DicomFileHeader* file;
  std::size_t index;
  const FrameHeader& header() const { return file->frames[index]; }
  const std::filesystem::path& path() const { return file->path; }
};

// Frames that share these belong to one volume; a series whose frames differ in any of them holds several.
struct VolumeKey {
  std::string echo, temporal, stack;
  std::uint16_t rows = 0, columns = 0;
  std::array<long, 6> orientation{};  // direction cosines in 1e-4 steps
  int repetition = 0;                 // k-th frame found at one position (repeated acquisitions)
  auto Tie() const { return std::tie(echo, temporal, stack, rows, columns, orientation, repetition); }
  bool operator<(const VolumeKey& other) const { return Tie() < other.Tie(); }
};

// Beyond these a header is corrupt or hostile rather than a scan: no MR slice lies 10 m from the
// scanner's origin, and no MR pixel is 10 cm wide.
constexpr double kMaxPositionMm = 10000;
constexpr double kMaxPixelSpacingMm = 100;

void RequireGeometry(const FrameRef& frame) {
  const FrameHeader& h = frame.header();
  const std::string where = frame.file->enhanced ? fmt::format(" (frame {})", h.frame + 1) : "";
  if (!h.position_mm)
    throw InputError(frame.path(), "no ImagePositionPatient" + where + ": the slice cannot be placed");
  if (!h.orientation) {
    throw InputError(frame.path(), "no ImageOrientationPatient" + where + ": the slice cannot be placed");
  }
  for (double v : *h.position_mm) {
    if (!std::isfinite(v)) throw InputError(frame.path(), "ImagePositionPatient is not finite" + where);
    if (std::abs(v) > kMaxPositionMm) {
      throw InputError(frame.path(),
                       fmt::format("ImagePositionPatient{} is {:g}, {:g}, {:g} mm: more than {:g} m "
                                   "from the scanner's origin",
                                   where, (*h.position_mm)[0], (*h.position_mm)[1], (*h.position_mm)[2],
                                   kMaxPositionMm / 1000));
    }
  }
  if (h.pixel_spacing_mm) {
    for (double v : *h.pixel_spacing_mm) {
      if (!(v > 0 && v <= kMaxPixelSpacingMm)) {
        throw InputError(frame.path(), fmt::format("PixelSpacing (0028,0030){} is {:g}\\{:g}: not a spacing "
                                                   "between 0 and {:g} mm",
                                                   where, (*h.pixel_spacing_mm)[0], (*h.pixel_spacing_mm)[1],
                                                   kMaxPixelSpacingMm));
      }
    }
  }
  if (!std::isfinite(h.rescale_slope) || !std::isfinite(h.rescale_intercept)) {
    throw InputError(frame.path(), fmt::format("RescaleSlope/RescaleIntercept{} is {:g}/{:g}: not finite",
                                               where, h.rescale_slope, h.rescale_intercept));
  }
  const auto& o = *h.orientation;
  const Vec3 row{o[0], o[1], o[2]}, col{o[3], o[4], o[5]};
  if (std::abs(Norm(row) - 1) > 1e-3 || std::abs(Norm(col) - 1) > 1e-3 || std::abs(Dot(row, col)) > 1e-3) {
    throw InputError(frame.path(), "ImageOrientationPatient is not two orthogonal unit vectors" + where);
  }
}

VolumeKey KeyOf(const FrameRef& frame) {
  const FrameHeader& h = frame.header();
  VolumeKey key{h.echo, h.temporal, h.stack, frame.file->rows, frame.file->columns, {}, 0};
  for (int i = 0; i < 6; ++i)
    key.orientation[i] = std::lround((*h.orientation)[i] * 1e4);
  return key;
}

Vec3 SliceNormal(const FrameHeader& h) {
  const auto& o = *h.orientation;
  return Cross({o[0], o[1], o[2]}, {o[3], o[4], o[5]});
}

double Along(const FrameRef& frame, const Vec3& normal) {
  return Dot(*frame.header().position_mm, normal);
}

// Frames at the same position (after duplicates of one SOP instance are dropped) are repeated
// acquisitions: the k-th frame found at a position goes to repetition k, in instance order. Returns the
// first two files found at one position, to name them when repetitions are not wanted.
std::string SplitRepetitions(std::map<VolumeKey, std::vector<FrameRef>>& groups) {
  std::map<VolumeKey, std::vector<FrameRef>> split;
  std::string shared_position;
  for (auto& [key, frames] : groups) {
    std::stable_sort(frames.begin(), frames.end(), [](const FrameRef& a, const FrameRef& b) {
      return a.header().instance_number < b.header().instance_number;
    });
    const Vec3 normal = SliceNormal(frames.front().header());
    std::map<long, const FrameRef*> first;  // position along the normal in 0.01 mm steps -> first frame
    std::map<long, int> seen;               // ... -> frames found there
    for (const FrameRef& frame : frames) {
      const long position = std::lround(Along(frame, normal) * 100);
      VolumeKey k = key;
      k.repetition = seen[position]++;
      if (k.repetition == 0) first[position] = &frame;
      if (k.repetition == 1 && shared_position.empty()) {
        shared_position = fmt::format("{} and {} lie at the same slice position ({:.2f} mm along the normal)",
                                      first[position]->path().filename().string(),
                                      frame.path().filename().string(), position / 100.0);
      }
      split[k].push_back(frame);
    }
  }
  groups = std::move(split);
  return shared_position;
}

std::string LabelOf(const VolumeKey& key, const std::vector<VolumeKey>& all) {
  auto varies = [&](auto member) {
    return std::any_of(all.begin(), all.end(), [&](const VolumeKey& k) { return member(k) != member(key); });
  };
  std::vector<std::string> parts;
  if (varies([](const VolumeKey& k) { return k.echo; })) parts.push_back("echo" + key.echo);
  if (varies([](const VolumeKey& k) { return k.temporal; })) parts.push_back("time" + key.temporal);
  if (varies([](const VolumeKey& k) { return k.stack; })) parts.push_back("stack" + key.stack);
  if (varies([](const VolumeKey& k) { return std::make_tuple(k.rows, k.columns, k.orientation); })) {
    const auto index =
        std::distance(all.begin(), std::find_if(all.begin(), all.end(), [&](const VolumeKey& k) {
                        return std::tie(k.rows, k.columns, k.orientation) ==
                               std::tie(key.rows, key.columns, key.orientation);
                      }));
    parts.push_back(fmt::format("geometry{}", index + 1));
  }
  if (varies([](const VolumeKey& k) { return k.repetition; }))
    parts.push_back(fmt::format("rep{}", key.repetition + 1));
  std::string label;
  for (const auto& part : parts)
    label += (label.empty() ? "" : "_") + part;
  return label;
}

// Places sorted frames on a regular grid; returns the grid spacing along the normal and any warnings.
struct SliceGrid {
  double first_mm = 0;     // position of slice 0 along the normal
  double spacing_mm = 1;   // between grid slices
  std::size_t count = 0;   // grid slices
  bool resampled = false;  // grid differs from the acquired slices
  std::vector<std::string> warnings;
};

double Median(std::vector<double> values) {
  std::nth_element(values.begin(), values.begin() + values.size() / 2, values.end());
  return values[values.size() / 2];
}

SliceGrid PlanSlices(const std::vector<FrameRef>& frames, const std::vector<double>& along,
                     const Vec3& normal, const DicomFileHeader& first, SliceGapPolicy policy) {
  SliceGrid grid;
  grid.first_mm = along.front();
  grid.count = frames.size();
  if (frames.size() == 1) {
    grid.spacing_mm =
        first.spacing_between_slices_mm.value_or(first.acquisition.slice_thickness_mm.value_or(1.0));
    if (!(grid.spacing_mm > 0) || !std::isfinite(grid.spacing_mm)) grid.spacing_mm = 1;
    return grid;
  }
  std::vector<double> steps(frames.size() - 1);
  for (std::size_t k = 0; k + 1 < frames.size(); ++k) {
    steps[k] = along[k + 1] - along[k];
    if (steps[k] < 1e-3) {
      throw InputError(frames[k + 1].path(),
                       fmt::format("duplicate slice position {:.3f} mm along the normal (also in {})",
                                   along[k], frames[k].path().string()));
    }
  }
  // As dcm2niix does, the distance between the first two slices is the slice spacing.
  const Vec3 first_step = Sub(*frames[1].header().position_mm, *frames[0].header().position_mm);
  grid.spacing_mm = Norm(first_step);
  const double tilt_deg =
      std::acos(std::min(1.0, std::abs(Dot(first_step, normal)) / grid.spacing_mm)) * 180 / M_PI;
  if (tilt_deg > 1.0) {
    throw InputError(
        frames[1].path(),
        fmt::format("slice positions step {:.2f} degrees off the slice normal (gantry tilt or sheared "
                    "stack): not supported",
                    tilt_deg));
  }
  const double median = Median(steps);
  const auto [min_step, max_step] = std::minmax_element(steps.begin(), steps.end());

  std::vector<std::string> gaps;
  for (std::size_t k = 0; k < steps.size(); ++k) {
    if (steps[k] > 1.5 * median) {
      gaps.push_back(fmt::format("{:.2f} mm between {} and {} (about {} slice(s) missing)", steps[k],
                                 frames[k].path().filename().string(),
                                 frames[k + 1].path().filename().string(),
                                 std::lround(steps[k] / median) - 1));
    }
  }
  if (!gaps.empty()) {
    std::string list;
    for (const auto& gap : gaps)
      list += (list.empty() ? "" : "; ") + gap;
    if (policy == SliceGapPolicy::kRefuse) {
      throw InputError(frames.front().path().parent_path(), "missing slices: gap of " + list);
    }
    grid.spacing_mm = median;
    grid.count = static_cast<std::size_t>(std::lround((along.back() - along.front()) / median)) + 1;
    grid.resampled = true;
    grid.warnings.push_back(
        fmt::format("missing slices: gap of {}; resampled onto a regular grid of {} slices at the "
                    "median spacing {:.3f} mm by linear interpolation along the slice normal",
                    list, grid.count, median));
  } else if (*max_step - *min_step > std::max(0.01, 0.001 * median)) {
    double worst = 0;
    for (std::size_t k = 0; k < along.size(); ++k) {
      worst = std::max(worst, std::abs(along[k] - (along.front() + k * grid.spacing_mm)));
    }
    grid.warnings.push_back(fmt::format(
        "uneven slice spacing: steps of {:.3f} to {:.3f} mm (mean {:.3f} mm) between ImagePositionPatient "
        "values; kept as acquired on a grid of {:.3f} mm (the first step, as dcm2niix does), which places "
        "slices up to {:.2f} mm from their recorded positions",
        *min_step, *max_step, (along.back() - along.front()) / steps.size(), grid.spacing_mm, worst));
  }
  if (first.spacing_between_slices_mm) {
    const double tag = *first.spacing_between_slices_mm;
    if (std::abs(tag - median) > std::max(0.01, 0.01 * median)) {
      grid.warnings.push_back(
          fmt::format("SpacingBetweenSlices (0018,0088) says {:.3f} mm but slice positions are "
                      "{:.3f} mm apart; the positions are used",
                      tag, median));
    }
  }
  if (tilt_deg > 0.1) {
    grid.warnings.push_back(fmt::format(
        "slice positions step {:.2f} degrees off the slice normal; the normal is used", tilt_deg));
  }
  return grid;
}

// Decodes the sorted frames into consecutive slices of `stack` (one slice per frame), reading each file once.
void DecodeStack(const std::vector<FrameRef>& frames, std::size_t slice_voxels, float* stack) {
  std::map<const DicomFileHeader*, std::vector<FrameTarget>> by_file;
  for (std::size_t k = 0; k < frames.size(); ++k)
    by_file[frames[k].file].push_back({frames[k].index, stack + k * slice_voxels});
  std::vector<std::pair<const DicomFileHeader*, std::vector<FrameTarget>>> jobs(by_file.begin(),
                                                                                by_file.end());
  std::sort(jobs.begin(), jobs.end(),
            [](const auto& a, const auto& b) { return a.first->path < b.first->path; });
  ParallelForEach(jobs.size(), [&](std::size_t i) { DecodeFrames(*jobs[i].first, jobs[i].second); });
}

LoadedVolume AssembleVolume(std::vector<FrameRef> frames, const LoadOptions& options) {
  const FrameHeader& h0 = frames.front().header();
  const DicomFileHeader& file0 = *frames.front().file;
  const Vec3 normal = SliceNormal(h0);
  std::stable_sort(frames.begin(), frames.end(),
                   [&](const FrameRef& a, const FrameRef& b) { return Along(a, normal) < Along(b, normal); });
  std::vector<double> along(frames.size());
  for (std::size_t k = 0; k < frames.size(); ++k)
    along[k] = Along(frames[k], normal);

  LoadedVolume loaded;
  SliceGrid grid = PlanSlices(frames, along, normal, file0, options.gaps);
  loaded.warnings = std::move(grid.warnings);

  Volume& volume = loaded.volume;
  VolumeGeometry& g = volume.geometry;
  const auto& o = *h0.orientation;
  const std::size_t columns = file0.columns, rows = file0.rows;
  g.size = {columns, rows, grid.count};
  if (g.VoxelCount() > options.max_voxels) {
    throw InputError(file0.path, fmt::format("{}x{}x{} voxels exceed the limit of {} voxels", columns, rows,
                                             grid.count, options.max_voxels));
  }
  if (h0.pixel_spacing_mm) {
    // PixelSpacing is (between rows, between columns): the column step comes second.
    g.spacing_mm = {(*h0.pixel_spacing_mm)[1], (*h0.pixel_spacing_mm)[0], grid.spacing_mm};
  } else {
    g.spacing_mm = {1, 1, grid.spacing_mm};
    loaded.warnings.push_back("no PixelSpacing (0028,0030): 1 mm assumed in-plane");
  }
  g.origin_mm = *h0.position_mm;
  g.direction = {o[0], o[3], normal[0], o[1], o[4], normal[1], o[2], o[5], normal[2]};

  volume.integer_valued = !grid.resampled && std::all_of(frames.begin(), frames.end(), [](const FrameRef& f) {
    const FrameHeader& h = f.header();
    return (h.rescale_slope == 1 || h.rescale_slope == 0) &&
           h.rescale_intercept == std::round(h.rescale_intercept);
  });
  const std::size_t slice_voxels = columns * rows;
  if (!grid.resampled) {
    volume.voxels.resize(slice_voxels * grid.count);
    DecodeStack(frames, slice_voxels, volume.voxels.data());
    return loaded;
  }
  std::vector<float> acquired(slice_voxels * frames.size());
  DecodeStack(frames, slice_voxels, acquired.data());
  volume.voxels.resize(slice_voxels * grid.count);
  std::size_t below = 0;
  for (std::size_t k = 0; k < grid.count; ++k) {
    const double position = grid.first_mm + k * grid.spacing_mm;
    while (below + 2 < frames.size() && along[below + 1] <= position)
      ++below;
    const double span = along[below + 1] - along[below];
    const float weight = static_cast<float>(std::clamp((position - along[below]) / span, 0.0, 1.0));
    const float* a = acquired.data() + below * slice_voxels;
    const float* b = a + slice_voxels;
    float* out = volume.voxels.data() + k * slice_voxels;
    for (std::size_t i = 0; i < slice_voxels; ++i)
      out[i] = a[i] + weight * (b[i] - a[i]);
  }
  return loaded;
}

}  // namespace

std::vector<DicomFileHeader> ReadDicomHeaders(const std::vector<std::filesystem::path>& paths) {
  std::vector<DicomFileHeader> headers(paths.size());
  ParallelForEach(paths.size(), [&](std::size_t i) { headers[i] = ReadDicomHeader(paths[i]); });
  return headers;
}

std::vector<LoadedVolume> LoadDicomSeries(const std::vector<std::filesystem::path>& paths,
                                          const LoadOptions& options) {
  return LoadDicomSeries(ReadDicomHeaders(paths), options);
}

std::vector<LoadedVolume> LoadDicomSeries(std::vector<DicomFileHeader> headers, const LoadOptions& options) {
  if (headers.empty()) throw std::invalid_argument("LoadDicomSeries: no files");
  std::sort(headers.begin(), headers.end(),
            [](const DicomFileHeader& a, const DicomFileHeader& b) { return a.path < b.path; });
  for (const auto& h : headers)
    RequireImage(h, options.max_voxels);
  std::vector<std::string> series_warnings;
  // A lone 2-D image (secondary capture, a scanned film) may carry no geometry; it still has pixels.
  if (headers.size() == 1 && headers[0].frames.size() == 1) {
    FrameHeader& only = headers[0].frames[0];
    if (!only.position_mm && !only.orientation) {
      only.position_mm = std::array<double, 3>{0, 0, 0};
      only.orientation = std::array<double, 6>{1, 0, 0, 0, 1, 0};
      series_warnings.push_back(
          "no ImagePositionPatient or ImageOrientationPatient: the single image is placed at the "
          "origin with identity orientation");
    }
  }

  std::map<VolumeKey, std::vector<FrameRef>> groups;
  std::set<std::pair<std::string, std::uint32_t>> instances;
  std::vector<std::string> duplicates;
  for (const DicomFileHeader& file : headers) {
    for (std::size_t f = 0; f < file.frames.size(); ++f) {
      const FrameRef frame{&file, f};
      // The same SOP instance copied twice into a folder is one slice, not a repeated acquisition.
      if (!file.sop_instance_uid.empty() &&
          !instances.emplace(file.sop_instance_uid, frame.header().frame).second) {
        duplicates.push_back(file.path.filename().string());
        continue;
      }
      RequireGeometry(frame);
      groups[KeyOf(frame)].push_back(frame);
    }
  }
  const std::string shared_position = SplitRepetitions(groups);

  std::vector<VolumeKey> keys;
  for (const auto& [key, frames] : groups)
    keys.push_back(key);
  if (keys.size() > 1 && !options.split) {
    constexpr std::size_t kListed = 6;
    std::string list;
    for (std::size_t k = 0; k < std::min(keys.size(), kListed); ++k) {
      list +=
          fmt::format("{}{} ({} slices)", k == 0 ? "" : ", ", LabelOf(keys[k], keys), groups[keys[k]].size());
    }
    if (keys.size() > kListed) list += fmt::format(" and {} more", keys.size() - kListed);
    if (!shared_position.empty()) list += "; " + shared_position;
    throw InputError(headers.front().path.parent_path(),
                     fmt::format("the series holds {} volumes: {}; use --split to write one file per volume",
                                 keys.size(), list));
  }
  std::vector<LoadedVolume> volumes;
  for (const auto& [key, frames] : groups) {
    LoadedVolume volume = AssembleVolume(frames, options);
    volume.label = keys.size() > 1 ? LabelOf(key, keys) : "";
    volume.warnings.insert(volume.warnings.begin(), series_warnings.begin(), series_warnings.end());
    if (!duplicates.empty()) {
      volume.warnings.push_back(
          fmt::format("{} file(s) repeat a SOP instance already read and were ignored: {}", duplicates.size(),
                      duplicates.front()));
    }
    volumes.push_back(std::move(volume));
  }
  return volumes;
}

}  // namespace leptoscan::io
