#include "tests/fuzz/fuzz_file.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>

namespace leptoscan::fuzz {
namespace {

struct InputFolder {
  std::filesystem::path path;
  InputFolder() {
    const char* base = std::filesystem::is_directory("/dev/shm") ? "/dev/shm" : nullptr;
    if (base == nullptr) base = std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp";
    std::string pattern = std::string(base) + "/leptoscan-fuzz-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("cannot create " + pattern);
    path = pattern;
  }
  ~InputFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
};

void WriteFile(const std::filesystem::path& file, const std::uint8_t* data, std::size_t size) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  out.close();
  if (!out) throw std::runtime_error("cannot write " + file.string());
}

}  // namespace

std::filesystem::path WriteInput(const std::uint8_t* data, std::size_t size) {
  static const InputFolder folder;
  const std::filesystem::path file = folder.path / "input.dcm";
  WriteFile(file, data, size);
  return file;
}

std::filesystem::path WriteInputs(const std::uint8_t* data, std::size_t size) {
  static const InputFolder folder;
  for (const auto& entry : std::filesystem::directory_iterator(folder.path))
    std::filesystem::remove(entry.path());
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::string_view separator(kFileSeparator);
  std::size_t start = 0;
  for (std::size_t n = 1; n <= kMaxFiles && start <= input.size(); ++n) {
    std::size_t end = input.find(separator, start);
    if (end == std::string_view::npos || n == kMaxFiles) end = input.size();
    WriteFile(folder.path / ("input" + std::to_string(n) + ".dcm"), data + start, end - start);
    start = end + separator.size();
  }
  return folder.path;
}

}  // namespace leptoscan::fuzz
