// What every LeptoScan executable does around its work (leptoscan, leptoscan-view): logs on stderr as
// "level: message", -v/-q, and the exit codes of design.md (0 done, 1 the job failed, 2 usage error).
#pragma once

#include <functional>

namespace CLI {
class App;
}

namespace leptoscan::cli {

// The default logger writes "<level>: <message>" to stderr under `name`.
void LogToStderr(const char* name);

// Adds --threads N to a command that analyses images: at most N threads for the image filters and the
// parallel loops together (filters/thread_limit.h); 0, the default, is every core.
void AddThreadsOption(CLI::App& app, unsigned& threads);

// Adds -v/--verbose and -q/--quiet to `app`, parses the command line (--help and --version exit 0, a parse
// error 2), sets the log level and returns what `run` returns; an exception from `run` is logged and gives
// 2 for a CLI11 error (options that only make sense together), 1 for anything else.
int ParseAndRun(CLI::App& app, int argc, char** argv, const std::function<int()>& run);

}  // namespace leptoscan::cli
