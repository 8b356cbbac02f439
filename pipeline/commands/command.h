// A `leptoscan` subcommand, in the style of MRtrix3's cmd/*.cpp: Usage() declares the arguments, the
// description and the examples; Run() does the work. Each command lives in its own file.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace leptoscan::cli {

// Exit codes shared by every command.
enum ExitCode : int { kSuccess = 0, kJobFailed = 1, kUsageError = 2 };

class Command {
 public:
  virtual ~Command() = default;
  virtual const char* Name() const = 0;
  virtual const char* Summary() const = 0;
  // Declares options and positional arguments, the long description and the examples.
  virtual void Usage(CLI::App& app) = 0;
  // Runs after a successful parse; throws on failure (reported as exit code 1) or returns an exit code.
  virtual int Run() = 0;
};

std::vector<std::unique_ptr<Command>> AllCommands();

}  // namespace leptoscan::cli
