// The error every reader throws for bad input: the message always starts with the file it is about.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

namespace leptoscan::io {

class InputError : public std::runtime_error {
 public:
  InputError(const std::filesystem::path& file, const std::string& problem)
      : std::runtime_error(file.string() + ": " + problem), file_(file) {}
  const std::filesystem::path& file() const { return file_; }

 private:
  std::filesystem::path file_;
};

}  // namespace leptoscan::io
