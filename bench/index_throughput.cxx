// Header indexing throughput (files per second, warm cache), in-process so that process start-up
// does not count. Usage: index_throughput CORPUS_FOLDER [google-benchmark flags]
#include <benchmark/benchmark.h>

#include <cstdio>
#include <filesystem>

#include "io/series_index.h"

namespace {

std::filesystem::path corpus;

void BM_IndexFolders(benchmark::State& state) {
  std::size_t files = 0;
  for (auto _ : state) {
    const auto index = leptoscan::io::IndexFolders({corpus});
    files = index.dicom_files + index.not_dicom.size() + index.unreadable.size();
    benchmark::DoNotOptimize(index.patients.data());
  }
  state.counters["files"] = static_cast<double>(files);
  state.counters["files_per_s"] =
      benchmark::Counter(static_cast<double>(files * state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_IndexFolders)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (argc != 2) {
    std::fprintf(stderr, "usage: index_throughput CORPUS_FOLDER [benchmark flags]\n");
    return 2;
  }
  corpus = argv[1];
  benchmark::RunSpecifiedBenchmarks();
  return 0;
}
