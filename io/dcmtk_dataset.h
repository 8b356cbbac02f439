// Private to io/: DCMTK helpers shared by the readers and writers, so that each reads and writes DICOM
// the same way (a parsed data set becomes a DicomFileHeader, numbers become DS text, files become bytes).
#pragma once

#include <filesystem>
#include <string>

#include "io/dicom_header.h"

class DcmFileFormat;

namespace leptoscan::io {

DicomFileHeader HeaderFromDataset(DcmFileFormat& file, const std::filesystem::path& path);

// Parses a file up to its pixel data, leaving long values on disk; throws InputError naming the file
// when it is not readable DICOM.
void LoadHeaderDataset(DcmFileFormat& file, const std::filesystem::path& path);

// Once per process: registers DCMTK's JPEG, JPEG-LS and RLE decoders and keeps DCMTK's own log to
// errors (a header-only read otherwise warns once per file that it stopped at the pixel data).
void InitializeDcmtk();

// DICOM DS holds at most 16 characters: the most significant digits that fit, and never "-0".
std::string DecimalString(double value);

// The file's bytes (explicit VR little endian), built in memory: DCMTK's saveFile does not report a
// short write (a full disk or a file size limit left truncated files that looked written), so callers
// write the bytes and check. Throws InputError naming `reported`: "cannot encode <what> (...)".
std::string EncodeDicomFile(DcmFileFormat& dicom, const std::filesystem::path& reported,
                            const std::string& what);

}  // namespace leptoscan::io
