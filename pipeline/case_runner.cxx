#include "pipeline/case_runner.h"

#include <spdlog/spdlog.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>

#include "io/atomic_file.h"
#include "io/checksum.h"
#include "io/dicom_seg.h"
#include "io/dicom_volume.h"
#include "io/errors.h"
#include "io/nifti.h"
#include "pipeline/detection_parameters.h"
#include "pipeline/report.h"
#include "scoring/findings_reader.h"
#include "scoring/findings_writer.h"
#include "scoring/itk_transform.h"
#include "scoring/score_document.h"

namespace leptoscan::pipeline {

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

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

const std::string kSource = std::string("leptoscan ") + LEPTOSCAN_VERSION;

struct SeriesInput {
  const io::SeriesRecord* series = nullptr;
  std::string sha256;
};

struct TimepointInput {
  std::string study_date;
  SeriesInput post, pre;  // pre.series is null when the study has no pre-contrast 3-D T1
  // Sagittal spine T1 after and before contrast, from the study or another of the subject on that date.
  SeriesInput spine_post, spine_pre;
};

std::string CompactDate(const std::string& date) {
  std::string compact;
  for (char c : date) {
    if (c != '-') compact += c;
  }
  return compact;
}

// The first series in a role in the study, else in another study of the patient on the same date (a spine
// examined as a study of its own in the same session).
const io::SeriesRecord* SameDayWithRole(const io::PatientRecord& patient, const io::StudyRecord& study,
                                        io::SeriesRole role) {
  if (const io::SeriesRecord* series = FirstWithRole(study, role)) return series;
  for (const io::StudyRecord& other : patient.studies) {
    if (other.date != study.date) continue;
    if (const io::SeriesRecord* series = FirstWithRole(other, role)) return series;
  }
  return nullptr;
}

// The studies with a post-contrast 3-D T1, from the baseline on.
std::vector<TimepointInput> SelectTimepoints(const io::PatientRecord& patient, const std::string& subject,
                                             const std::string& baseline) {
  std::vector<TimepointInput> timepoints;
  std::string dates;
  for (const io::StudyRecord& study : patient.studies) {
    const io::SeriesRecord* post = FirstWithRole(study, io::SeriesRole::kT1Post);
    if (!post) {
      spdlog::warn("{}: study of {} has no post-contrast 3-D T1; skipped", subject, study.date);
      continue;
    }
    if (!timepoints.empty() && timepoints.back().study_date == study.date) {
      spdlog::warn("{}: a second study on {} ({}); only the first is analysed", subject, study.date,
                   study.study_uid);
      continue;
    }
    dates += (dates.empty() ? "" : ", ") + study.date;
    timepoints.push_back({study.date,
                          {post, {}},
                          {FirstWithRole(study, io::SeriesRole::kT1Pre), {}},
                          {SameDayWithRole(patient, study, io::SeriesRole::kSpineT1Post), {}},
                          {SameDayWithRole(patient, study, io::SeriesRole::kSpineT1Pre), {}}});
  }
  if (timepoints.empty())
    throw std::runtime_error("no study holds a post-contrast 3-D T1 (see `leptoscan index` for the roles)");
  if (baseline.empty()) return timepoints;
  const std::string wanted = CompactDate(baseline);
  for (std::size_t t = 0; t < timepoints.size(); ++t) {
    if (timepoints[t].study_date != wanted) continue;
    if (t > 0) spdlog::warn("{}: {} study(ies) before the baseline {} are not scored", subject, t, wanted);
    timepoints.erase(timepoints.begin(), timepoints.begin() + static_cast<long>(t));
    return timepoints;
  }
  throw std::runtime_error("no study with a post-contrast 3-D T1 is dated " + baseline +
                           " (there are: " + dates + ")");
}

Json SeriesJson(const SeriesInput& input) {
  if (!input.series) return nullptr;
  return Json{{"series_uid", input.series->series_uid},
              {"description", input.series->description},
              {"folder", input.series->files.front().parent_path().string()},
              {"files", input.series->files.size()},
              {"sha256", input.sha256}};
}

// The series a time point is analysed from, in the order the stage key and the manifest record them.
void AddSeriesOf(const TimepointInput& t, Json& into) {
  into["post"] = SeriesJson(t.post);
  into["pre"] = SeriesJson(t.pre);
  into["spine_post"] = SeriesJson(t.spine_post);
  into["spine_pre"] = SeriesJson(t.spine_pre);
}

// A stage's manifest: what it was computed from (the key) and what it wrote. The stage is up to date when
// the key is the same and every output it recorded is still there.
class StageManifest {
 public:
  StageManifest(fs::path file, Json key) : file_(std::move(file)), key_(std::move(key)) {}

  bool UpToDate() const {
    std::ifstream in(file_);
    if (!in) return false;
    const Json recorded = Json::parse(in, nullptr, /*allow_exceptions=*/false);
    if (recorded.is_discarded() || !recorded.contains("key") || recorded["key"] != key_ ||
        !recorded.contains("outputs") || !recorded["outputs"].is_array())
      return false;
    for (const Json& output : recorded["outputs"]) {
      if (!output.is_string() || !fs::exists(file_.parent_path() / output.get<std::string>())) return false;
    }
    return true;
  }

  // Written last, after every output: a stage killed half-way has no manifest and is redone.
  void Write(const std::vector<fs::path>& outputs, double seconds, const Json& steps) const {
    Json names = Json::array();
    for (const fs::path& output : outputs)
      names.push_back(output.filename().string());
    const Json document{{"key", key_}, {"outputs", names}, {"seconds", seconds}, {"steps", steps}};
    io::WriteFileAtomically(file_, document.dump(2) + "\n");
  }

 private:
  fs::path file_;
  Json key_;
};

bool HasFindingLabels(const io::Volume& patterns) {
  return std::any_of(patterns.voxels.begin(), patterns.voxels.end(), [](float label) {
    return label >= kPatternSulcal && label <= kPatternParenchymalNodule;
  });
}

// A run killed while writing leaves its temporary files (io/atomic_file.h); the next run of the case
// starts without them.
void RemovePartialFiles(const fs::path& folder) {
  std::vector<fs::path> partial;
  for (const auto& entry : fs::recursive_directory_iterator(folder)) {
    if (entry.path().filename().string().rfind(".partial-", 0) == 0) partial.push_back(entry.path());
  }
  for (const fs::path& path : partial)
    fs::remove_all(path);
}

double Seconds(std::chrono::steady_clock::time_point start) {
  return std::round(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() * 10) /
         10;
}

// Each follow-up against the baseline, through the registration the case folder holds.
scoring::SubjectScore ScoreTimepoints(const fs::path& folder, const std::vector<CaseTimepoint>& timepoints,
                                      scoring::Profile profile,
                                      const scoring::ScoringParameters& parameters) {
  std::vector<scoring::FollowUpInput> followups;
  for (std::size_t t = 1; t < timepoints.size(); ++t) {
    const fs::path transform = folder / timepoints[t].study_date / "baseline_to_followup.tfm";
    followups.push_back({timepoints[t].findings, scoring::ReadFollowupToBaseline(transform),
                         fs::relative(transform, folder).string()});
  }
  return scoring::ScoreSubject(timepoints.front().findings, std::move(followups), profile, parameters);
}

class CaseRun {
 public:
  CaseRun(const io::PatientRecord& patient, const fs::path& out, const filters::AnatomyTemplate& anatomy,
          const CaseOptions& options)
      : patient_(patient), anatomy_(anatomy), options_(options) {
    result_.subject = options.subject_ids(patient.patient_id);
    result_.folder = out / SubjectFolderName(result_.subject);
  }

  CaseResult Run() {
    const auto start = std::chrono::steady_clock::now();
    Stage("inputs", "", [&] {
      fs::create_directories(result_.folder);
      RemovePartialFiles(result_.folder);
      if (options_.subject_ids.pseudonymous())
        RecordIdentifier(result_.folder.parent_path(), result_.subject, patient_.patient_id);
      timepoints_ = SelectTimepoints(patient_, result_.subject, options_.baseline_date);
      for (TimepointInput& t : timepoints_) {
        t.post.sha256 = io::FilesSha256(t.post.series->files);
        for (SeriesInput* input : {&t.pre, &t.spine_post, &t.spine_pre})
          if (input->series) input->sha256 = io::FilesSha256(input->series->files);
      }
      return false;
    });
    // The time points are independent until the registration to the baseline: two are analysed side by
    // side, as much of an analysis (its registrations) runs on one core. In an arena of their own, so that
    // a core left idle by the cases around (`leptoscan run`, a Slurm task) joins; in a full batch the
    // caller analyses them in turn.
    std::vector<CaseTimepoint> analysed(timepoints_.size());
    std::vector<StageRun> runs(timepoints_.size());
    tbb::task_arena side_by_side(static_cast<int>(std::clamp<std::size_t>(timepoints_.size(), 1, 2)));
    side_by_side.execute([&] {
      tbb::parallel_for(
          std::size_t{0}, timepoints_.size(),
          [&](std::size_t i) {
            const TimepointInput& t = timepoints_[i];
            runs[i] = Timed("analysis", t.study_date, [&] { return Analyse(t, i, analysed[i]); });
          },
          tbb::simple_partitioner());
    });
    result_.stages.insert(result_.stages.end(), runs.begin(), runs.end());
    result_.timepoints = std::move(analysed);
    for (std::size_t t = 1; t < timepoints_.size(); ++t) {
      Stage("registration", timepoints_[t].study_date, [&] { return RegisterToBaseline(timepoints_[t]); });
    }
    Stage("score", "", [&] {
      result_.score =
          ScoreTimepoints(result_.folder, result_.timepoints, options_.profile, options_.parameters.scoring);
      WriteScores();
      return false;
    });
    WriteManifest(Seconds(start));
    // Last: the report shows the manifest's stage timings.
    Stage("report", "", [&] {
      WriteSubjectReport(result_.folder);
      return false;
    });
    return std::move(result_);
  }

 private:
  fs::path Folder(const TimepointInput& t) const { return result_.folder / t.study_date; }

  // Runs one stage and times it, turning any error into a StageError naming the stage. `work` returns
  // whether it found the stage up to date.
  template <typename Work>
  StageRun Timed(const std::string& stage, const std::string& timepoint, Work work) const {
    if (options_.on_stage) options_.on_stage(result_.subject, stage, timepoint);
    const auto start = std::chrono::steady_clock::now();
    try {
      const bool skipped = work();
      return {stage, timepoint, Seconds(start), skipped};
    } catch (const std::exception& e) {
      throw StageError(stage, timepoint, e.what());
    }
  }

  // Runs one stage after the others and records it.
  template <typename Work>
  void Stage(const std::string& stage, const std::string& timepoint, Work work) {
    result_.stages.push_back(Timed(stage, timepoint, work));
  }

  // The analysis of time point `index` (0: the baseline) into `analysed`.
  bool Analyse(const TimepointInput& t, std::size_t index, CaseTimepoint& analysed) const {
    const fs::path folder = Folder(t);
    fs::create_directories(folder);
    Json key{{"source", kSource},
             {"template", options_.template_id},
             // Scoring parameters are left out: changing them rescores without redoing the analyses.
             {"parameters", Json::parse(DetectionParametersJson(options_.parameters))["detection"]}};
    AddSeriesOf(t, key);
    const StageManifest manifest(folder / "analysis.stage.json", key);
    const fs::path findings_file = folder / "findings.json";
    if (!options_.force && manifest.UpToDate()) {
      analysed = {t.study_date, scoring::ReadFindings(findings_file)};
      return true;
    }
    const auto start = std::chrono::steady_clock::now();
    TimepointScans scans;
    scans.subject = result_.subject;
    scans.timepoint = index == 0 ? "baseline" : "followup" + std::to_string(index);
    scans.date =
        t.study_date.substr(0, 4) + "-" + t.study_date.substr(4, 2) + "-" + t.study_date.substr(6, 2);
    scans.post = LoadSeries(*t.post.series);
    if (t.pre.series) scans.pre = LoadSeries(*t.pre.series);
    if (t.spine_post.series) scans.spine_post = LoadSeries(*t.spine_post.series);
    if (t.spine_pre.series) scans.spine_pre = LoadSeries(*t.spine_pre.series);
    spdlog::info(
        "{} {}: analysing {}{}", result_.subject, t.study_date, t.post.series->description,
        t.pre.series ? " with " + t.pre.series->description : " (no pre-contrast T1: post-only mode)");
    TimepointAnalysis analysis = AnalyzeTimepoint(scans, anatomy_, options_.parameters);

    std::vector<fs::path> outputs{findings_file};
    const auto nifti = [&](const io::Volume& volume, const char* name, io::NiftiDataType type) {
      outputs.push_back(folder / name);
      io::WriteNifti(volume, outputs.back(), type);
    };
    scoring::WriteFindings(analysis.findings, findings_file);
    nifti(analysis.patterns, "patterns.nii.gz", io::NiftiDataType::kInt16);
    nifti(analysis.enhancement, "enhancement.nii.gz", io::NiftiDataType::kFloat32);
    nifti(scans.post, "post.nii.gz", io::NiftiDataType::kFloat32);
    if (t.pre.series) {
      nifti(*analysis.pre_on_post, "pre_in_post.nii.gz", io::NiftiDataType::kFloat32);
      outputs.push_back(folder / "pre_to_post.tfm");
      filters::WriteTransformFile(*analysis.pre_to_post, outputs.back());
    }
    if (analysis.spine) {
      // The spine beside the brain, on the post-contrast spine grid: its own pattern map (SpinePatternLabel).
      nifti(analysis.spine->patterns, "spine_patterns.nii.gz", io::NiftiDataType::kInt16);
      nifti(analysis.spine->enhancement, "spine_enhancement.nii.gz", io::NiftiDataType::kFloat32);
      nifti(*scans.spine_post, "spine_post.nii.gz", io::NiftiDataType::kFloat32);
      outputs.push_back(folder / "spine_pre_to_post.tfm");
      filters::WriteTransformFile(analysis.spine->pre_to_post, outputs.back());
    }
    // The findings as a DICOM Segmentation on the post-contrast series, for a PACS; a time point without
    // findings has none (a SEG needs a segment).
    fs::remove(folder / "segmentation.dcm");
    if (HasFindingLabels(analysis.patterns)) {
      outputs.push_back(folder / "segmentation.dcm");
      io::SegmentationOptions segmentation;
      if (options_.subject_ids.pseudonymous()) segmentation.pseudonym = result_.subject;
      io::WriteDicomSegmentation(analysis.patterns, t.post.series->files, io::LeptomeningealSegments(),
                                 outputs.back(), segmentation);
    }
    Json steps = Json::object();
    for (const auto& [step, seconds] : analysis.stage_seconds)
      steps[step] = std::round(seconds * 10) / 10;
    manifest.Write(outputs, Seconds(start), steps);
    analysed = {t.study_date, std::move(analysis.findings)};
    return false;
  }

  bool RegisterToBaseline(const TimepointInput& t) {
    const fs::path baseline = Folder(timepoints_.front()), folder = Folder(t);
    const std::vector<fs::path> outputs{folder / "baseline_to_followup.tfm",
                                        folder / "post_in_baseline.nii.gz"};
    const Json key{{"source", kSource},
                   {"baseline_post", SeriesJson(timepoints_.front().post)},
                   {"followup_post", SeriesJson(t.post)}};
    const StageManifest manifest(folder / "registration.stage.json", key);
    if (!options_.force && manifest.UpToDate()) return true;
    const auto start = std::chrono::steady_clock::now();
    const io::Volume fixed = io::ReadNifti(baseline / "post.nii.gz");
    const io::Volume moving = io::ReadNifti(folder / "post.nii.gz");
    const filters::RegistrationResult registration = filters::Register(fixed, moving);
    filters::WriteTransformFile(registration.transform, outputs[0]);
    io::WriteNifti(filters::ResampleOnto(moving, fixed.geometry, registration.transform), outputs[1],
                   io::NiftiDataType::kFloat32);
    manifest.Write(outputs, Seconds(start), Json{{"final_metric", registration.final_metric}});
    return false;
  }

  void WriteScores() const {
    // A baseline chosen later than an earlier run's keeps no score of its own.
    fs::remove(Folder(timepoints_.front()) / "score.json");
    for (std::size_t f = 0; f < result_.score.followups.size(); ++f) {
      io::WriteFileAtomically(result_.folder / timepoints_[f + 1].study_date / "score.json",
                              scoring::ScoreDocumentJson(result_.score, f));
    }
    io::WriteFileAtomically(result_.folder / "scores.json", scoring::ScoreSeriesJson(result_.score));
    io::WriteFileAtomically(result_.folder / "scores.tsv", scoring::ScoreTsv(result_.score));
  }

  void WriteManifest(double seconds) const {
    Json inputs = Json::array();
    for (const TimepointInput& t : timepoints_) {
      Json input{{"date", t.study_date}};
      AddSeriesOf(t, input);
      inputs.push_back(std::move(input));
    }
    Json stages = Json::array();
    for (const StageRun& s : result_.stages) {
      stages.push_back({{"stage", s.stage},
                        {"timepoint", s.timepoint},
                        {"seconds", s.seconds},
                        {"status", s.skipped ? "skipped" : "run"}});
    }
    Json timepoints = Json::array();
    for (const CaseTimepoint& t : result_.timepoints)
      timepoints.push_back({{"date", t.study_date}, {"folder", t.study_date}});
    const Json manifest{{"schema", "leptoscan.manifest/1"},
                        {"subject", result_.subject},
                        {"source", kSource},
                        {"profile", std::string(scoring::ProfileName(options_.profile))},
                        {"template", options_.template_id},
                        {"parameters_file", "parameters.json"},
                        {"inputs", inputs},
                        {"timepoints", timepoints},
                        {"stages", stages},
                        {"seconds", seconds}};
    io::WriteFileAtomically(result_.folder / "parameters.json", DetectionParametersJson(options_.parameters));
    io::WriteFileAtomically(result_.folder / "manifest.json", manifest.dump(2) + "\n");
  }

  const io::PatientRecord& patient_;
  const filters::AnatomyTemplate& anatomy_;
  const CaseOptions& options_;
  std::vector<TimepointInput> timepoints_;
  CaseResult result_;
};

}  // namespace

StageError::StageError(std::string stage, std::string timepoint, const std::string& message)
    : std::runtime_error(stage + (timepoint.empty() ? "" : " " + timepoint) + ": " + message),
      stage_(std::move(stage)),
      timepoint_(std::move(timepoint)),
      message_(message) {}

std::string SubjectFolderName(const std::string& subject) {
  std::string name;
  for (char c : subject) {
    const bool safe = std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
    name += safe ? c : '_';
  }
  if (name.empty() || name.find_first_not_of('.') == std::string::npos) name = "_" + name;
  return name;
}

CaseResult ReadCase(const fs::path& folder) {
  const fs::path manifest_file = folder / "manifest.json";
  std::ifstream in(manifest_file);
  if (!in) throw io::InputError(manifest_file, "cannot be read: the case has not finished");
  const Json manifest = Json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (manifest.is_discarded()) throw io::InputError(manifest_file, "is not valid JSON");
  CaseResult result;
  result.folder = folder;
  try {
    result.subject = manifest.at("subject").get<std::string>();
    for (const Json& t : manifest.at("timepoints")) {
      const std::string date = t.at("date").get<std::string>();
      result.timepoints.push_back({date, scoring::ReadFindings(folder / date / "findings.json")});
    }
    for (const Json& s : manifest.at("stages")) {
      result.stages.push_back({s.at("stage").get<std::string>(), s.at("timepoint").get<std::string>(),
                               s.at("seconds").get<double>(), s.at("status") == "skipped"});
    }
    const std::optional<scoring::Profile> profile =
        scoring::ParseProfile(manifest.at("profile").get<std::string>());
    if (!profile) throw io::InputError(manifest_file, "unknown profile");
    result.score = ScoreTimepoints(folder, result.timepoints, *profile,
                                   ReadDetectionParameters(folder / "parameters.json").scoring);
  } catch (const Json::exception& e) {
    throw io::InputError(manifest_file, std::string("is not a case manifest: ") + e.what());
  }
  return result;
}

CaseResult RunCase(const io::PatientRecord& patient, const fs::path& out,
                   const filters::AnatomyTemplate& anatomy_template, const CaseOptions& options) {
  return CaseRun(patient, out, anatomy_template, options).Run();
}

}  // namespace leptoscan::pipeline
