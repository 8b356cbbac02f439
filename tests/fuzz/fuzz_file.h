// The readers under test take paths: a harness's input is written to a file in a folder of its own.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>

namespace leptoscan::fuzz {

// Writes the bytes to `<folder>/input.dcm`, replacing the previous input; the folder holds nothing else,
// lives in /dev/shm when there is one (no disk writes per run) and is removed when the process exits.
std::filesystem::path WriteInput(const std::uint8_t* data, std::size_t size);

}  // namespace leptoscan::fuzz
