#include "io/atomic_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <fstream>
#include <system_error>

#include "io/errors.h"

namespace leptoscan::io {

AtomicFile::AtomicFile(std::filesystem::path target) : target_(std::move(target)) {
  const auto folder = target_.has_parent_path() ? target_.parent_path() : std::filesystem::path(".");
  temporary_ = folder / (".partial-" + std::to_string(::getpid()) + "-" + target_.filename().string());
}

AtomicFile::~AtomicFile() {
  if (!committed_) {
    std::error_code ignored;
    std::filesystem::remove(temporary_, ignored);
  }
}

void AtomicFile::Commit() {
  std::error_code error;
  std::filesystem::rename(temporary_, target_, error);
  if (error) throw InputError(target_, "cannot write: " + error.message());
  committed_ = true;
}

void WriteFileAtomically(const std::filesystem::path& target, const std::string& content) {
  AtomicFile file(target);
  {
    std::ofstream out(file.temporary(), std::ios::binary);
    out << content;
    if (!out.flush()) throw InputError(target, "cannot write");
  }
  file.Commit();
}

AtomicFolder::AtomicFolder(const std::filesystem::path& target) : target_(target) {
  static std::atomic<unsigned> counter{0};
  const auto parent = target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
  std::error_code error;
  std::filesystem::create_directories(parent, error);
  if (error) throw InputError(target, "cannot create the parent folder: " + error.message());
  // The pid and a per-process counter keep concurrent writers of one target apart.
  path_ = parent / fmt::format(".partial-{}-{}-{}", ::getpid(), counter++, target.filename().string());
  if (!std::filesystem::create_directory(path_, error) || error) {
    throw InputError(target, "cannot create a temporary folder beside it: " +
                                 (error ? error.message() : path_.string() + " exists"));
  }
}

AtomicFolder::~AtomicFolder() {
  if (!committed_) {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
}

// Renames onto the target without ever replacing an existing folder (rename(2) would replace an empty
// one); falls back to a check and a plain rename where the file system lacks RENAME_NOREPLACE.
void AtomicFolder::Commit() {
  int result = ::renameat2(AT_FDCWD, path_.c_str(), AT_FDCWD, target_.c_str(), RENAME_NOREPLACE);
  if (result != 0 && (errno == EINVAL || errno == ENOSYS)) {
    if (std::filesystem::exists(std::filesystem::symlink_status(target_))) {
      errno = EEXIST;
    } else {
      result = std::rename(path_.c_str(), target_.c_str());
    }
  }
  if (result != 0) {
    const int error = errno;
    if (error == EEXIST || error == ENOTEMPTY) throw InputError(target_, "already exists");
    throw InputError(
        target_, "cannot rename the finished folder into place: " + std::generic_category().message(error));
  }
  committed_ = true;
}

}  // namespace leptoscan::io
