// Private to io/: parallel loops whose failures are reported deterministically.
#pragma once

#include <tbb/parallel_for.h>

#include <cstddef>
#include <exception>
#include <vector>

namespace leptoscan::io {

// Runs `work` for every index in parallel; rethrows the first failure in index order, so that the
// message does not depend on thread timing.
template <typename Work>
void ParallelForEach(std::size_t count, Work work) {
  std::vector<std::exception_ptr> errors(count);
  tbb::parallel_for(std::size_t{0}, count, [&](std::size_t i) {
    try {
      work(i);
    } catch (...) {
      errors[i] = std::current_exception();
    }
  });
  for (const auto& error : errors) {
    if (error) std::rethrow_exception(error);
  }
}

}  // namespace leptoscan::io
