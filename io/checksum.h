// SHA-256 checksums of input files, recorded in every manifest so that a rerun can tell whether a
// stage's inputs changed (and a reader can tell which bytes a result came from).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace leptoscan::io {

// Lower-case hex SHA-256 of one file's bytes. Throws InputError naming an unreadable file.
std::string FileSha256(const std::filesystem::path& file);

// One checksum for a set of files (a DICOM series): the SHA-256 of each file's name and checksum, in the
// order given. Renaming, adding, removing or changing any file changes it; the folder it lives in does not.
std::string FilesSha256(const std::vector<std::filesystem::path>& files);

// Lower-case hex HMAC-SHA-256 of `message` under `key` (RFC 2104): what pseudonyms are made of.
std::string HmacSha256(const std::string& key, const std::string& message);

}  // namespace leptoscan::io
