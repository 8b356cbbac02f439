// The readers under test take paths: a harness's input is written to a file in a folder of its own.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>

namespace leptoscan::fuzz {

// Writes the bytes to `<folder>/input.dcm`, replacing the previous input; the folder holds nothing else,
// lives in /dev/shm when there is one (no disk writes per run) and is removed when the process exits.
std::filesystem::path WriteInput(const std::uint8_t* data, std::size_t size);

// A series of files in one input: the parts between occurrences of kFileSeparator, at most kMaxFiles.
inline constexpr char kFileSeparator[] = "=LEPTOSCAN-NEXT-FILE=";
inline constexpr std::size_t kMaxFiles = 8;

// Writes each part to `<folder>/inputN.dcm` in a folder of its own that holds nothing else (the previous
// input's files are removed) and returns the folder.
std::filesystem::path WriteInputs(const std::uint8_t* data, std::size_t size);

}  // namespace leptoscan::fuzz
