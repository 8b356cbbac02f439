// DICOM volume loading of a one-file series (a classic slice or an enhanced multi-frame file):
// io::LoadDicomSeries either returns volumes or throws io::InputError naming the file.
#include <cstddef>
#include <cstdint>

#include "io/dicom_volume.h"
#include "io/errors.h"
#include "tests/fuzz/fuzz_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace io = leptoscan::io;
  const auto file = leptoscan::fuzz::WriteInput(data, size);
  io::LoadOptions options;
  for (const bool split : {false, true}) {
    options.split = split;
    try {
      for (const io::LoadedVolume& loaded : io::LoadDicomSeries({file}, options)) {
        if (loaded.volume.voxels.size() != loaded.volume.geometry.VoxelCount()) __builtin_trap();
      }
      break;  // loaded whole: splitting gives nothing new
    } catch (const io::InputError&) {
    }
  }
  return 0;
}
