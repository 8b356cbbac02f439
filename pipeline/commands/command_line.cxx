#include "pipeline/commands/command_line.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <exception>

#include "pipeline/commands/command.h"

namespace leptoscan::cli {

void LogToStderr(const char* name) {
  auto logger = spdlog::stderr_color_mt(name);
  logger->set_pattern("%^%l%$: %v");
  spdlog::set_default_logger(logger);
}

void AddThreadsOption(CLI::App& app, unsigned& threads) {
  app.add_option("--threads", threads,
                 "Threads in all, for the image filters and the cases together (default: every core); the "
                 "findings, scores and tables are the same on any number")
      ->check(CLI::Range(1, 1024));
}

int ParseAndRun(CLI::App& app, int argc, char** argv, const std::function<int()>& run) {
  bool verbose = false, quiet = false;
  app.add_flag("-v,--verbose", verbose, "Also log debugging detail");
  app.add_flag("-q,--quiet", quiet, "Log errors only");
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kUsageError;
  }
  spdlog::set_level(quiet ? spdlog::level::err : verbose ? spdlog::level::debug : spdlog::level::info);
  try {
    return run();
  } catch (const CLI::Error& e) {
    // Options that only make sense together are checked when the command runs: still a usage error.
    spdlog::error("{}", e.what());
    return kUsageError;
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return kJobFailed;
  }
}

}  // namespace leptoscan::cli
