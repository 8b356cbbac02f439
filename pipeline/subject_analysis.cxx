#include "pipeline/subject_analysis.h"

#include <spdlog/spdlog.h>

#include "io/dicom_volume.h"
#include "io/errors.h"
#include "io/series_index.h"
#include "scoring/calendar.h"

namespace leptoscan::pipeline {
namespace {

const io::SeriesRecord* FirstWithRole(const io::StudyRecord& study, io::SeriesRole role) {
  for (const io::SeriesRecord& series : study.series) {
    if (series.role == role) return &series;
  }
  return nullptr;
}

io::Volume LoadSeries(const io::SeriesRecord& series) {
  std::vector<io::LoadedVolume> loaded = io::LoadDicomSeries(series.files);
  for (const std::string& warning : loaded.front().warnings)
    spdlog::warn("{}: {}", series.files.front().parent_path().string(), warning);
  return std::move(loaded.front().volume);
}

scoring::AffineMap FollowupToBaseline(const filters::SpatialTransform& baseline_to_followup) {
  const auto m = baseline_to_followup.Matrix();
  const auto o = baseline_to_followup.Offset();
  const scoring::AffineMap::Matrix matrix{{{m[0], m[1], m[2]}, {m[3], m[4], m[5]}, {m[6], m[7], m[8]}}};
  return scoring::AffineMap(matrix, {o[0], o[1], o[2]}).Inverse();
}

}  // namespace

SubjectAnalysis AnalyzeSubject(const std::filesystem::path& folder,
                               const filters::AnatomyTemplate& anatomy_template,
                               const DetectionParameters& parameters, scoring::Profile profile) {
  const io::DicomIndex index = io::IndexFolders({folder});
  if (index.patients.empty()) throw io::InputError(folder, "holds no DICOM image");
  if (index.patients.size() > 1)
    throw io::InputError(folder, "holds studies of " + std::to_string(index.patients.size()) +
                                     " patients; give one subject per folder");
  SubjectAnalysis result;
  result.subject = index.patients.front().patient_id;
  std::vector<io::Volume> posts;
  for (const io::StudyRecord& study : index.patients.front().studies) {
    const io::SeriesRecord* post = FirstWithRole(study, io::SeriesRole::kT1Post);
    if (!post) {
      spdlog::warn("{}: study of {} has no post-contrast 3-D T1; skipped", folder.string(), study.date);
      continue;
    }
    const io::SeriesRecord* pre = FirstWithRole(study, io::SeriesRole::kT1Pre);
    TimepointScans scans;
    scans.subject = result.subject;
    scans.timepoint =
        result.timepoints.empty() ? "baseline" : "followup" + std::to_string(result.timepoints.size());
    scans.date = scoring::DicomDateToIso(study.date);
    scans.post = LoadSeries(*post);
    posts.push_back(scans.post);  // kept for the follow-up to baseline registration
    if (pre) scans.pre = LoadSeries(*pre);
    TimepointRecord record;
    record.study_date = study.date;
    record.post_series = post->files.front().parent_path();
    if (pre) record.pre_series = pre->files.front().parent_path();
    spdlog::info("{} {}: analysing {}{}", result.subject, scans.timepoint,
                 record.post_series.filename().string(),
                 pre ? " with " + record.pre_series.filename().string() : " (no pre-contrast T1)");
    record.analysis = AnalyzeTimepoint(scans, anatomy_template, parameters);
    result.timepoints.push_back(std::move(record));
  }
  if (result.timepoints.empty())
    throw io::InputError(folder,
                         "no study holds a post-contrast 3-D T1 (see `leptoscan index` for the roles)");

  std::vector<scoring::FollowUpInput> followups;
  for (std::size_t t = 1; t < result.timepoints.size(); ++t) {
    const filters::SpatialTransform transform = filters::Register(posts.front(), posts[t]).transform;
    result.baseline_to_followup.push_back(transform);
    followups.push_back({result.timepoints[t].analysis.findings, FollowupToBaseline(transform), ""});
  }
  result.score = scoring::ScoreSubject(result.timepoints.front().analysis.findings, std::move(followups),
                                       profile, parameters.scoring);
  return result;
}

}  // namespace leptoscan::pipeline
