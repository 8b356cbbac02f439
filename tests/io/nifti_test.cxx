#include "io/nifti.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <fstream>

#include "io/errors.h"

namespace leptoscan::io {
namespace {

namespace fs = std::filesystem;

fs::path Temp(const std::string& name) {
  return fs::path(::testing::TempDir()) / name;
}

// An oblique, anisotropic volume with a known LPS geometry and a value ramp.
Volume MakeVolume(bool whole_numbers) {
  Volume v;
  v.geometry.size = {4, 3, 2};
  v.geometry.spacing_mm = {0.5, 0.75, 2.0};
  v.geometry.origin_mm = {10, -20, 30};
  const double c = std::cos(0.3), s = std::sin(0.3);
  v.geometry.direction = {c, -s, 0, s, c, 0, 0, 0, 1};
  v.voxels.resize(v.geometry.VoxelCount());
  for (std::size_t i = 0; i < v.voxels.size(); ++i)
    v.voxels[i] = whole_numbers ? float(i) - 7 : float(i) * 0.25f;
  v.integer_valued = whole_numbers;
  return v;
}

struct NiftiHeader {
  std::int16_t datatype, qform_code, sform_code;
  float srow[3][4];
};

NiftiHeader ReadHeader(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  char raw[348];
  in.read(raw, sizeof raw);
  NiftiHeader h;
  std::memcpy(&h.datatype, raw + 70, 2);
  std::memcpy(&h.qform_code, raw + 252, 2);
  std::memcpy(&h.sform_code, raw + 254, 2);
  std::memcpy(h.srow, raw + 280, sizeof h.srow);
  return h;
}

TEST(Nifti, WritesQformAndSformInRasWorld) {
  const Volume v = MakeVolume(true);
  const fs::path path = Temp("geometry.nii");
  WriteNifti(v, path);
  const NiftiHeader h = ReadHeader(path);
  EXPECT_EQ(h.qform_code, 1);  // NIFTI_XFORM_SCANNER_ANAT
  EXPECT_EQ(h.sform_code, 1);
  // NIfTI world is RAS: x and y of LPS change sign.
  const double sign[3] = {-1, -1, 1};
  for (int row = 0; row < 3; ++row) {
    for (int axis = 0; axis < 3; ++axis) {
      EXPECT_NEAR(h.srow[row][axis],
                  sign[row] * v.geometry.direction[row * 3 + axis] * v.geometry.spacing_mm[axis], 1e-5);
    }
    EXPECT_NEAR(h.srow[row][3], sign[row] * v.geometry.origin_mm[row], 1e-4);
  }
}

TEST(Nifti, RoundTripKeepsGeometryAndValues) {
  for (bool whole : {true, false}) {
    const Volume v = MakeVolume(whole);
    const fs::path path = Temp("roundtrip.nii.gz");
    WriteNifti(v, path);
    const Volume back = ReadNifti(path);
    EXPECT_EQ(back.geometry.size, v.geometry.size);
    for (int i = 0; i < 9; ++i)
      EXPECT_NEAR(back.geometry.direction[i], v.geometry.direction[i], 1e-6);
    for (int i = 0; i < 3; ++i) {
      EXPECT_NEAR(back.geometry.origin_mm[i], v.geometry.origin_mm[i], 1e-4);
      EXPECT_NEAR(back.geometry.spacing_mm[i], v.geometry.spacing_mm[i], 1e-6);
    }
    EXPECT_EQ(back.voxels, v.voxels);
    EXPECT_EQ(back.integer_valued, whole);
  }
}

TEST(Nifti, WholeNumbersAreStoredAsInt16AndFractionsAsFloat) {
  WriteNifti(MakeVolume(true), Temp("int.nii"));
  EXPECT_EQ(ReadHeader(Temp("int.nii")).datatype, 4);  // DT_INT16
  WriteNifti(MakeVolume(false), Temp("float.nii"));
  EXPECT_EQ(ReadHeader(Temp("float.nii")).datatype, 16);  // DT_FLOAT32
  Volume big = MakeVolume(true);
  big.voxels[3] = 40000;  // whole, but out of int16 range
  WriteNifti(big, Temp("big.nii"));
  EXPECT_EQ(ReadHeader(Temp("big.nii")).datatype, 16);
  EXPECT_EQ(ReadNifti(Temp("big.nii")).voxels[3], 40000.0f);
}

TEST(Nifti, AFailedWriteLeavesNoFileBehind) {
  const fs::path folder = Temp("atomic");
  fs::remove_all(folder);
  fs::create_directories(folder);
  Volume broken = MakeVolume(true);
  broken.voxels.resize(3);  // inconsistent with the geometry
  EXPECT_THROW(WriteNifti(broken, folder / "out.nii.gz"), InputError);
  EXPECT_TRUE(fs::is_empty(folder));
  EXPECT_THROW(WriteNifti(MakeVolume(true), folder / "missing_folder" / "out.nii"), InputError);
  EXPECT_TRUE(fs::is_empty(folder));
}

TEST(Nifti, ReadingAMissingFileNamesIt) {
  try {
    ReadNifti(Temp("does_not_exist.nii"));
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("does_not_exist.nii"));
  }
}

}  // namespace
}  // namespace leptoscan::io
