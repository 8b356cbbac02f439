#include "pipeline/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

namespace leptoscan::cli {

Progress::Progress(std::string what, std::string unit)
    : what_(std::move(what)),
      unit_(std::move(unit)),
      enabled_(::isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()),
      last_(start_) {}

Progress::~Progress() {
  if (printed_) std::fputs("\r\033[K", stderr);
}

void Progress::Update(std::size_t done, std::size_t total, const std::string& detail) {
  if (!enabled_ || total == 0) return;
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard<std::mutex> lock(mutex_);
  if (done < total && now - last_ < std::chrono::milliseconds(100)) return;
  last_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double left = done > 0 ? elapsed * static_cast<double>(total - done) / static_cast<double>(done) : 0;
  std::fputs(fmt::format("\r\033[K{}: {}/{} {}, {}{:.0f}%, {:.0f} s left", what_, done, total, unit_,
                         detail.empty() ? "" : detail + ", ",
                         100.0 * static_cast<double>(done) / static_cast<double>(total), left)
                 .c_str(),
             stderr);
  printed_ = true;
}

}  // namespace leptoscan::cli
