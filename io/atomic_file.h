// Outputs appear whole or not at all: write to a temporary name beside the target, then rename.
#pragma once

#include <filesystem>
#include <string>

namespace leptoscan::io {

class AtomicFile {
 public:
  // The temporary name keeps the target's extension (".nii.gz" selects the writer in ITK).
  explicit AtomicFile(std::filesystem::path target);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  const std::filesystem::path& temporary() const { return temporary_; }
  // Renames the temporary file onto the target; throws InputError naming the target on failure.
  void Commit();

 private:
  std::filesystem::path target_;
  std::filesystem::path temporary_;
  bool committed_ = false;
};

// A folder beside the target, removed unless Commit() renames it onto the target; an existing target
// is never replaced (Commit throws InputError "already exists").
class AtomicFolder {
 public:
  explicit AtomicFolder(const std::filesystem::path& target);
  ~AtomicFolder();
  AtomicFolder(const AtomicFolder&) = delete;
  AtomicFolder& operator=(const AtomicFolder&) = delete;

  const std::filesystem::path& path() const { return path_; }
  void Commit();

 private:
  std::filesystem::path target_;
  std::filesystem::path path_;
  bool committed_ = false;
};

void WriteFileAtomically(const std::filesystem::path& target, const std::string& content);

// As WriteFileAtomically, for files only their owner may read (keys, identifiers): mode 0600 from the
// moment the temporary file exists.
void WritePrivateFileAtomically(const std::filesystem::path& target, const std::string& content);

// Creates `target` holding `content`, mode 0600, whole, unless it exists: returns false and leaves an
// existing one alone (concurrent first writers agree on one content). Throws InputError naming the target.
bool CreatePrivateFile(const std::filesystem::path& target, const std::string& content);

}  // namespace leptoscan::io
