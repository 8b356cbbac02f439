// Loads the frames of one DICOM series into volumes: pixel data decoded with DCMTK (GDCM for JPEG 2000),
// rescale applied, slices ordered by ImagePositionPatient projected on the slice normal.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "io/dicom_header.h"
#include "io/volume.h"

namespace leptoscan::io {

// What to do when slice positions leave a gap of one or more missing slices.
enum class SliceGapPolicy {
  kResample,  // interpolate linearly along the normal onto a regular grid at the median spacing (warns)
  kRefuse,    // throw InputError naming the gap
};

struct LoadOptions {
  SliceGapPolicy gaps = SliceGapPolicy::kResample;
  // A series holding several volumes (echoes, time points, stacks, sizes or orientations) is refused
  // unless split is set, in which case each comes back as its own LoadedVolume.
  bool split = false;
  // Refused before any pixel buffer is allocated (a header claiming 65535^3 voxels is hostile).
  std::size_t max_voxels = std::size_t{1} << 30;
};

struct LoadedVolume {
  std::string label;  // empty for a series holding one volume; else e.g. "echo2", "time3", "stack1"
  Volume volume;
  std::vector<std::string> warnings;  // what was odd about the series and what was done about it
};

// Throws InputError naming the file and the problem for unreadable, truncated or unplaceable input.
std::vector<LoadedVolume> LoadDicomSeries(const std::vector<std::filesystem::path>& files,
                                          const LoadOptions& options = {});
// The same from headers already read (by the index), so that each header is parsed once.
std::vector<LoadedVolume> LoadDicomSeries(std::vector<DicomFileHeader> headers,
                                          const LoadOptions& options = {});

// Reads the headers of files in parallel; throws the first failure in file order.
std::vector<DicomFileHeader> ReadDicomHeaders(const std::vector<std::filesystem::path>& files);

}  // namespace leptoscan::io
