// Private to io/: turns a parsed DCMTK data set into a DicomFileHeader. Shared by the header reader
// (index) and the volume loader so that both see the same attributes.
#pragma once

#include <filesystem>

#include "io/dicom_header.h"

class DcmFileFormat;

namespace leptoscan::io {

DicomFileHeader HeaderFromDataset(DcmFileFormat& file, const std::filesystem::path& path);

// Once per process: registers DCMTK's JPEG, JPEG-LS and RLE decoders and keeps DCMTK's own log to
// errors (a header-only read otherwise warns once per file that it stopped at the pixel data).
void InitializeDcmtk();

}  // namespace leptoscan::io
