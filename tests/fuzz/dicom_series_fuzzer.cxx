// A folder of several DICOM files (the input's parts between fuzz::kFileSeparator): indexed, and every
// series found loaded, whole and split. Slices that disagree (positions, orientations, sizes, UIDs,
// repeated positions, gaps) meet here as they do in real folders. io::IndexFolders never throws for a
// readable folder; io::LoadDicomSeries returns volumes or throws io::InputError.
#include <cstddef>
#include <cstdint>

#include "io/dicom_volume.h"
#include "io/errors.h"
#include "io/series_index.h"
#include "tests/fuzz/fuzz_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace io = leptoscan::io;
  const auto folder = leptoscan::fuzz::WriteInputs(data, size);
  const io::DicomIndex index = io::IndexFolders({folder});
  io::LoadOptions options;
  options.max_voxels = std::size_t{1} << 24;  // bounded memory per run; the limit itself is tested apart
  for (const io::SeriesRecord* series : index.AllSeries()) {
    for (const bool split : {false, true}) {
      options.split = split;
      try {
        for (const io::LoadedVolume& loaded : io::LoadDicomSeries(series->files, options)) {
          if (loaded.volume.voxels.size() != loaded.volume.geometry.VoxelCount()) __builtin_trap();
        }
        break;  // loaded whole: splitting gives nothing new
      } catch (const io::InputError&) {
      }
    }
  }
  return 0;
}
