// One subject from its DICOM studies to scores: the studies are indexed and ordered by date (the earliest
// is the baseline), the T1 series picked by role, every time point analysed (timepoint_analysis.h), each
// follow-up registered to the baseline and scored against it.
#pragma once

#include <filesystem>
#include <vector>

#include "pipeline/timepoint_analysis.h"
#include "scoring/subject_score.h"

namespace leptoscan::pipeline {

struct TimepointRecord {
  std::string study_date;                         // YYYYMMDD, as in the DICOM
  std::filesystem::path post_series, pre_series;  // first file's folder; pre empty in post-only mode
  TimepointAnalysis analysis;
};

struct SubjectAnalysis {
  std::string subject;
  std::vector<TimepointRecord> timepoints;                      // by date; the first is the baseline
  std::vector<filters::SpatialTransform> baseline_to_followup;  // per follow-up (fixed: baseline post)
  scoring::SubjectScore score;
};

// Throws io::InputError naming the folder when it holds no DICOM study with a post-contrast 3-D T1, or
// studies of more than one patient.
SubjectAnalysis AnalyzeSubject(const std::filesystem::path& folder,
                               const filters::AnatomyTemplate& anatomy_template,
                               const DetectionParameters& parameters = {},
                               scoring::Profile profile = scoring::Profile::kRanoLm);

}  // namespace leptoscan::pipeline
