#include "io/atomic_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
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

namespace {

void WritePrivateFile(const std::filesystem::path& file, const std::string& content,
                      const std::filesystem::path& target) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw InputError(target, "cannot write: " + std::generic_category().message(errno));
  std::size_t written = 0;
  while (written < content.size()) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int error = errno;
      ::close(fd);
      throw InputError(target, "cannot write: " + std::generic_category().message(error));
    }
    written += static_cast<std::size_t>(n);
  }
  // O_CREAT leaves the mode of a leftover file as it was.
  const bool private_mode = ::fchmod(fd, 0600) == 0;
  if (::close(fd) != 0 || !private_mode)
    throw InputError(target, "cannot write: " + std::generic_category().message(errno));
}

}  // namespace

void WritePrivateFileAtomically(const std::filesystem::path& target, const std::string& content) {
  AtomicFile file(target);
  WritePrivateFile(file.temporary(), content, target);
  file.Commit();
}

bool CreatePrivateFile(const std::filesystem::path& target, const std::string& content) {
  AtomicFile file(target);
  WritePrivateFile(file.temporary(), content, target);
  // link(2) never replaces an existing file, unlike rename(2).
  if (::link(file.temporary().c_str(), target.c_str()) == 0) return true;
  if (errno == EEXIST) return false;
  throw InputError(target, "cannot create: " + std::generic_category().message(errno));
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
