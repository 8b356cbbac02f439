// DICOM header indexing of one file: io::ReadDicomHeader either returns a header or throws io::InputError;
// indexing a folder holding the file never throws (the file is listed as not DICOM or unreadable), and the
// index prints as JSON and TSV.
#include <cstddef>
#include <cstdint>

#include "io/dicom_header.h"
#include "io/errors.h"
#include "io/series_index.h"
#include "tests/fuzz/fuzz_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace io = leptoscan::io;
  const auto file = leptoscan::fuzz::WriteInput(data, size);
  if (io::LooksLikeDicom(file)) {
    try {
      io::ReadDicomHeader(file);
    } catch (const io::InputError&) {
    }
  }
  const io::DicomIndex index = io::IndexFolders({file.parent_path()});
  io::IndexToJson(index);
  io::IndexToTsv(index);
  return 0;
}
