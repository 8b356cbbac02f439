// A progress line on an interactive terminal ("index: 1200/5000 files, 24%, 3 s left"), nothing when
// stderr is a log file. Safe to update from worker threads.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>

namespace leptoscan::cli {

class Progress {
 public:
  Progress(std::string what, std::string unit);
  ~Progress();
  // `detail` follows the counts, e.g. "1 failed, 2 running".
  void Update(std::size_t done, std::size_t total, const std::string& detail = "");

 private:
  std::string what_;
  std::string unit_;
  bool enabled_;
  bool printed_ = false;
  std::mutex mutex_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_;
};

}  // namespace leptoscan::cli
