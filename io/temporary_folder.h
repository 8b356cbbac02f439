// A fresh folder under the system's temporary directory, removed with everything in it when the object
// goes away.
#pragma once

#include <filesystem>
#include <string>

namespace leptoscan::io {

class TemporaryFolder {
 public:
  // The folder's name starts with `prefix`; throws InputError when it cannot be made.
  explicit TemporaryFolder(const std::string& prefix);
  ~TemporaryFolder();
  TemporaryFolder(const TemporaryFolder&) = delete;
  TemporaryFolder& operator=(const TemporaryFolder&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace leptoscan::io
