// leptoscan: one executable, one subcommand per file in pipeline/commands/.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <exception>

#include "pipeline/commands/command.h"

int main(int argc, char** argv) {
  using namespace leptoscan::cli;
  auto logger = spdlog::stderr_color_mt("leptoscan");
  logger->set_pattern("%^%l%$: %v");
  spdlog::set_default_logger(logger);

  CLI::App app{
      "LeptoScan " LEPTOSCAN_VERSION
      ": finds leptomeningeal metastasis patterns on contrast-enhanced MRI and scores response (RANO-LM).",
      "leptoscan"};
  app.set_version_flag("--version", "leptoscan " LEPTOSCAN_VERSION);
  app.require_subcommand(1);
  app.footer("Run 'leptoscan <command> --help' for a command's options and examples.");
  bool verbose = false, quiet = false;
  app.add_flag("-v,--verbose", verbose, "Also log debugging detail");
  app.add_flag("-q,--quiet", quiet, "Log errors only");

  auto commands = AllCommands();
  Command* chosen = nullptr;
  for (auto& command : commands) {
    CLI::App* sub = app.add_subcommand(command->Name(), command->Summary());
    command->Usage(*sub);
    sub->parse_complete_callback([&chosen, c = command.get()] { chosen = c; });
  }
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
    return chosen->Run();
  } catch (const CLI::Error& e) {
    // Options that only make sense together are checked when the command runs: still a usage error.
    spdlog::error("{}", e.what());
    return kUsageError;
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return kJobFailed;
  }
}
