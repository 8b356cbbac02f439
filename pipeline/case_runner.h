// The case runner: one subject's DICOM studies to the outputs a researcher reviews, through stages that
// are skipped when their inputs have not changed. Every front door (run, batch, Slurm tasks, eval) calls
// RunCase; none re-implements a stage.
//
// <out>/<subject>/
//   manifest.json, parameters.json         inputs with checksums, parameters, version, stage timings
//   scores.tsv, scores.json                one row / document per follow-up against the baseline
//   report.html                            self-contained: items, key images, nodules, scores (report.h)
//   <YYYYMMDD>/                            one folder per time point, the earliest (or --baseline) first
//     findings.json                        contracts/findings.md
//     segmentation.dcm                     the findings as DICOM SEG on the post-contrast series
//     patterns.nii.gz                      PatternLabel per voxel of the post-contrast grid
//     enhancement.nii.gz, post.nii.gz      enhancement (white-matter units) and the post-contrast T1
//     pre_in_post.nii.gz, pre_to_post.tfm  the pre-contrast T1 registered to the post-contrast one
//     spine_patterns.nii.gz, spine_*       with a sagittal spine T1 pair: SpinePatternLabel per voxel of the
//                                          post-contrast spine grid, its enhancement (cord units), the
//                                          series and spine_pre_to_post.tfm
//     baseline_to_followup.tfm,            follow-ups: the registration to the baseline (fixed: baseline)
//     post_in_baseline.nii.gz, score.json  and the score against the baseline
//     *.stage.json                         the manifest of each stage: a rerun skips a stage whose matches
#pragma once

#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "io/series_index.h"
#include "pipeline/pseudonyms.h"
#include "pipeline/timepoint_analysis.h"
#include "scoring/subject_score.h"

namespace leptoscan::pipeline {

struct CaseOptions {
  DetectionParameters parameters;
  scoring::Profile profile = scoring::Profile::kRanoLm;
  std::string baseline_date;  // YYYYMMDD or YYYY-MM-DD; empty: the earliest study
  bool force = false;         // redo every stage, even those whose manifest matches
  // What identifies the anatomy template in the manifests: a change of template redoes the analyses.
  std::string template_id = "analytic";
  // How the subject is named in its outputs (pseudonyms.h); the front doors use pseudonyms unless asked
  // to keep identifiers. With pseudonyms, the DICOM SEG is de-identified and <out>/identifiers.tsv
  // records the PatientID.
  SubjectIds subject_ids;
  // Called with the subject, the stage and the time point as each stage starts.
  std::function<void(const std::string& subject, const std::string& stage, const std::string& timepoint)>
      on_stage;
};

struct StageRun {
  std::string stage, timepoint;  // timepoint: the study date (YYYYMMDD), empty for subject-wide stages
  double seconds = 0;
  bool skipped = false;  // its manifest matched: the outputs of an earlier run were kept
};

struct CaseTimepoint {
  std::string study_date;  // YYYYMMDD, also the name of its output folder
  scoring::Findings findings;
};

struct CaseResult {
  std::string subject;           // CaseOptions::subject_ids of the PatientID
  std::filesystem::path folder;  // <out>/<SubjectFolderName>
  std::vector<CaseTimepoint> timepoints;
  scoring::SubjectScore score;
  std::vector<StageRun> stages;
};

// A stage that failed, with the message of the error that stopped it (which names the file).
class StageError : public std::runtime_error {
 public:
  StageError(std::string stage, std::string timepoint, const std::string& message);
  const std::string& stage() const { return stage_; }
  const std::string& timepoint() const { return timepoint_; }
  const std::string& message() const { return message_; }

 private:
  std::string stage_, timepoint_, message_;
};

// The output folder name of a subject: its id with every character other than letters, digits, '-', '_'
// and '.' replaced by '_', so that no identifier can lead outside the output folder.
std::string SubjectFolderName(const std::string& subject);

// The series of a study analysed in a role: the first in series order (null when there is none). The
// post-contrast T1 (io::SeriesRole::kT1Post) is the frame of a time point's findings.
const io::SeriesRecord* FirstWithRole(const io::StudyRecord& study, io::SeriesRole role);
// A series decoded as the case runner analyses it (its first volume; warnings logged), which post.nii.gz
// holds for the post-contrast series. Throws io::InputError naming the file.
io::Volume LoadSeries(const io::SeriesRecord& series);

// Analyses every time point of the patient from the baseline on, registers each follow-up to the
// baseline and scores it. Throws StageError.
CaseResult RunCase(const io::PatientRecord& patient, const std::filesystem::path& out,
                   const filters::AnatomyTemplate& anatomy_template, const CaseOptions& options);

// A finished case as a run left it in its folder (manifest.json, parameters.json, the findings and the
// registrations), scored again exactly as the run scored it: how `leptoscan aggregate` collects the cases
// of Slurm tasks. Throws io::InputError naming the file that is missing or wrong.
CaseResult ReadCase(const std::filesystem::path& folder);

}  // namespace leptoscan::pipeline
