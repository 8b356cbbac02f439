// How many threads the image filters (ITK's pool) and the parallel loops (TBB) may use, for as long as
// the object lives: what `--threads` sets. Results do not depend on it (tests/cli/determinism_cli_test.sh).
#pragma once

#include <tbb/global_control.h>

#include <memory>

namespace leptoscan::filters {

class ThreadLimit {
 public:
  // 0: no limit (every core).
  explicit ThreadLimit(unsigned threads);
  ~ThreadLimit();
  ThreadLimit(const ThreadLimit&) = delete;
  ThreadLimit& operator=(const ThreadLimit&) = delete;

 private:
  std::unique_ptr<tbb::global_control> tbb_;
  unsigned itk_before_ = 0;
};

}  // namespace leptoscan::filters
