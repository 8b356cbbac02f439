// The DICOM MR series writer, read back by leptoscan's own loader and index and by dcm2niix.
#include "io/dicom_writer.h"

#include <dcmtk/dcmdata/dctk.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <tbb/task_arena.h>
#include <unistd.h>

#include <cmath>
#include <csignal>
#include <fstream>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "io/dicom_volume.h"
#include "io/errors.h"
#include "io/nifti.h"
#include "io/series_index.h"
#include "tests/io/test_data.h"

namespace leptoscan::io {
namespace {

namespace fs = std::filesystem;
using testing::FilesIn;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::SameGrid;
using testing::SameVoxelsInWorld;

struct Scratch : testing::Scratch {
  explicit Scratch(const std::string& name) : testing::Scratch("dicom_writer", name) {}
};

using Matrix = std::array<double, 9>;  // row-major

Matrix Multiply(const Matrix& a, const Matrix& b) {
  Matrix m{};
  for (int r = 0; r < 3; ++r) {
    for (int c = 0; c < 3; ++c) {
      for (int k = 0; k < 3; ++k)
        m[r * 3 + c] += a[r * 3 + k] * b[k * 3 + c];
    }
  }
  return m;
}

Matrix RotationX(double degrees) {
  const double c = std::cos(degrees * M_PI / 180), s = std::sin(degrees * M_PI / 180);
  return {1, 0, 0, 0, c, -s, 0, s, c};
}

Matrix RotationY(double degrees) {
  const double c = std::cos(degrees * M_PI / 180), s = std::sin(degrees * M_PI / 180);
  return {c, 0, s, 0, 1, 0, -s, 0, c};
}

// A volume whose values differ along every axis (so a flip or a swap shows), with negatives.
Volume MakeVolume(std::array<std::size_t, 3> size, std::array<double, 3> spacing, const Matrix& direction,
                  std::array<double, 3> origin) {
  Volume v;
  v.geometry.size = size;
  v.geometry.spacing_mm = spacing;
  v.geometry.direction = direction;
  v.geometry.origin_mm = origin;
  v.voxels.resize(v.geometry.VoxelCount());
  std::size_t n = 0;
  for (std::size_t k = 0; k < size[2]; ++k) {
    for (std::size_t j = 0; j < size[1]; ++j) {
      for (std::size_t i = 0; i < size[0]; ++i)
        v.voxels[n++] =
            static_cast<float>(static_cast<long>((i * 37 + j * 11 + k * 101 + i * j) % 997) - 400);
    }
  }
  v.integer_valued = true;
  return v;
}

// Oblique (15 degrees about x, then about y) and anisotropic in all three axes.
Volume ObliqueVolume() {
  return MakeVolume({24, 18, 10}, {0.9, 1.2, 3.0}, Multiply(RotationY(15), RotationX(15)),
                    {-31.25, 17.5, 42.125});
}

DicomSeriesTags Tags(const std::string& series_key) {
  DicomSeriesTags t;
  t.patient_id = "LS-PHANTOM-001";
  t.patient_name = "PHANTOM^WRITER";
  t.patient_sex = "O";
  t.patient_birth_date = "19700101";
  t.study_uid = UidFromKey("writer-test/study");
  t.study_date = "20240315";
  t.study_time = "101500";
  t.study_description = "LM phantom";
  t.accession_number = "A12345";
  t.frame_of_reference_uid = UidFromKey("writer-test/frame");
  t.series_uid = UidFromKey("writer-test/" + series_key);
  t.series_number = 7;
  t.series_time = "103000";
  t.series_description = "t1_mprage_sag_p2_iso";
  t.protocol_name = "t1_mprage_sag_p2_iso";
  t.body_part = "HEAD";
  t.manufacturer = "SIEMENS";
  t.model = "Prisma";
  t.field_strength_t = 3.0;
  t.scanning_sequence = "GR\\IR";
  t.sequence_variant = "SK\\SP\\MP";
  t.sequence_name = "*tfl3d1_16ns";
  t.repetition_time_ms = 2300;
  t.echo_time_ms = 2.98;
  t.inversion_time_ms = 900;
  t.flip_angle_deg = 9;
  return t;
}

std::string ReadBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

std::vector<std::string> PartialFoldersIn(const fs::path& folder) {
  std::vector<std::string> partial;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.path().filename().string().rfind(".partial-", 0) == 0)
      partial.push_back(entry.path().filename().string());
  }
  return partial;
}

TEST(DicomWriter, ObliqueAnisotropicVolumeReadsBackThroughTheLoader) {
  const Scratch scratch("loader");
  const Volume volume = ObliqueVolume();
  WriteDicomSeries(volume, Tags("loader"), scratch / "series");
  const auto files = FilesIn(scratch / "series");
  ASSERT_EQ(files.size(), volume.geometry.size[2]);
  EXPECT_EQ(files.front().filename(), "IM0001.dcm");
  EXPECT_EQ(files.back().filename(), "IM0010.dcm");

  const auto loaded = LoadDicomSeries(files);
  ASSERT_EQ(loaded.size(), 1u);
  EXPECT_TRUE(loaded[0].warnings.empty()) << loaded[0].warnings.front();
  const VolumeGeometry& got = loaded[0].volume.geometry;
  const VolumeGeometry& want = volume.geometry;
  EXPECT_EQ(got.size, want.size);
  for (int d = 0; d < 3; ++d) {
    EXPECT_NEAR(got.spacing_mm[d], want.spacing_mm[d], 1e-4) << "axis " << d;
    EXPECT_NEAR(got.origin_mm[d], want.origin_mm[d], 1e-4) << "axis " << d;
  }
  for (int n = 0; n < 9; ++n)
    EXPECT_NEAR(got.direction[n], want.direction[n], 1e-6) << "direction element " << n;
  // The far corner too, where direction and spacing errors add up.
  const auto far_got = got.IndexToPoint(23, 17, 9), far_want = want.IndexToPoint(23, 17, 9);
  for (int d = 0; d < 3; ++d)
    EXPECT_NEAR(far_got[d], far_want[d], 1e-4);
  EXPECT_TRUE(loaded[0].volume.integer_valued);
  EXPECT_TRUE(loaded[0].volume.voxels == volume.voxels);
}

TEST(DicomWriter, Dcm2niixReadsTheSeriesOntoTheSameGridAndVoxels) {
  const Scratch scratch("dcm2niix");
  const Volume volume = ObliqueVolume();
  const DicomSeriesTags tags = Tags("dcm2niix");
  WriteDicomSeries(volume, tags, scratch / "series");
  fs::create_directories(scratch / "nifti");
  const std::string command = "dcm2niix -z n -f out -o '" + (scratch / "nifti").string() + "' '" +
                              (scratch / "series").string() + "' > '" + (scratch / "dcm2niix.log").string() +
                              "' 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0) << ReadBytes(scratch / "dcm2niix.log");
  ASSERT_TRUE(fs::exists(scratch / "nifti/out.nii")) << ReadBytes(scratch / "dcm2niix.log");
  EXPECT_THAT(ReadBytes(scratch / "dcm2niix.log"), Not(HasSubstr("Warning")));

  const Volume converted = ReadNifti(scratch / "nifti/out.nii");
  EXPECT_TRUE(SameGrid(converted.geometry, volume.geometry, 1e-3));
  EXPECT_TRUE(SameVoxelsInWorld(converted, volume));

  // dcm2niix's BIDS sidecar: the acquisition attributes as a third-party reader sees them (seconds).
  std::ifstream sidecar(scratch / "nifti/out.json");
  ASSERT_TRUE(sidecar) << "no out.json";
  const auto json = nlohmann::json::parse(sidecar);
  EXPECT_EQ(json.value("Modality", ""), "MR");
  EXPECT_EQ(json.value("SeriesDescription", ""), tags.series_description);
  EXPECT_EQ(json.value("SeriesNumber", 0), tags.series_number);
  EXPECT_DOUBLE_EQ(json.value("MagneticFieldStrength", 0.0), tags.field_strength_t);
  EXPECT_NEAR(json.value("RepetitionTime", 0.0), *tags.repetition_time_ms / 1000, 1e-9);
  EXPECT_NEAR(json.value("EchoTime", 0.0), *tags.echo_time_ms / 1000, 1e-9);
  EXPECT_NEAR(json.value("InversionTime", 0.0), *tags.inversion_time_ms / 1000, 1e-9);
  EXPECT_NEAR(json.value("FlipAngle", 0.0), *tags.flip_angle_deg, 1e-9);
  EXPECT_NEAR(json.value("SliceThickness", 0.0), volume.geometry.spacing_mm[2], 1e-9);
}

struct DatasetFile {
  DcmFileFormat file;
  DcmDataset& ds() { return *file.getDataset(); }
  std::string Text(const DcmTagKey& tag) {
    OFString value;
    EXPECT_TRUE(ds().findAndGetOFStringArray(tag, value).good()) << DcmTag(tag).getTagName() << " missing";
    return value.c_str();
  }
  bool Has(const DcmTagKey& tag) { return ds().tagExists(tag); }
  Uint16 Short(const DcmTagKey& tag) {
    Uint16 value = 0;
    EXPECT_TRUE(ds().findAndGetUint16(tag, value).good()) << DcmTag(tag).getTagName() << " missing";
    return value;
  }
};

TEST(DicomWriter, WritesTheAttributesOfAClassicMrImage) {
  const Scratch scratch("attributes");
  const Volume volume = ObliqueVolume();
  DicomSeriesTags tags = Tags("attributes");
  tags.echo_time_ms.reset();
  tags.flip_angle_deg.reset();
  WriteDicomSeries(volume, tags, scratch / "series");

  DatasetFile f;
  ASSERT_TRUE(f.file.loadFile((scratch / "series/IM0003.dcm").c_str()).good());
  EXPECT_EQ(f.ds().getOriginalXfer(), EXS_LittleEndianExplicit);
  EXPECT_EQ(f.Text(DCM_SOPClassUID), UID_MRImageStorage);
  EXPECT_EQ(f.Text(DCM_SOPInstanceUID), tags.series_uid + ".3");
  EXPECT_EQ(f.Text(DCM_InstanceNumber), "3");
  EXPECT_EQ(f.Text(DCM_Modality), "MR");
  EXPECT_EQ(f.Text(DCM_ImageType), "ORIGINAL\\PRIMARY\\M\\ND");
  EXPECT_EQ(f.Text(DCM_PhotometricInterpretation), "MONOCHROME2");
  EXPECT_EQ(f.Short(DCM_Rows), volume.geometry.size[1]);
  EXPECT_EQ(f.Short(DCM_Columns), volume.geometry.size[0]);
  EXPECT_EQ(f.Short(DCM_BitsAllocated), 16);
  EXPECT_EQ(f.Short(DCM_BitsStored), 16);
  EXPECT_EQ(f.Short(DCM_HighBit), 15);
  EXPECT_EQ(f.Short(DCM_PixelRepresentation), 1);
  EXPECT_EQ(f.Text(DCM_PixelSpacing), "1.2\\0.9");  // between rows, then between columns
  EXPECT_EQ(f.Text(DCM_SliceThickness), "3");
  EXPECT_EQ(f.Text(DCM_SpacingBetweenSlices), "3");
  EXPECT_EQ(f.Text(DCM_RescaleSlope), "1");
  EXPECT_EQ(f.Text(DCM_RescaleIntercept), "0");
  EXPECT_EQ(f.Text(DCM_SeriesInstanceUID), tags.series_uid);
  EXPECT_EQ(f.Text(DCM_StudyInstanceUID), tags.study_uid);
  EXPECT_EQ(f.Text(DCM_FrameOfReferenceUID), tags.frame_of_reference_uid);
  EXPECT_EQ(f.Text(DCM_PatientName), tags.patient_name);
  EXPECT_EQ(f.Text(DCM_AccessionNumber), tags.accession_number);
  EXPECT_EQ(f.Text(DCM_BodyPartExamined), tags.body_part);
  EXPECT_EQ(f.Text(DCM_SequenceVariant), tags.sequence_variant);
  EXPECT_EQ(f.Text(DCM_AcquisitionTime), tags.series_time);

  // SliceLocation is the position along the slice normal.
  const auto position = volume.geometry.IndexToPoint(0, 0, 2);
  const auto& d = volume.geometry.direction;
  const double along = position[0] * d[2] + position[1] * d[5] + position[2] * d[8];
  EXPECT_NEAR(std::stod(f.Text(DCM_SliceLocation)), along, 1e-6);

  // The window covers the range of the whole series, not of this slice.
  const auto [lo, hi] = std::minmax_element(volume.voxels.begin(), volume.voxels.end());
  EXPECT_DOUBLE_EQ(std::stod(f.Text(DCM_WindowCenter)), (*lo + *hi) / 2.0);
  EXPECT_DOUBLE_EQ(std::stod(f.Text(DCM_WindowWidth)), *hi - *lo + 1.0);

  // Type 2 attributes without a value are present and empty; type 3 ones without a value are absent.
  for (const DcmTagKey& tag : {DCM_ReferringPhysicianName, DCM_StudyID, DCM_PositionReferenceIndicator,
                               DCM_PatientPosition, DCM_EchoTime, DCM_EchoTrainLength, DCM_ScanOptions}) {
    EXPECT_TRUE(f.Has(tag)) << DcmTag(tag).getTagName();
    DcmElement* element = nullptr;
    if (f.ds().findAndGetElement(tag, element).good()) {
      EXPECT_EQ(element->getLength(), 0u) << DcmTag(tag).getTagName();
    }
  }
  EXPECT_FALSE(f.Has(DCM_FlipAngle));
  EXPECT_FALSE(f.Has(DCM_ContrastBolusAgent));
  EXPECT_EQ(f.Text(DCM_InversionTime), "900");

  // Every date and time in the file (meta header included) is one the caller gave, never the clock's.
  const std::set<std::string> given{tags.study_date, tags.study_time, tags.series_time,
                                    tags.patient_birth_date};
  for (DcmItem* item : {static_cast<DcmItem*>(f.file.getMetaInfo()), static_cast<DcmItem*>(&f.ds())}) {
    DcmStack stack;
    while (item->nextObject(stack, OFTrue).good()) {
      DcmObject* object = stack.top();
      const DcmEVR vr = object->ident();
      if (vr != EVR_DA && vr != EVR_TM && vr != EVR_DT) continue;
      OFString value;
      static_cast<DcmElement*>(object)->getOFStringArray(value);
      if (!value.empty()) {
        EXPECT_EQ(given.count(value.c_str()), 1u) << object->getTag() << " is " << value;
      }
    }
  }
}

TEST(DicomWriter, VoxelsAreRoundedAndClampedToInt16) {
  const Scratch scratch("rounding");
  Volume volume = MakeVolume({5, 2, 1}, {1, 1, 2}, RotationX(0), {0, 0, 0});
  const float nan = std::numeric_limits<float>::quiet_NaN();
  volume.voxels.assign({-40000.f, -32768.4f, -2.5f, -0.4f, 0.5f, 1.49f, 2.5f, 32767.4f, 40000.f, nan});
  const std::vector<float> expected{-32768, -32768, -3, 0, 1, 1, 3, 32767, 32767, 0};
  WriteDicomSeries(volume, Tags("rounding"), scratch / "series");
  const auto loaded = LoadDicomSeries(FilesIn(scratch / "series"));
  ASSERT_EQ(loaded.size(), 1u);
  EXPECT_EQ(std::vector<float>(loaded[0].volume.voxels.begin(), loaded[0].volume.voxels.end()), expected);
}

TEST(DicomWriter, AxialSagittalAndCoronalVolumesGetTheirOrientationLabels) {
  const Scratch scratch("orientation");
  // Columns 0 and 1 are the row and column directions; column 2 completes a right-handed frame.
  const std::map<std::string, Matrix> planes{
      {"axial", {1, 0, 0, 0, 1, 0, 0, 0, 1}},
      {"sagittal", {0, 0, -1, 1, 0, 0, 0, -1, 0}},
      {"coronal", {1, 0, 0, 0, 0, 1, 0, -1, 0}},
  };
  int number = 1;
  for (const auto& [plane, direction] : planes) {
    DicomSeriesTags tags = Tags("orientation-" + plane);
    tags.series_description = plane + " test series";
    tags.series_number = number++;
    WriteDicomSeries(MakeVolume({12, 10, 5}, {1, 1, 2}, direction, {-6, -5, -4}), tags, scratch / plane);
  }
  const DicomIndex index = IndexFolders({scratch.path()});
  EXPECT_TRUE(index.unreadable.empty());
  const auto series = index.AllSeries();
  ASSERT_EQ(series.size(), planes.size());
  for (const SeriesRecord* s : series) {
    const std::string plane = s->description.substr(0, s->description.find(' '));
    EXPECT_EQ(s->orientation, plane);
    EXPECT_EQ(s->slices, 5u);
    EXPECT_NEAR(s->slice_spacing_mm.value_or(0), 2.0, 1e-6);
  }
}

TEST(DicomWriter, IndexAssignsRolesFromVendorStyleSeries) {
  const Scratch scratch("roles");
  const Matrix axial{1, 0, 0, 0, 1, 0, 0, 0, 1};
  const Matrix sagittal{0, 0, -1, 1, 0, 0, 0, -1, 0};

  DicomSeriesTags siemens = Tags("roles-siemens");
  siemens.series_number = 2;
  siemens.series_time = "101800";
  WriteDicomSeries(MakeVolume({16, 16, 6}, {1, 1, 1}, sagittal, {0, -8, 8}), siemens, scratch / "s002");

  DicomSeriesTags philips = Tags("roles-philips");
  philips.manufacturer = "Philips";
  philips.model = "Ingenia";
  philips.series_number = 3;
  philips.series_time = "102500";
  philips.series_description = philips.protocol_name = "3D_Brain_VIEW_FLAIR";
  philips.scanning_sequence = "SE\\IR";
  philips.sequence_variant = "SK";
  philips.repetition_time_ms = 4800;
  philips.echo_time_ms = 320;
  philips.inversion_time_ms = 1650;
  philips.sequence_name = "";
  philips.flip_angle_deg.reset();
  WriteDicomSeries(MakeVolume({16, 16, 6}, {1, 1, 1}, sagittal, {0, -8, 8}), philips, scratch / "s003");

  DicomSeriesTags ge = Tags("roles-ge");
  ge.manufacturer = "GE MEDICAL SYSTEMS";
  ge.model = "SIGNA Premier";
  ge.field_strength_t = 1.5;
  ge.series_number = 9;
  ge.series_time = "104500";
  ge.series_description = ge.protocol_name = "Ax T1 BRAVO +C";
  ge.scanning_sequence = "GR";
  ge.sequence_variant = "SS\\SK";
  ge.sequence_name = "efgre3d";
  ge.repetition_time_ms = 8.2;
  ge.echo_time_ms = 3.2;
  ge.inversion_time_ms = 450;
  ge.flip_angle_deg = 12;
  ge.contrast_agent = "Gadobutrol 0.1 mmol/kg";
  WriteDicomSeries(MakeVolume({16, 16, 6}, {1, 1, 1}, axial, {-8, -8, 0}), ge, scratch / "s009");

  const DicomIndex index = IndexFolders({scratch.path()});
  ASSERT_EQ(index.patients.size(), 1u);
  ASSERT_EQ(index.patients[0].studies.size(), 1u);
  const auto* s = index.FindSeries(siemens.series_uid);
  const auto* p = index.FindSeries(philips.series_uid);
  const auto* g = index.FindSeries(ge.series_uid);
  ASSERT_TRUE(s && p && g);

  EXPECT_EQ(s->role, SeriesRole::kT1Pre) << s->role_reason;
  EXPECT_EQ(p->role, SeriesRole::kFlair) << p->role_reason;
  EXPECT_EQ(g->role, SeriesRole::kT1Post) << g->role_reason;
  // The agent attribute, not only the "+C" in the description, is what the index saw first.
  EXPECT_THAT(g->role_reason, HasSubstr("ContrastBolusAgent"));
  EXPECT_EQ(g->contrast_agent, ge.contrast_agent);
  EXPECT_EQ(s->contrast_agent, "");

  for (const auto& [record, tags] : {std::pair{s, &siemens}, {p, &philips}, {g, &ge}}) {
    EXPECT_EQ(record->description, tags->series_description);
    EXPECT_EQ(record->series_number, tags->series_number);
    EXPECT_EQ(record->series_time, tags->series_time);
    EXPECT_EQ(record->acquisition.manufacturer, tags->manufacturer);
    EXPECT_EQ(record->acquisition.model, tags->model);
    EXPECT_EQ(record->acquisition.modality, "MR");
    EXPECT_EQ(record->acquisition.body_part, tags->body_part);
    EXPECT_EQ(record->acquisition.scanning_sequence, tags->scanning_sequence);
    EXPECT_EQ(record->acquisition.sequence_name, tags->sequence_name);
    EXPECT_EQ(record->acquisition.field_strength_t, tags->field_strength_t);
    EXPECT_EQ(record->acquisition.repetition_time_ms, tags->repetition_time_ms);
    EXPECT_EQ(record->acquisition.echo_time_ms, tags->echo_time_ms);
    EXPECT_EQ(record->acquisition.inversion_time_ms, tags->inversion_time_ms);
    EXPECT_EQ(record->acquisition.flip_angle_deg, tags->flip_angle_deg);
  }
}

TEST(DicomWriter, IdenticalInputGivesByteIdenticalFilesOnAnyThreadCount) {
  const Scratch scratch("determinism");
  const Volume volume = ObliqueVolume();
  const DicomSeriesTags tags = Tags("determinism");
  WriteDicomSeries(volume, tags, scratch / "first");
  tbb::task_arena one_thread(1);
  one_thread.execute([&] { WriteDicomSeries(volume, tags, scratch / "second"); });
  DicomSeriesTags renamed = tags;
  renamed.series_description += " copy";
  WriteDicomSeries(volume, renamed, scratch / "different");

  const auto first = FilesIn(scratch / "first");
  const auto second = FilesIn(scratch / "second");
  const auto different = FilesIn(scratch / "different");
  ASSERT_EQ(first.size(), volume.geometry.size[2]);
  ASSERT_EQ(second.size(), first.size());
  ASSERT_EQ(different.size(), first.size());
  for (std::size_t k = 0; k < first.size(); ++k) {
    EXPECT_EQ(first[k].filename(), second[k].filename());
    EXPECT_TRUE(ReadBytes(first[k]) == ReadBytes(second[k])) << first[k].filename() << " differs";
    // The comparison does see a change of one attribute.
    EXPECT_FALSE(ReadBytes(first[k]) == ReadBytes(different[k])) << first[k].filename();
  }
}

TEST(DicomWriter, AnExistingFolderIsAnErrorAndIsLeftAlone) {
  const Scratch scratch("existing");
  const fs::path folder = scratch / "series";
  fs::create_directories(folder);
  std::ofstream(folder / "keep.txt") << "not mine";
  try {
    WriteDicomSeries(ObliqueVolume(), Tags("existing"), folder);
    FAIL() << "no error for an existing folder";
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), folder);
    EXPECT_THAT(e.what(), HasSubstr("already exists"));
  }
  EXPECT_EQ(FilesIn(folder), std::vector<fs::path>{folder / "keep.txt"});
  EXPECT_TRUE(PartialFoldersIn(scratch.path()).empty());

  // An empty folder is no different: rename(2) would silently replace it.
  fs::create_directories(scratch / "empty");
  EXPECT_THROW(WriteDicomSeries(ObliqueVolume(), Tags("existing"), scratch / "empty"), InputError);
  EXPECT_TRUE(FilesIn(scratch / "empty").empty());
}

// Limits the size of files this process may write, so that writing fails part-way through a slice.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    previous_handler_ = std::signal(SIGXFSZ, SIG_IGN);  // fail the write with EFBIG instead
    getrlimit(RLIMIT_FSIZE, &previous_);
    rlimit limit = previous_;
    limit.rlim_cur = bytes;
    setrlimit(RLIMIT_FSIZE, &limit);
  }
  ~FileSizeLimit() {
    setrlimit(RLIMIT_FSIZE, &previous_);
    std::signal(SIGXFSZ, previous_handler_);
  }

 private:
  rlimit previous_{};
  void (*previous_handler_)(int) = nullptr;
};

TEST(DicomWriter, AFailedWriteLeavesNeitherTheFolderNorAPartialOne) {
  const Scratch scratch("failure");
  const fs::path folder = scratch / "series";
  const Volume volume = ObliqueVolume();  // slices of 864 bytes of pixels
  try {
    const FileSizeLimit limit(600);
    WriteDicomSeries(volume, Tags("failure"), folder);
    FAIL() << "the write did not fail";
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), folder);
    EXPECT_THAT(e.what(), HasSubstr("IM0001.dcm"));  // the first failure in slice order, on any timing
  }
  EXPECT_FALSE(fs::exists(folder));
  EXPECT_TRUE(PartialFoldersIn(scratch.path()).empty());

  // Without the limit the same call succeeds, so the failure above was the write's.
  WriteDicomSeries(volume, Tags("failure"), folder);
  EXPECT_EQ(FilesIn(folder).size(), volume.geometry.size[2]);
}

TEST(DicomWriter, BadVolumesAndUidsAreRefusedBeforeAnythingIsWritten) {
  const Scratch scratch("refused");
  Volume short_buffer = ObliqueVolume();
  short_buffer.voxels.resize(short_buffer.voxels.size() - 1);
  EXPECT_THROW(WriteDicomSeries(short_buffer, Tags("refused"), scratch / "a"), InputError);

  DicomSeriesTags bad_uid = Tags("refused");
  bad_uid.series_uid = "1.2.03.4";
  try {
    WriteDicomSeries(ObliqueVolume(), bad_uid, scratch / "b");
    FAIL() << "a UID component with a leading zero was accepted";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("SeriesInstanceUID"));
  }
  DicomSeriesTags long_uid = Tags("refused");
  long_uid.series_uid = "1." + std::string(61, '9');  // 63 characters: no room for ".10"
  EXPECT_THROW(WriteDicomSeries(ObliqueVolume(), long_uid, scratch / "c"), InputError);
  EXPECT_TRUE(FilesIn(scratch.path()).empty());
  EXPECT_TRUE(fs::is_empty(scratch.path()));
}

TEST(DicomWriter, UidFromKeyIsDeterministicDistinctAndValid) {
  const std::regex uid_syntax("(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*))*");
  std::set<std::string> seen;
  std::vector<std::string> keys{"", "a", "b", "ab", "ba", std::string(1000, 'x')};
  for (int n = 0; n < 2000; ++n)
    keys.push_back("subject-" + std::to_string(n) + "/series");
  for (const std::string& key : keys) {
    const std::string uid = UidFromKey(key);
    EXPECT_EQ(uid, UidFromKey(key));
    EXPECT_EQ(uid.rfind("2.25.", 0), 0u) << uid;
    EXPECT_LE(uid.size(), 64u) << uid;
    EXPECT_TRUE(std::regex_match(uid, uid_syntax)) << uid;
    // The number after 2.25. is at most 2^128 - 1.
    const std::string number = uid.substr(5);
    EXPECT_TRUE(number.size() < 39 ||
                (number.size() == 39 && number <= "340282366920938463463374607431768211455"))
        << uid;
    seen.insert(uid);
  }
  EXPECT_EQ(seen.size(), keys.size()) << "two keys gave the same UID";
}

}  // namespace
}  // namespace leptoscan::io
