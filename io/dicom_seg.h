// Writes a label map as a DICOM Segmentation (SEG) object with DCMTK's dcmseg, so that the findings
// open in a PACS or viewer (3D Slicer, OHIF, Weasis) on top of the series they were computed from.
//
// What the SEG holds:
// - a BINARY segmentation, one segment per listed SegmentDefinition that has at least one voxel, in
//   the order listed (segment numbers 1..N). SegmentLabel is the definition's name; SegmentDescription
//   starts with "LeptoScan label <value>" so that the label map value can be recovered; the category
//   and type are coded concepts; the colour is RecommendedDisplayCIELabValue (from sRGB); the algorithm
//   is AUTOMATIC, "LeptoScan".
// - one frame per segment and source slice holding at least one voxel of that segment (empty frames
//   are left out). Each frame carries the ImagePositionPatient of its source slice, a DerivationImage
//   item pointing at that slice's SOP instance (and frame, for a multi-frame source) and dimension
//   index values (segment number, slice number in the label map). Orientation and pixel spacing are
//   shared.
// - Patient, Study and Frame of Reference copied from the source, or, with a pseudonym, de-identified
//   (SegmentationOptions::pseudonym); a ReferencedSeriesSequence naming the source series and the
//   instances the frames refer to; new SeriesInstanceUID and SOPInstanceUID; Manufacturer,
//   ContentCreatorName and SeriesDescription "LeptoScan".
// Label map values not listed (0, suppressed normal enhancement 10+, anything else) are not exported.
#pragma once

#include <array>
#include <filesystem>
#include <string>
#include <vector>

#include "io/volume.h"

namespace leptoscan::io {

// A coded concept of a DICOM code sequence: (value, coding scheme designator, meaning).
struct CodedConcept {
  std::string value;
  std::string scheme;  // SCT (SNOMED CT), DCM, ...
  std::string meaning;
};

// SCT 49755003: the segmented property category of every LeptoScan finding.
CodedConcept MorphologicallyAlteredStructure();
// SCT 14799000: the segmented property type of leptomeningeal and parenchymal metastases.
CodedConcept MetastaticNeoplasm();

struct SegmentDefinition {
  int label = 0;     // the voxel value in the label map (> 0)
  std::string name;  // SegmentLabel, at most 64 characters, e.g. "Sulcal leptomeningeal enhancement"
  std::array<unsigned char, 3> rgb{255, 0, 0};  // display colour (sRGB)
  CodedConcept category = MorphologicallyAlteredStructure();
  CodedConcept type = MetastaticNeoplasm();
  std::string description;  // optional; appended to "LeptoScan label <value>" in SegmentDescription
};

// The pattern labels of the detection step: 1 sulcal/pial, 2 ependymal, 3 cranial nerve, 4 nodular
// (all leptomeningeal), 5 parenchymal nodule (not leptomeningeal). Suppressed normal enhancement
// (10 and up) is not among them.
std::vector<SegmentDefinition> LeptomeningealSegments();

struct SegmentationOptions {
  std::string series_description = "LeptoScan";
  int series_number = 900;
  // Empty: derived from the source series UID and the exported content (UidFromKey), so that the
  // same label map and definitions give the same UIDs and byte-identical files.
  std::string series_uid;
  std::string sop_instance_uid;
  // Non-empty: the SEG is de-identified as DICOM PS3.15's Basic Application Level Confidentiality Profile
  // with the Retain UIDs and Retain Longitudinal Temporal Information with Full Dates options. The
  // pseudonym is the PatientID and PatientName, PatientIdentityRemoved is YES; of the source's patient
  // and study only StudyInstanceUID, StudyDate, StudyTime and the Frame of Reference are kept (so the
  // SEG still opens on the study in a viewer); no birth date, sex, age, accession number, physician or
  // study description. Empty: the source's Patient and Study modules as they are (what a PACS needs to
  // file the SEG with the study).
  std::string pseudonym;
};

// What was written.
struct SegmentationSummary {
  std::vector<int> labels;          // label value of segment 1, 2, ...
  std::vector<std::size_t> frames;  // frames per segment
  std::vector<std::size_t> voxels;  // voxels per segment
  std::string series_uid;
  std::string sop_instance_uid;
};

// Writes `labels` (on the exact grid that io::LoadDicomSeries gives for `source_files`) as a DICOM
// SEG file at `out`, written under a temporary name and renamed (an existing file is replaced).
// `source_files` are the files of the series the grid came from (e.g. SeriesRecord::files), in any
// order: each label-map slice is matched to its source frame by ImagePositionPatient projected on the
// slice normal, never by file order or InstanceNumber.
//
// Throws InputError naming the file when a source file is not readable DICOM or not part of one
// series and one volume (another SeriesInstanceUID, another orientation or size, two frames at one
// position); naming the source file that does not fit when the label map's grid does not match the
// source (size, pixel spacing, direction, origin, slice spacing, slice count, or a slice farther than
// half a slice step or half a pixel from its source slice); naming `out` when no listed
// label has a voxel (a SEG must hold at least one segment, so nothing is written) or the file
// cannot be written. Throws std::invalid_argument for no source files, a label <= 0 or listed twice,
// an empty or over-long segment name, or a coded concept with an empty part.
SegmentationSummary WriteDicomSegmentation(const Volume& labels,
                                           const std::vector<std::filesystem::path>& source_files,
                                           const std::vector<SegmentDefinition>& segments,
                                           const std::filesystem::path& out,
                                           const SegmentationOptions& options = {});

}  // namespace leptoscan::io
