#include "io/atomic_file.h"

#include <unistd.h>

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

}  // namespace leptoscan::io
