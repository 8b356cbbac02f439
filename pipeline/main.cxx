// leptoscan: one executable, one subcommand per file in pipeline/commands/.
#include <CLI/CLI.hpp>

#include "pipeline/commands/command.h"
#include "pipeline/commands/command_line.h"

int main(int argc, char** argv) {
  using namespace leptoscan::cli;
  LogToStderr("leptoscan");

  CLI::App app{
      "LeptoScan " LEPTOSCAN_VERSION
      ": finds leptomeningeal metastasis patterns on contrast-enhanced MRI and scores response (RANO-LM).",
      "leptoscan"};
  app.set_version_flag("--version", "leptoscan " LEPTOSCAN_VERSION);
  app.require_subcommand(1);
  app.footer("Run 'leptoscan <command> --help' for a command's options and examples.");

  auto commands = AllCommands();
  Command* chosen = nullptr;
  for (auto& command : commands) {
    CLI::App* sub = app.add_subcommand(command->Name(), command->Summary());
    command->Usage(*sub);
    sub->parse_complete_callback([&chosen, c = command.get()] { chosen = c; });
  }
  return ParseAndRun(app, argc, argv, [&chosen] { return chosen->Run(); });
}
