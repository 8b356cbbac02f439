// Where the third-party fixtures live (tests/fixtures/make-fixtures.sh) and checks shared by the io tests.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "io/volume.h"

namespace leptoscan::testing {

// A path under the fixture folder; fails the test when the fixture is missing.
std::filesystem::path TestData(const std::string& relative);
// A path under the external data folder (npm packages fetched by scripts/setup).
std::filesystem::path ExternalData(const std::string& relative);
std::vector<std::filesystem::path> FilesIn(const std::filesystem::path& folder);

// A folder of the test's own under the test temporary folder, named by suite, process (ctest may run
// tests in parallel) and test, made empty on construction and removed afterwards.
class Scratch {
 public:
  Scratch(const std::string& suite, const std::string& name);
  ~Scratch();
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Every voxel of `actual` lies on a voxel centre of `expected` (within 1e-3 voxel) and has its value.
::testing::AssertionResult SameVoxelsInWorld(const io::Volume& actual, const io::Volume& expected);
// The two grids cover the same voxel centres, up to an order of the axes, within `tolerance_voxels`.
::testing::AssertionResult SameGrid(const io::VolumeGeometry& actual, const io::VolumeGeometry& expected,
                                    double tolerance_voxels);

}  // namespace leptoscan::testing
