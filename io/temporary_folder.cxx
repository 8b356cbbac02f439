#include "io/temporary_folder.h"

#include <stdlib.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include "io/errors.h"

namespace leptoscan::io {

TemporaryFolder::TemporaryFolder(const std::string& prefix) {
  std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
  if (!mkdtemp(pattern.data()))
    throw InputError(pattern, std::string("cannot create: ") + std::strerror(errno));
  path_ = pattern;
}

TemporaryFolder::~TemporaryFolder() {
  std::error_code ignored;  // a destructor must not throw; a leftover folder in /tmp harms nothing
  std::filesystem::remove_all(path_, ignored);
}

}  // namespace leptoscan::io
