// `leptoscan slurm` and `leptoscan aggregate`: a cohort as a Slurm job array, one subject per task, each
// task a `leptoscan run` of that subject (the same case runner as batch); the cohort table is collected
// from the case folders once the tasks have finished.
//
// <out>/slurm/job.sh        the sbatch script (array 1-N, resources, a log per task in <out>/slurm/logs/)
// <out>/slurm/cases.tsv     task, subject (its id, pseudonyms.h), folder (its case folder under <out>)
// <out>/slurm/tasks/N.args  the arguments of task N's `leptoscan run`, one per line
// <out>/slurm/jobs.tsv      every submission: job id, array, time
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "io/series_index.h"
#include "pipeline/batch.h"

namespace leptoscan::pipeline {

struct SlurmOptions {
  std::string partition;                   // empty: the cluster's default
  std::string time = "1:00:00";            // per task
  std::string memory = "3G";               // per task
  unsigned cpus = 2;                       // per task
  std::filesystem::path executable;        // leptoscan, as the tasks will run it
  std::vector<std::string> run_arguments;  // passed to every task's `leptoscan run` (--template, ...)
  SubjectIds subject_ids;                  // as the tasks name the subjects (their run_arguments say how)
};

// Writes the job script and the task files (and, with pseudonyms, every subject's row of
// <out>/identifiers.tsv); returns the number of tasks. Throws io::InputError naming a study folder whose
// path cannot be passed through the task files (a newline in it).
std::size_t WriteSlurmJob(const std::vector<io::PatientRecord>& patients, const std::filesystem::path& out,
                          const SlurmOptions& options);

// Runs `sbatch --parsable [--array=ARRAY] job.sh`, records the submission in jobs.tsv and returns the job
// id. Throws std::runtime_error with sbatch's own message when it refuses.
std::string SubmitSlurmJob(const std::filesystem::path& out, const std::string& array = "");

// The cases of the job written into `out`, as their folders are now: finished (scored again from the
// folder, case_runner.h ReadCase), failed (error.json), or not finished (no manifest: the task has not
// run, was cancelled or killed). Throws io::InputError when `out` holds no Slurm job.
BatchResult CollectCases(const std::filesystem::path& out);

// Task numbers (1-based, as in the array) of the cases CollectCases found failed or not finished.
std::vector<std::size_t> FailedTasks(const BatchResult& cases);

}  // namespace leptoscan::pipeline
