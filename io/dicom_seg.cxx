#include "io/dicom_seg.h"

#include <dcmtk/dcmdata/dctk.h>
#include <dcmtk/dcmfg/fgderimg.h>
#include <dcmtk/dcmfg/fgfracon.h>
#include <dcmtk/dcmfg/fgpixmsr.h>
#include <dcmtk/dcmfg/fgplanor.h>
#include <dcmtk/dcmfg/fgplanpo.h>
#include <dcmtk/dcmiod/cielabutil.h>
#include <dcmtk/dcmseg/segdoc.h>
#include <dcmtk/dcmseg/segment.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <set>
#include <stdexcept>

#include "io/atomic_file.h"
#include "io/dcmtk_dataset.h"
#include "io/dicom_volume.h"
#include "io/dicom_writer.h"
#include "io/errors.h"

namespace leptoscan::io {
namespace {

namespace fs = std::filesystem;

// Positions closer than this (mm) are the same; DS values carry about 1e-4 mm at worst.
constexpr double kPositionToleranceMm = 0.01;
constexpr double kDirectionTolerance = 1e-4;

// One 2-D frame of the source series and where it lies on the label map's slice axis.
struct SourceFrame {
  const DicomFileHeader* file = nullptr;
  const FrameHeader* frame = nullptr;
  double slice = 0;      // continuous label-map slice index of its ImagePositionPatient
  double beside_mm = 0;  // distance of that position from the label map's slice axis
};

// The voxels of one segment on one source slice.
struct SegmentFrame {
  std::size_t slice = 0;
  std::vector<Uint8> pixels;  // rows x columns, 1 inside
};

struct Segment {
  const SegmentDefinition* definition = nullptr;
  std::vector<SegmentFrame> frames;
  std::size_t voxels = 0;
};

std::string Triple(const std::array<double, 3>& p) {
  return fmt::format("({:.3f}, {:.3f}, {:.3f})", p[0], p[1], p[2]);
}

void RequireDefinitions(const std::vector<SegmentDefinition>& segments) {
  std::set<int> seen;
  for (const auto& s : segments) {
    if (s.label <= 0)
      throw std::invalid_argument(fmt::format("segment '{}': label {} is not > 0", s.name, s.label));
    if (!seen.insert(s.label).second)
      throw std::invalid_argument(fmt::format("label {} is listed twice", s.label));
    if (s.name.empty() || s.name.size() > 64) {
      throw std::invalid_argument(
          fmt::format("label {}: the segment name must have 1 to 64 characters", s.label));
    }
    for (const CodedConcept* c : {&s.category, &s.type}) {
      if (c->value.empty() || c->scheme.empty() || c->meaning.empty()) {
        throw std::invalid_argument(
            fmt::format("label {}: a coded concept needs a value, a coding scheme and a meaning", s.label));
      }
    }
  }
}

// Checks one source file against the label map's grid (everything but the slice positions).
void RequireSameSlices(const DicomFileHeader& h, const DicomFileHeader& first, const VolumeGeometry& g) {
  if (h.series_uid != first.series_uid) {
    throw InputError(h.path, fmt::format("belongs to series {}, not to {} of {}", h.series_uid,
                                         first.series_uid, first.path.filename().string()));
  }
  if (h.sop_instance_uid.empty() || h.sop_class_uid.empty()) {
    throw InputError(h.path, "no SOPInstanceUID or SOPClassUID: the SEG could not refer to it");
  }
  if (h.columns != g.size[0] || h.rows != g.size[1]) {
    throw InputError(h.path, fmt::format("{} columns x {} rows, but the label map has {}x{} voxels per slice",
                                         h.columns, h.rows, g.size[0], g.size[1]));
  }
  for (const FrameHeader& f : h.frames) {
    const std::string where = h.enhanced ? fmt::format(" (frame {})", f.frame + 1) : "";
    if (!f.position_mm || !f.orientation || !f.pixel_spacing_mm) {
      throw InputError(h.path, "no ImagePositionPatient, ImageOrientationPatient or PixelSpacing" + where +
                                   ": the slice cannot be placed");
    }
    const auto& o = *f.orientation;
    const auto& d = g.direction;
    const std::array<double, 6> axes{d[0], d[3], d[6], d[1], d[4], d[7]};  // label map row, column
    for (int n = 0; n < 6; ++n) {
      if (std::abs(o[n] - axes[n]) > kDirectionTolerance) {
        throw InputError(
            h.path, fmt::format("ImageOrientationPatient{} {:.5f}\\{:.5f}\\{:.5f}\\{:.5f}\\{:.5f}\\{:.5f} "
                                "differs from the label map's direction {:.5f}\\{:.5f}\\{:.5f}\\{:.5f}\\"
                                "{:.5f}\\{:.5f}",
                                where, o[0], o[1], o[2], o[3], o[4], o[5], axes[0], axes[1], axes[2], axes[3],
                                axes[4], axes[5]));
      }
    }
    // PixelSpacing is (between rows, between columns).
    const auto& s = *f.pixel_spacing_mm;
    if (std::abs(s[1] - g.spacing_mm[0]) > 1e-3 || std::abs(s[0] - g.spacing_mm[1]) > 1e-3) {
      throw InputError(h.path, fmt::format("PixelSpacing{} {}\\{} mm differs from the label map's {}x{} mm",
                                           where, s[0], s[1], g.spacing_mm[1], g.spacing_mm[0]));
    }
  }
}

// The source frames in slice order, one per label-map slice, or an InputError naming the file that
// does not fit the grid. The rules are those LoadDicomSeries uses to build a grid from the same files:
// the origin is the first slice's position and the slice spacing the step to the second; later slices
// may be unevenly spaced (kept as acquired) but lie nearer their own grid slice than any other.
std::vector<SourceFrame> MatchSlices(const std::vector<DicomFileHeader>& headers, const VolumeGeometry& g) {
  std::vector<SourceFrame> frames;
  for (const DicomFileHeader& h : headers) {
    RequireSameSlices(h, headers.front(), g);
    for (const FrameHeader& f : h.frames) {
      const auto index = g.PointToIndex(*f.position_mm);
      const double beside_mm = std::hypot(index[0] * g.spacing_mm[0], index[1] * g.spacing_mm[1]);
      frames.push_back({&h, &f, index[2], beside_mm});
    }
  }
  std::stable_sort(frames.begin(), frames.end(),
                   [](const SourceFrame& a, const SourceFrame& b) { return a.slice < b.slice; });
  for (std::size_t k = 1; k < frames.size(); ++k) {
    if ((frames[k].slice - frames[k - 1].slice) * g.spacing_mm[2] < kPositionToleranceMm) {
      throw InputError(frames[k].file->path,
                       fmt::format("a second frame at position {} (also in {}): pass the files of one volume",
                                   Triple(*frames[k].frame->position_mm), frames[k - 1].file->path.string()));
    }
  }
  const fs::path& first = frames.front().file->path;
  if (frames.size() != g.size[2]) {
    throw InputError(
        first, fmt::format("the source series has {} slices but the label map {}", frames.size(), g.size[2]));
  }
  for (std::size_t k = 0; k < frames.size(); ++k) {
    const double off_mm = (frames[k].slice - static_cast<double>(k)) * g.spacing_mm[2];
    const fs::path& file = frames[k].file->path;
    const std::string position = Triple(*frames[k].frame->position_mm);
    if (k == 0 && (std::abs(off_mm) > kPositionToleranceMm || frames[k].beside_mm > kPositionToleranceMm)) {
      throw InputError(file,
                       fmt::format("the first slice lies at {}, {:.3f} mm along the normal and {:.3f} mm "
                                   "beside it from the label map's origin {}",
                                   position, off_mm, frames[k].beside_mm, Triple(g.origin_mm)));
    }
    // Real stacks drift in plane by a fraction of a pixel (the loader accepts up to 1 degree of tilt).
    if (frames[k].beside_mm > 0.5 * std::min(g.spacing_mm[0], g.spacing_mm[1])) {
      throw InputError(file,
                       fmt::format("the slice at {} lies {:.3f} mm beside the label map's slice {}: more "
                                   "than half a pixel",
                                   position, frames[k].beside_mm, k));
    }
    if (k == 1 && std::abs(off_mm) > kPositionToleranceMm) {
      throw InputError(file, fmt::format("the first two slices are {:.4f} mm apart but the label map's slice "
                                         "spacing is {:.4f} mm",
                                         frames[1].slice * g.spacing_mm[2], g.spacing_mm[2]));
    }
    if (std::abs(frames[k].slice - static_cast<double>(k)) >= 0.5) {
      throw InputError(file,
                       fmt::format("slice {} of the label map lies {:.3f} mm from this slice's position {}: "
                                   "the label map is not on the source's slices (resampled?)",
                                   k, off_mm, position));
    }
  }
  return frames;
}

std::vector<Segment> CollectSegments(const Volume& labels,
                                     const std::vector<SegmentDefinition>& definitions) {
  const VolumeGeometry& g = labels.geometry;
  const std::size_t slice_voxels = g.size[0] * g.size[1];
  std::vector<Segment> segments;
  for (const SegmentDefinition& definition : definitions) {
    Segment segment{&definition, {}, 0};
    const float value = static_cast<float>(definition.label);
    for (std::size_t k = 0; k < g.size[2]; ++k) {
      const float* slice = labels.voxels.data() + k * slice_voxels;
      const std::size_t count = static_cast<std::size_t>(std::count(slice, slice + slice_voxels, value));
      if (count == 0) continue;
      SegmentFrame frame{k, std::vector<Uint8>(slice_voxels)};
      std::transform(slice, slice + slice_voxels, frame.pixels.begin(),
                     [&](float v) { return static_cast<Uint8>(v == value); });
      segment.frames.push_back(std::move(frame));
      segment.voxels += count;
    }
    if (!segment.frames.empty()) segments.push_back(std::move(segment));
  }
  return segments;
}

// Everything that makes the exported object what it is (`bits`: its packed Pixel Data), for
// deterministic UIDs.
std::string ContentKey(const std::string& source_series, const std::vector<Segment>& segments,
                       const std::vector<Uint8>& bits, const SegmentationOptions& options) {
  std::string key = "leptoscan/seg/" + source_series + "/" + options.series_description + "/" +
                    std::to_string(options.series_number);
  for (const Segment& s : segments) {
    const SegmentDefinition& d = *s.definition;
    key += fmt::format("\n{}|{}|{},{},{}|{}|{}|{}|", d.label, d.name, d.rgb[0], d.rgb[1], d.rgb[2],
                       d.category.value, d.type.value, d.description);
    for (const SegmentFrame& f : s.frames)
      key += std::to_string(f.slice) + ",";
  }
  key += "\n";
  key.append(reinterpret_cast<const char*>(bits.data()), bits.size());
  return key;
}

// The Pixel Data of a BINARY SEG: frames one after the other without padding, each pixel one bit, least
// significant bit first (PS3.5 8.1.1). Packed here because DCMTK before 3.6.9 shifts the frames after the
// first when rows x columns is not a multiple of 8 (DCMTK issue #1132, fixed in 3.6.9 by 6245f9cc).
std::vector<Uint8> PackFrames(const std::vector<Segment>& segments, std::size_t slice_voxels) {
  std::size_t frames = 0;
  for (const Segment& s : segments)
    frames += s.frames.size();
  std::vector<Uint8> bits((frames * slice_voxels + 7) / 8, 0);
  std::size_t n = 0;
  for (const Segment& s : segments) {
    for (const SegmentFrame& f : s.frames) {
      for (Uint8 inside : f.pixels) {
        if (inside) bits[n / 8] = static_cast<Uint8>(bits[n / 8] | (1u << (n % 8)));
        ++n;
      }
    }
  }
  return bits;
}

// Building the object: any DCMTK refusal becomes an InputError naming the output file.
class Builder {
 public:
  explicit Builder(const fs::path& out) : out_(out) {}
  void Check(const OFCondition& status, const std::string& what) const {
    if (status.bad())
      throw InputError(out_, fmt::format("cannot build the segmentation: {} ({})", what, status.text()));
  }
  template <typename T>
  T* Created(T* object, const std::string& what) const {
    if (object == nullptr) throw InputError(out_, "cannot build the segmentation: " + what);
    return object;
  }

 private:
  const fs::path& out_;
};

CodeSequenceMacro Code(const CodedConcept& c) {
  return CodeSequenceMacro(c.value.c_str(), c.scheme.c_str(), c.meaning.c_str());
}

void AddSegment(DcmSegmentation& document, const Segment& segment, const Builder& b) {
  const SegmentDefinition& d = *segment.definition;
  DcmSegment* created = nullptr;
  b.Check(DcmSegment::create(created, d.name.c_str(), Code(d.category), Code(d.type),
                             DcmSegTypes::SAT_AUTOMATIC, "LeptoScan"),
          "segment " + d.name);
  std::unique_ptr<DcmSegment> owned(created);
  const std::string description =
      fmt::format("LeptoScan label {}{}{}", d.label, d.description.empty() ? "" : ": ", d.description);
  b.Check(owned->setSegmentDescription(description.c_str()), "SegmentDescription of " + d.name);
  double L = 0, a = 0, bb = 0;
  IODCIELabUtil::rgb2DicomLab(L, a, bb, d.rgb[0] / 255.0, d.rgb[1] / 255.0, d.rgb[2] / 255.0);
  b.Check(owned->setRecommendedDisplayCIELabValue(static_cast<Uint16>(std::lround(L)),
                                                  static_cast<Uint16>(std::lround(a)),
                                                  static_cast<Uint16>(std::lround(bb))),
          "colour of " + d.name);
  Uint16 number = 0;
  b.Check(document.addSegment(owned.get(), number), "segment " + d.name);
  owned.release();  // the document owns it now
}

// One derivation item per frame: "Segmentation" derived from the source slice (and frame number, for a
// multi-frame source) "for image processing operation".
void SetDerivation(FGDerivationImage& derivation, const SourceFrame& source, const Builder& b) {
  derivation.clearData();
  DerivationImageItem* item = nullptr;
  b.Check(derivation.addDerivationImageItem(CodeSequenceMacro("113076", "DCM", "Segmentation"), "", item),
          "DerivationImageSequence");
  auto* source_item = new SourceImageItem();
  item->getSourceImageItems().push_back(source_item);
  b.Check(source_item->getPurposeOfReferenceCode().set("121322", "DCM",
                                                       "Source image for image processing operation"),
          "PurposeOfReferenceCodeSequence");
  ImageSOPInstanceReferenceMacro& reference = source_item->getImageSOPInstanceReference();
  b.Check(reference.setReferencedSOPClassUID(source.file->sop_class_uid.c_str()), "ReferencedSOPClassUID");
  b.Check(reference.setReferencedSOPInstanceUID(source.file->sop_instance_uid.c_str()),
          "ReferencedSOPInstanceUID");
  if (source.file->enhanced) {
    b.Check(reference.addReferencedFrameNumber(static_cast<Uint16>(source.frame->frame + 1)),
            "ReferencedFrameNumber");
  }
}

std::unique_ptr<DcmSegmentation> BuildDocument(const Volume& labels, const std::vector<SourceFrame>& sources,
                                               const std::vector<Segment>& segments, DcmDataset& first_source,
                                               const SegmentationOptions& options,
                                               const std::string& series_uid, const std::string& sop_uid,
                                               const Builder& b) {
  const VolumeGeometry& g = labels.geometry;
  IODGeneralEquipmentModule::EquipmentInfo equipment("LeptoScan", "LeptoScan", "0", LEPTOSCAN_VERSION);
  ContentIdentificationMacro content("1", "LEPTOSCAN", "LeptoScan leptomeningeal findings", "LeptoScan");
  DcmSegmentation* created = nullptr;
  b.Check(DcmSegmentation::createBinarySegmentation(created, static_cast<Uint16>(g.size[1]),
                                                    static_cast<Uint16>(g.size[0]), equipment, content),
          "binary segmentation");
  std::unique_ptr<DcmSegmentation> document(created);
  // Patient, Study and Frame of Reference as in the source, so that viewers file the SEG with it; with a
  // pseudonym, only what links the SEG to the study and its frame of reference.
  if (options.pseudonym.empty()) {
    b.Check(document->importFromSourceImage(first_source), "patient and study of the source");
  } else {
    DcmDataset linked;
    for (const DcmTagKey& tag : {DCM_StudyInstanceUID, DCM_StudyDate, DCM_StudyTime, DCM_FrameOfReferenceUID,
                                 DCM_PositionReferenceIndicator}) {
      OFString value;
      if (first_source.findAndGetOFStringArray(tag, value).good())
        b.Check(linked.putAndInsertOFStringArray(tag, value), "the study of the source");
    }
    b.Check(linked.putAndInsertString(DCM_PatientID, options.pseudonym.c_str()), "PatientID");
    b.Check(linked.putAndInsertString(DCM_PatientName, options.pseudonym.c_str()), "PatientName");
    b.Check(document->importFromSourceImage(linked, /*takeOverCharset=*/OFFalse), "study of the source");
  }
  b.Check(document->getSeries().setSeriesInstanceUID(series_uid.c_str()), "SeriesInstanceUID");
  b.Check(document->getSeries().setSeriesNumber(std::to_string(options.series_number).c_str()),
          "SeriesNumber");
  b.Check(document->getSeries().setSeriesDescription(options.series_description.c_str()),
          "SeriesDescription");
  b.Check(document->getSOPCommon().setSOPInstanceUID(sop_uid.c_str()), "SOPInstanceUID");
  // Content date and time are those of the study, never the clock (same input, same file).
  const DicomFileHeader& source0 = *sources.front().file;
  if (!source0.study_date.empty()) {
    b.Check(document->getGeneralImage().setContentDate(source0.study_date.c_str()), "ContentDate");
    b.Check(document->getGeneralImage().setContentTime(source0.study_time.c_str()), "ContentTime");
  }

  for (const Segment& segment : segments)
    AddSegment(*document, segment, b);

  // Frames are indexed by segment number, then by position, as dcmqi and highdicom write them.
  const std::string dimension_uid = UidFromKey(sop_uid + "/dimensions");
  IODMultiframeDimensionModule& dimensions = document->getDimensions();
  b.Check(dimensions.addDimensionIndex(DCM_ReferencedSegmentNumber, dimension_uid.c_str(),
                                       DCM_SegmentIdentificationSequence, "ReferencedSegmentNumber"),
          "dimension index");
  b.Check(dimensions.addDimensionIndex(DCM_ImagePositionPatient, dimension_uid.c_str(),
                                       DCM_PlanePositionSequence, "ImagePositionPatient"),
          "dimension index");

  // Shared: the source's orientation and pixel spacing (checked equal to the label map's).
  const auto& o = *sources.front().frame->orientation;
  std::unique_ptr<FGPlaneOrientationPatient> orientation(b.Created(
      FGPlaneOrientationPatient::createMinimal(DecimalString(o[0]).c_str(), DecimalString(o[1]).c_str(),
                                               DecimalString(o[2]).c_str(), DecimalString(o[3]).c_str(),
                                               DecimalString(o[4]).c_str(), DecimalString(o[5]).c_str()),
      "PlaneOrientationSequence"));
  b.Check(document->addForAllFrames(*orientation), "PlaneOrientationSequence");
  FGPixelMeasures measures;
  const auto& spacing = *sources.front().frame->pixel_spacing_mm;
  b.Check(measures.setPixelSpacing((DecimalString(spacing[0]) + "\\" + DecimalString(spacing[1])).c_str()),
          "PixelSpacing");
  const double thickness = source0.acquisition.slice_thickness_mm.value_or(g.spacing_mm[2]);
  b.Check(measures.setSliceThickness(DecimalString(thickness).c_str()), "SliceThickness");
  b.Check(document->addForAllFrames(measures), "PixelMeasuresSequence");

  // Per frame: the source slice's position, the dimension index values and the source reference.
  std::unique_ptr<FGPlanePosPatient> position(
      b.Created(FGPlanePosPatient::createMinimal("0", "0", "0"), "PlanePositionSequence"));
  FGFrameContent frame_content;
  FGDerivationImage derivation;
  const OFVector<FGBase*> per_frame{position.get(), &frame_content, &derivation};
  for (std::size_t s = 0; s < segments.size(); ++s) {
    const Uint16 segment_number = static_cast<Uint16>(s + 1);
    for (const SegmentFrame& frame : segments[s].frames) {
      const SourceFrame& source = sources[frame.slice];
      const auto& p = *source.frame->position_mm;
      b.Check(position->setImagePositionPatient(DecimalString(p[0]).c_str(), DecimalString(p[1]).c_str(),
                                                DecimalString(p[2]).c_str()),
              "ImagePositionPatient");
      b.Check(frame_content.setDimensionIndexValues(segment_number, 0), "DimensionIndexValues");
      b.Check(frame_content.setDimensionIndexValues(static_cast<Uint32>(frame.slice + 1), 1),
              "DimensionIndexValues");
      SetDerivation(derivation, source, b);
      b.Check(document->addFrame(const_cast<Uint8*>(frame.pixels.data()), segment_number, per_frame),
              fmt::format("frame of segment {} on slice {}", segment_number, frame.slice));
    }
  }

  // ReferencedSeriesSequence: the source series and each instance a frame refers to, in slice order.
  auto* series = new IODSeriesAndInstanceReferenceMacro::ReferencedSeriesItem();
  document->getCommonInstanceReference().getReferencedSeriesItems().push_back(series);
  b.Check(series->setSeriesInstanceUID(source0.series_uid.c_str()), "ReferencedSeriesSequence");
  std::set<std::size_t> referenced;
  for (const Segment& segment : segments) {
    for (const SegmentFrame& frame : segment.frames)
      referenced.insert(frame.slice);
  }
  std::set<std::string> instances;
  for (std::size_t k : referenced) {
    const DicomFileHeader& file = *sources[k].file;
    if (instances.insert(file.sop_instance_uid).second) {
      b.Check(series->addReference(file.sop_class_uid.c_str(), file.sop_instance_uid.c_str()),
              "ReferencedInstanceSequence");
    }
  }
  return document;
}

}  // namespace

CodedConcept MorphologicallyAlteredStructure() {
  return {"49755003", "SCT", "Morphologically Altered Structure"};
}

CodedConcept MetastaticNeoplasm() {
  return {"14799000", "SCT", "Neoplasm, Metastatic"};
}

std::vector<SegmentDefinition> LeptomeningealSegments() {
  const auto definition = [](int label, const char* name, std::array<unsigned char, 3> rgb,
                             const char* description) {
    SegmentDefinition d;
    d.label = label;
    d.name = name;
    d.rgb = rgb;
    d.description = description;
    return d;
  };
  return {
      definition(1, "Sulcal leptomeningeal enhancement", {255, 64, 64}, "sulcal or pial linear enhancement"),
      definition(2, "Ependymal leptomeningeal enhancement", {255, 160, 0}, "ependymal linear enhancement"),
      definition(3, "Cranial nerve leptomeningeal enhancement", {255, 255, 0}, "cranial nerve enhancement"),
      definition(4, "Leptomeningeal nodule", {255, 0, 255}, "nodular leptomeningeal enhancement"),
      definition(5, "Parenchymal nodule", {0, 160, 255}, "parenchymal nodule, not leptomeningeal"),
  };
}

SegmentationSummary WriteDicomSegmentation(const Volume& labels, const std::vector<fs::path>& source_files,
                                           const std::vector<SegmentDefinition>& definitions,
                                           const fs::path& out, const SegmentationOptions& options) {
  if (source_files.empty()) throw std::invalid_argument("WriteDicomSegmentation: no source files");
  RequireDefinitions(definitions);
  const VolumeGeometry& g = labels.geometry;
  if (labels.voxels.size() != g.VoxelCount() || g.VoxelCount() == 0) {
    throw std::invalid_argument(fmt::format("WriteDicomSegmentation: {} voxels for a {}x{}x{} grid",
                                            labels.voxels.size(), g.size[0], g.size[1], g.size[2]));
  }
  InitializeDcmtk();
  std::vector<DicomFileHeader> headers = ReadDicomHeaders(source_files);
  std::sort(headers.begin(), headers.end(),
            [](const DicomFileHeader& a, const DicomFileHeader& b) { return a.path < b.path; });
  const std::vector<SourceFrame> sources = MatchSlices(headers, g);

  const std::vector<Segment> segments = CollectSegments(labels, definitions);
  if (segments.empty()) {
    throw InputError(out,
                     "no voxel carries a listed label: a DICOM SEG must hold at least one segment, so "
                     "none was written");
  }
  const std::vector<Uint8> bits = PackFrames(segments, g.size[0] * g.size[1]);
  const std::string key = ContentKey(headers.front().series_uid, segments, bits, options);
  const std::string series_uid =
      options.series_uid.empty() ? UidFromKey(key + "/series") : options.series_uid;
  const std::string sop_uid =
      options.sop_instance_uid.empty() ? UidFromKey(key + "/instance") : options.sop_instance_uid;

  DcmFileFormat first_source;
  LoadHeaderDataset(first_source, sources.front().file->path);
  const Builder builder(out);
  std::unique_ptr<DcmSegmentation> document = BuildDocument(
      labels, sources, segments, *first_source.getDataset(), options, series_uid, sop_uid, builder);
  DcmFileFormat file;
  builder.Check(document->writeDataset(*file.getDataset()), "the data set");
  builder.Check(file.getDataset()->putAndInsertUint8Array(DCM_PixelData, bits.data(), bits.size()),
                "PixelData");
  if (!options.pseudonym.empty()) {
    builder.Check(file.getDataset()->putAndInsertString(DCM_PatientIdentityRemoved, "YES"),
                  "PatientIdentityRemoved");
    builder.Check(file.getDataset()->putAndInsertString(
                      DCM_DeidentificationMethod,
                      "LeptoScan pseudonym (HMAC-SHA-256 of PatientID)\\PS3.15 basic profile\\retain UIDs\\"
                      "retain full dates"),
                  "DeidentificationMethod");
  }
  WriteFileAtomically(out, EncodeDicomFile(file, out, "the segmentation"));

  SegmentationSummary summary;
  for (const Segment& s : segments) {
    summary.labels.push_back(s.definition->label);
    summary.frames.push_back(s.frames.size());
    summary.voxels.push_back(s.voxels);
  }
  summary.series_uid = series_uid;
  summary.sop_instance_uid = sop_uid;
  return summary;
}

}  // namespace leptoscan::io
