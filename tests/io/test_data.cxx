#include "tests/io/test_data.h"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <set>
#include <sstream>

namespace leptoscan::testing {

namespace {
std::filesystem::path Existing(const std::filesystem::path& path) {
  if (!std::filesystem::exists(path)) ADD_FAILURE() << "missing test data " << path << ": run scripts/test";
  return path;
}
}  // namespace

std::filesystem::path TestData(const std::string& relative) {
  return Existing(std::filesystem::path(LEPTOSCAN_TEST_DATA_DIR) / relative);
}

std::filesystem::path ExternalData(const std::string& relative) {
  return Existing(std::filesystem::path(LEPTOSCAN_EXTERNAL_DATA_DIR) / relative);
}

std::vector<std::filesystem::path> FilesIn(const std::filesystem::path& folder) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

Scratch::Scratch(const std::string& suite, const std::string& name)
    : path_(std::filesystem::path(::testing::TempDir()) /
            ("leptoscan_" + suite + "_" + std::to_string(::getpid()) + "_" + name)) {
  std::filesystem::remove_all(path_);
  std::filesystem::create_directories(path_);
}

Scratch::~Scratch() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

::testing::AssertionResult SameVoxelsInWorld(const io::Volume& actual, const io::Volume& expected) {
  const auto& a = actual.geometry;
  const auto& e = expected.geometry;
  if (a.VoxelCount() != e.VoxelCount()) {
    return ::testing::AssertionFailure() << a.VoxelCount() << " voxels, expected " << e.VoxelCount();
  }
  std::size_t mismatches = 0;
  std::ostringstream first;
  for (std::size_t k = 0; k < a.size[2]; ++k) {
    for (std::size_t j = 0; j < a.size[1]; ++j) {
      for (std::size_t i = 0; i < a.size[0]; ++i) {
        const auto index = e.PointToIndex(a.IndexToPoint(i, j, k));
        std::array<long, 3> whole;
        for (int d = 0; d < 3; ++d) {
          whole[d] = std::lround(index[d]);
          if (std::abs(index[d] - whole[d]) > 1e-3 || whole[d] < 0 ||
              whole[d] >= static_cast<long>(e.size[d])) {
            return ::testing::AssertionFailure()
                   << "voxel (" << i << "," << j << "," << k << ") maps to index (" << index[0] << ","
                   << index[1] << "," << index[2] << ")";
          }
        }
        const float got = actual.voxels[(k * a.size[1] + j) * a.size[0] + i];
        const float want = expected.voxels[(whole[2] * e.size[1] + whole[1]) * e.size[0] + whole[0]];
        if (got != want && mismatches++ == 0) {
          first << "voxel (" << i << "," << j << "," << k << ") is " << got << ", expected " << want;
        }
      }
    }
  }
  if (mismatches > 0)
    return ::testing::AssertionFailure() << mismatches << " voxels differ; first: " << first.str();
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult SameGrid(const io::VolumeGeometry& actual, const io::VolumeGeometry& expected,
                                    double tolerance_voxels) {
  std::set<std::array<long, 3>> expected_corners, mapped_corners;
  for (int corner = 0; corner < 8; ++corner) {
    std::array<long, 3> c;
    std::array<double, 3> ac;
    for (int d = 0; d < 3; ++d) {
      c[d] = (corner >> d) & 1 ? static_cast<long>(expected.size[d]) - 1 : 0;
      ac[d] = (corner >> d) & 1 ? static_cast<double>(actual.size[d]) - 1 : 0;
    }
    expected_corners.insert(c);
    const auto index = expected.PointToIndex(actual.IndexToPoint(ac[0], ac[1], ac[2]));
    std::array<long, 3> whole;
    for (int d = 0; d < 3; ++d) {
      whole[d] = std::lround(index[d]);
      if (std::abs(index[d] - whole[d]) > tolerance_voxels) {
        return ::testing::AssertionFailure()
               << "corner " << corner << " lies " << std::abs(index[d] - whole[d])
               << " voxel off the expected grid along axis " << d;
      }
    }
    mapped_corners.insert(whole);
  }
  if (mapped_corners != expected_corners) {
    return ::testing::AssertionFailure() << "the grids do not cover the same box";
  }
  return ::testing::AssertionSuccess();
}

}  // namespace leptoscan::testing
