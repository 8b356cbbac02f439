#include "pipeline/slurm.h"

#include <fcntl.h>
#include <fmt/chrono.h>
#include <fmt/format.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "io/atomic_file.h"
#include "io/errors.h"

extern char** environ;

namespace leptoscan::pipeline {
namespace {

namespace fs = std::filesystem;

fs::path SlurmFolder(const fs::path& out) {
  return out / "slurm";
}

// Single-quoted for bash: a path with spaces or quotes reaches the program unchanged.
std::string ShellQuote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text)
    quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

std::string OneLine(const std::string& argument, const fs::path& context) {
  if (argument.find('\n') != std::string::npos)
    throw io::InputError(context, "holds a newline, which a Slurm task file cannot pass on");
  return argument;
}

struct ProgramResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

// Runs a program without a shell (no quoting to get wrong) and captures what it prints.
ProgramResult RunProgram(const std::vector<std::string>& arguments) {
  int pipe_ends[2];
  if (::pipe(pipe_ends) != 0) throw std::runtime_error("cannot create a pipe for " + arguments.front());
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_ends[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, pipe_ends[1], STDERR_FILENO);
  posix_spawn_file_actions_addclose(&actions, pipe_ends[0]);
  std::vector<char*> argv;
  for (const std::string& argument : arguments)
    argv.push_back(const_cast<char*>(argument.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_ends[1]);
  ProgramResult result;
  if (spawned != 0) {
    ::close(pipe_ends[0]);
    throw std::runtime_error(arguments.front() + ": cannot be started (" + std::strerror(spawned) +
                             "); is Slurm installed on this machine?");
  }
  std::array<char, 4096> buffer;
  for (ssize_t n; (n = ::read(pipe_ends[0], buffer.data(), buffer.size())) > 0;)
    result.output.append(buffer.data(), n);
  ::close(pipe_ends[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

// The folders holding the patient's files: a task indexes only these.
std::vector<fs::path> PatientFolders(const io::PatientRecord& patient) {
  std::set<fs::path> folders;
  for (const io::StudyRecord& study : patient.studies) {
    for (const io::SeriesRecord& series : study.series) {
      for (const fs::path& file : series.files)
        folders.insert(file.parent_path());
    }
  }
  return {folders.begin(), folders.end()};
}

std::string JobScript(const fs::path& out, std::size_t tasks, const SlurmOptions& options) {
  const fs::path slurm = fs::absolute(SlurmFolder(out));
  std::string script = "#!/usr/bin/env bash\n# Written by `leptoscan slurm`: one subject per array task.\n";
  script += "#SBATCH --job-name=leptoscan\n";
  script += fmt::format("#SBATCH --array=1-{}\n", tasks);
  script += fmt::format("#SBATCH --cpus-per-task={}\n#SBATCH --mem={}\n#SBATCH --time={}\n", options.cpus,
                        options.memory, options.time);
  if (!options.partition.empty()) script += fmt::format("#SBATCH --partition={}\n", options.partition);
  script += fmt::format("#SBATCH --output={}\n", (slurm / "logs" / "task-%a-job-%A.log").string());
  script += "set -euo pipefail\n";
  script += fmt::format("mapfile -t arguments < {}/\"${{SLURM_ARRAY_TASK_ID}}.args\"\n",
                        ShellQuote((slurm / "tasks").string()));
  script += fmt::format("exec {} run \"${{arguments[@]}}\"\n", ShellQuote(options.executable.string()));
  return script;
}

std::string NowUtc() {
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}",
                     fmt::gmtime(std::chrono::system_clock::to_time_t(std::chrono::system_clock::now())));
}

}  // namespace

std::size_t WriteSlurmJob(const std::vector<io::PatientRecord>& patients, const fs::path& out,
                          const SlurmOptions& options) {
  const fs::path slurm = SlurmFolder(out);
  fs::create_directories(slurm / "tasks");
  fs::create_directories(slurm / "logs");
  std::string cases = "task\tsubject\tfolder\n";
  for (std::size_t n = 0; n < patients.size(); ++n) {
    const io::PatientRecord& patient = patients[n];
    const std::string subject = options.subject_ids(patient.patient_id);
    if (options.subject_ids.pseudonymous()) RecordIdentifier(out, subject, patient.patient_id);
    // The cohort table is written once, by `leptoscan aggregate`, not by every task.
    std::vector<std::string> arguments{"--no-summary", "--subject", OneLine(subject, slurm / "cases.tsv")};
    arguments.insert(arguments.end(), options.run_arguments.begin(), options.run_arguments.end());
    for (const fs::path& folder : PatientFolders(patient))
      arguments.push_back(OneLine(fs::absolute(folder).string(), folder));
    arguments.push_back(fs::absolute(out).string());
    std::string text;
    for (const std::string& argument : arguments)
      text += argument + "\n";
    io::WriteFileAtomically(slurm / "tasks" / fmt::format("{}.args", n + 1), text);
    cases += fmt::format("{}\t{}\t{}\n", n + 1, subject, SubjectFolderName(subject));
  }
  io::WriteFileAtomically(slurm / "cases.tsv", cases);
  io::WriteFileAtomically(slurm / "job.sh", JobScript(out, patients.size(), options));
  fs::permissions(slurm / "job.sh", fs::perms::owner_exec | fs::perms::group_exec, fs::perm_options::add);
  return patients.size();
}

std::string SubmitSlurmJob(const fs::path& out, const std::string& array) {
  const fs::path script = SlurmFolder(out) / "job.sh";
  if (!fs::exists(script))
    throw io::InputError(script, "does not exist: run `leptoscan slurm` without --resubmit-failed first");
  std::vector<std::string> command{"sbatch", "--parsable"};
  if (!array.empty()) command.push_back("--array=" + array);
  command.push_back(script.string());
  const ProgramResult result = RunProgram(command);
  std::string job = result.output.substr(0, result.output.find_first_of(";\n"));
  if (result.exit_code != 0 || job.empty() || job.find_first_not_of("0123456789") != std::string::npos)
    throw std::runtime_error("sbatch refused " + script.string() + ": " + result.output);
  const fs::path jobs = SlurmFolder(out) / "jobs.tsv";
  std::string record;
  if (std::ifstream in{jobs}) record.assign(std::istreambuf_iterator<char>(in), {});
  if (record.empty()) record = "job_id\tarray\tsubmitted_utc\n";
  record += fmt::format("{}\t{}\t{}\n", job, array.empty() ? "all" : array, NowUtc());
  io::WriteFileAtomically(jobs, record);
  return job;
}

BatchResult CollectCases(const fs::path& out) {
  const fs::path cases_file = SlurmFolder(out) / "cases.tsv";
  std::ifstream in(cases_file);
  if (!in)
    throw io::InputError(cases_file, "cannot be read: is this the output folder of `leptoscan slurm`?");
  BatchResult batch;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::istringstream row(line);
    std::string task, subject, folder;
    if (!std::getline(row, task, '\t') || !std::getline(row, subject, '\t') || !std::getline(row, folder))
      throw io::InputError(cases_file, "malformed row: " + line);
    CaseOutcome outcome;
    outcome.subject = subject;
    outcome.folder = out / folder;
    const fs::path error_file = outcome.folder / "error.json";
    try {
      if (fs::exists(error_file)) {
        std::ifstream error_in(error_file);
        const auto error = nlohmann::json::parse(error_in);
        outcome.error = StageError(error.at("stage"), error.at("timepoint"), error.at("message"));
      } else if (!fs::exists(outcome.folder / "manifest.json")) {
        outcome.error =
            StageError("not finished", "",
                       "no manifest.json: task " + task + " has not run, was cancelled or was killed (see " +
                           (SlurmFolder(out) / "logs").string() + ")");
      } else {
        outcome.result = ReadCase(outcome.folder);
      }
    } catch (const std::exception& e) {
      outcome.error = StageError("aggregate", "", e.what());
    }
    batch.cases.push_back(std::move(outcome));
  }
  return batch;
}

std::vector<std::size_t> FailedTasks(const BatchResult& cases) {
  std::vector<std::size_t> tasks;
  for (std::size_t n = 0; n < cases.cases.size(); ++n) {
    if (cases.cases[n].error) tasks.push_back(n + 1);
  }
  return tasks;
}

}  // namespace leptoscan::pipeline
