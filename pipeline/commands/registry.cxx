#include "pipeline/commands/command.h"

namespace leptoscan::cli {

std::unique_ptr<Command> MakeIndexCommand();
std::unique_ptr<Command> MakeConvertCommand();
std::unique_ptr<Command> MakeScoreCommand();
std::unique_ptr<Command> MakePhantomCommand();
std::unique_ptr<Command> MakeRegisterCommand();
std::unique_ptr<Command> MakeEvalCommand();
std::unique_ptr<Command> MakeRunCommand();
std::unique_ptr<Command> MakeBatchCommand();
std::unique_ptr<Command> MakeSlurmCommand();
std::unique_ptr<Command> MakeAggregateCommand();
std::unique_ptr<Command> MakeReportCommand();

std::vector<std::unique_ptr<Command>> AllCommands() {
  std::vector<std::unique_ptr<Command>> commands;
  commands.push_back(MakeIndexCommand());
  commands.push_back(MakeConvertCommand());
  commands.push_back(MakeScoreCommand());
  commands.push_back(MakePhantomCommand());
  commands.push_back(MakeRegisterCommand());
  commands.push_back(MakeRunCommand());
  commands.push_back(MakeBatchCommand());
  commands.push_back(MakeSlurmCommand());
  commands.push_back(MakeAggregateCommand());
  commands.push_back(MakeEvalCommand());
  commands.push_back(MakeReportCommand());
  return commands;
}

}  // namespace leptoscan::cli
