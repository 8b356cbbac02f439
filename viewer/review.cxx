#include "viewer/review.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <stdexcept>

#include "io/atomic_file.h"
#include "io/errors.h"
#include "io/json_file.h"
#include "io/nifti.h"
#include "io/series_index.h"
#include "pipeline/case_runner.h"
#include "pipeline/detection_parameters.h"
#include "pipeline/subject_outputs.h"
#include "scoring/errors.h"
#include "scoring/findings_reader.h"
#include "scoring/findings_writer.h"
#include "scoring/parameters.h"

namespace leptoscan::viewer {
namespace {

namespace fs = std::filesystem;
using scoring::Decision;

constexpr const char* kItemPrefix = "items.";
constexpr const char* kReader = "the viewer";

std::optional<scoring::Item> ItemOf(const std::string& id) {
  if (id.rfind(kItemPrefix, 0) != 0) return std::nullopt;
  for (scoring::Item item : scoring::kItems) {
    if (id.substr(std::char_traits<char>::length(kItemPrefix)) == scoring::ItemName(item)) return item;
  }
  return std::nullopt;
}

std::string ItemId(scoring::Item item) {
  return kItemPrefix + std::string(scoring::ItemName(item));
}

double Length(const RulerLine& line) {
  double sum = 0;
  for (int a = 0; a < 3; ++a)
    sum += (line.to[a] - line.from[a]) * (line.to[a] - line.from[a]);
  return std::sqrt(sum);
}

// The same lesion as far as a findings document shows it (lengths and areas are written to 0.01).
bool SameLesion(const scoring::Lesion& a, const scoring::Lesion& b) {
  const auto near = [](double x, double y) { return std::abs(x - y) < 0.006; };
  bool same = a.kind == b.kind && a.compartment == b.compartment && a.location == b.location &&
              near(a.extent_mm2, b.extent_mm2);
  for (int i = 0; i < 3; ++i)
    same = same && near(a.center_mm[i], b.center_mm[i]);
  for (int i = 0; i < 2; ++i)
    same = same && near(a.diameters_mm[i], b.diameters_mm[i]);
  return same;
}

std::string LesionDescription(const scoring::Lesion& lesion) {
  std::string text(scoring::LesionKindName(lesion.kind));
  if (!lesion.location.empty()) text += ", " + lesion.location;
  if (lesion.kind != scoring::LesionKind::kNodule)
    return text + fmt::format(", {:.1f} mm2", lesion.extent_mm2);
  text += fmt::format(", {:.1f} x {:.1f} mm", lesion.diameters_mm[0], lesion.diameters_mm[1]);
  return text + (Measurable(lesion) ? ", measurable" : ", not measurable") +
         (lesion.measurable ? " (reader)" : "");
}

std::string ItemDescription(const scoring::ItemFinding& item) {
  std::string text = "item " + std::string(scoring::StatusName(item.status));
  if (item.extent_mm2) text += fmt::format(", {:.1f} mm2", *item.extent_mm2);
  if (item.evans_index) text += fmt::format(", Evans index {:.2f}", *item.evans_index);
  for (const std::string& nerve : item.nerves)
    text += ", " + nerve;
  return text;
}

}  // namespace

bool Measurable(const scoring::Lesion& nodule) {
  const scoring::ScoringParameters rano;  // the rano-lm limits, as the report shows them
  return scoring::IsMeasurableNodule(nodule, rano.measurable_mm, rano.measurable_inclusive);
}

std::array<double, 2> RulerDiameters(const RulerLine& a, const RulerLine& b, double tolerance_deg) {
  const double la = Length(a), lb = Length(b);
  if (la < 1e-6 || lb < 1e-6) throw std::invalid_argument("a ruler line has no length");
  double dot = 0;
  for (int i = 0; i < 3; ++i)
    dot += (a.to[i] - a.from[i]) * (b.to[i] - b.from[i]);
  const double off_perpendicular = std::asin(std::min(1.0, std::abs(dot) / (la * lb))) * 180 / M_PI;
  if (off_perpendicular > tolerance_deg)
    throw std::invalid_argument(
        fmt::format("the ruler lines are {:.1f} degrees away from perpendicular (at most {:g} allowed)",
                    off_perpendicular, tolerance_deg));
  return {std::max(la, lb), std::min(la, lb)};
}

std::string UtcNow() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

namespace {
const fs::path& ExistingTimepoint(const fs::path& folder) {
  if (!fs::is_directory(folder)) throw io::InputError(folder, "missing: the manifest lists this time point");
  return folder;
}
}  // namespace

TimepointReview::TimepointReview(const fs::path& folder)
    : TimepointReview(ExistingTimepoint(folder) / "findings.json", folder / "review.json") {}

TimepointReview::TimepointReview(fs::path findings_file, fs::path review_file)
    : findings_file_(std::move(findings_file)), review_file_(std::move(review_file)) {
  original_ = scoring::ReadFindings(pipeline::RequiredFile(findings_file_, kReader));
  if (original_.review)
    throw io::InputError(findings_file_, "holds a review; the findings it reviews were expected");
  if (fs::exists(ReviewFile())) {
    const scoring::Findings saved = scoring::ReadFindings(ReviewFile());
    for (const scoring::FindingReview& review :
         saved.review ? saved.review->decisions : std::vector<scoring::FindingReview>{}) {
      Decided decided{review, {}, {}};
      // Decisions hold for the findings the reviewer saw: a rerun of the pipeline may have changed them.
      const auto stale = [&] {
        return io::InputError(ReviewFile(),
                              fmt::format("{} has changed in findings.json since this review; move "
                                          "review.json away to review the new findings",
                                          review.finding));
      };
      if (const auto item = ItemOf(review.finding)) {
        decided.item = saved.item(*item);
        const scoring::ItemFinding& seen = review.original_item ? *review.original_item : *decided.item;
        if (seen.status != original_.status(*item)) throw stale();
      } else {
        const scoring::Lesion* original = OriginalLesion(review.finding);
        if (!original) throw stale();
        for (const scoring::Lesion& lesion : saved.lesions) {
          if (lesion.id == review.finding) decided.lesion = lesion;
        }
        const scoring::Lesion& seen = review.original_lesion ? *review.original_lesion : *decided.lesion;
        if (!SameLesion(seen, *original)) throw stale();
      }
      decisions_.push_back(std::move(decided));
    }
  }
  Rebuild();
}

const scoring::Lesion* TimepointReview::OriginalLesion(const std::string& id) const {
  for (const scoring::Lesion& lesion : original_.lesions) {
    if (lesion.id == id) return &lesion;
  }
  return nullptr;
}

void TimepointReview::Rebuild() {
  scoring::Findings reviewed = original_;
  // The findings reviewed, relative to the review (findings.json beside it).
  const fs::path reviewed_file =
      fs::absolute(findings_file_).lexically_relative(fs::absolute(review_file_).parent_path());
  scoring::Review review{reviewed_file.generic_string(), {}};
  for (const Decided& decided : decisions_) {
    scoring::FindingReview record = decided.review;
    if (const auto item = ItemOf(record.finding)) {
      record.original_item.reset();
      if (record.decision != Decision::kAccepted) record.original_item = original_.item(*item);
      reviewed.items[static_cast<std::size_t>(*item)] = *decided.item;
    } else {
      record.original_lesion.reset();
      if (record.decision != Decision::kAccepted) record.original_lesion = *OriginalLesion(record.finding);
      auto& lesions = reviewed.lesions;
      const auto at = std::find_if(lesions.begin(), lesions.end(), [&](const scoring::Lesion& lesion) {
        return lesion.id == record.finding;
      });
      if (decided.lesion)
        *at = *decided.lesion;
      else
        lesions.erase(at);
    }
    review.decisions.push_back(std::move(record));
  }
  reviewed.review = std::move(review);
  // What is saved must be a document every reader accepts: read it back, as the writer does.
  reviewed.file = ReviewFile().string();
  scoring::ParseFindings(scoring::FindingsToJson(reviewed).dump(), ReviewFile().string());
  reviewed_ = std::move(reviewed);
}

void TimepointReview::RebuildOrRestore(const std::vector<Decided>& before) {
  try {
    Rebuild();
  } catch (const scoring::DocumentError& e) {
    decisions_ = before;
    throw std::invalid_argument(e.what());
  }
}

void TimepointReview::Decide(Decided decided) {
  const auto earlier = std::find_if(decisions_.begin(), decisions_.end(), [&](const Decided& d) {
    return d.review.finding == decided.review.finding;
  });
  if (earlier != decisions_.end())
    *earlier = std::move(decided);
  else
    decisions_.push_back(std::move(decided));
}

void TimepointReview::Accept(const std::string& id, const std::string& reviewer, const std::string& at) {
  const std::vector<Decided> before = decisions_;
  Decided decided{{id, Decision::kAccepted, reviewer, at, {}, {}}, {}, {}};
  if (const auto item = ItemOf(id)) {
    decided.item = original_.item(*item);
  } else if (const scoring::Lesion* lesion = OriginalLesion(id)) {
    decided.lesion = *lesion;
    for (const Decided& d : decisions_) {
      if (d.review.finding == id && d.review.decision == Decision::kEdited) {
        decided.review.decision = Decision::kEdited;
        decided.lesion = d.lesion;
      }
    }
  } else {
    throw std::invalid_argument(fmt::format("no finding {} in {}", id, original_.file));
  }
  Decide(std::move(decided));
  RebuildOrRestore(before);
}

void TimepointReview::Reject(const std::string& id, const std::string& reviewer, const std::string& at) {
  const std::vector<Decided> before = decisions_;
  const auto reject_item = [&](scoring::Item item) {
    scoring::ItemFinding absent;
    absent.status = scoring::Status::kAbsent;
    absent.evans_index = original_.item(item).evans_index;
    Decide({{ItemId(item), Decision::kRejected, reviewer, at, {}, {}}, {}, absent});
  };
  if (const auto item = ItemOf(id)) {
    if (original_.status(*item) != scoring::Status::kPresent)
      throw std::invalid_argument(fmt::format("{} is {} in {}: there is nothing to reject", id,
                                              scoring::StatusName(original_.status(*item)), original_.file));
    reject_item(*item);
    for (const scoring::Lesion& lesion : reviewed_.lesions) {
      if (lesion.ScoredItem() == item)
        Decide({{lesion.id, Decision::kRejected, reviewer, at, {}, {}}, {}, {}});
    }
  } else if (const scoring::Lesion* lesion = OriginalLesion(id)) {
    Decide({{id, Decision::kRejected, reviewer, at, {}, {}}, {}, {}});
    const auto its_item = lesion->ScoredItem();
    const bool item_decided =
        its_item && std::any_of(decisions_.begin(), decisions_.end(),
                                [&](const Decided& d) { return d.review.finding == ItemId(*its_item); });
    const bool others =
        std::any_of(reviewed_.lesions.begin(), reviewed_.lesions.end(),
                    [&](const scoring::Lesion& l) { return l.id != id && l.ScoredItem() == its_item; });
    if (its_item && !item_decided && !others && original_.status(*its_item) == scoring::Status::kPresent)
      reject_item(*its_item);
  } else {
    throw std::invalid_argument(fmt::format("no finding {} in {}", id, original_.file));
  }
  RebuildOrRestore(before);
}

void TimepointReview::Edit(const std::string& id, const LesionEdit& edit, const std::string& reviewer,
                           const std::string& at) {
  if (ItemOf(id))
    throw std::invalid_argument(fmt::format("{} is an item: items are accepted or rejected", id));
  const scoring::Lesion* original = OriginalLesion(id);
  if (!original) throw std::invalid_argument(fmt::format("no lesion {} in {}", id, original_.file));
  scoring::Lesion lesion = *original;
  for (const scoring::Lesion& now : reviewed_.lesions) {
    if (now.id == id) lesion = now;
  }
  if (edit.location) lesion.location = *edit.location;
  if (edit.measurable) lesion.measurable = *edit.measurable;
  if (edit.diameters_mm) {
    if (lesion.kind != scoring::LesionKind::kNodule)
      throw std::invalid_argument(fmt::format("{} is a {} lesion: only nodules have diameters", id,
                                              scoring::LesionKindName(lesion.kind)));
    const auto [low, high] = std::minmax((*edit.diameters_mm)[0], (*edit.diameters_mm)[1]);
    lesion.diameters_mm = {high, low};
  }
  const std::vector<Decided> before = decisions_;
  Decide({{id, Decision::kEdited, reviewer, at, {}, {}}, lesion, {}});
  RebuildOrRestore(before);
}

std::vector<FindingEntry> TimepointReview::Entries() const {
  const auto decision_on = [this](const std::string& id) -> std::optional<Decision> {
    for (const Decided& d : decisions_) {
      if (d.review.finding == id) return d.review.decision;
    }
    return std::nullopt;
  };
  std::vector<FindingEntry> entries;
  for (scoring::Item item : scoring::kItems) {
    const std::string id = ItemId(item);
    if (original_.status(item) != scoring::Status::kPresent && !decision_on(id)) continue;
    entries.push_back({id, ItemDescription(reviewed_.item(item)), std::nullopt, decision_on(id)});
  }
  for (const scoring::Lesion& original : original_.lesions) {
    const scoring::Lesion* now = &original;
    for (const scoring::Lesion& lesion : reviewed_.lesions) {
      if (lesion.id == original.id) now = &lesion;
    }
    entries.push_back({original.id, LesionDescription(*now), now->center_mm, decision_on(original.id)});
  }
  return entries;
}

fs::path TimepointReview::Save() const {
  std::error_code error;
  if (review_file_.has_parent_path()) fs::create_directories(review_file_.parent_path(), error);
  if (error) throw io::InputError(review_file_, "cannot create its folder: " + error.message());
  io::WriteFileAtomically(ReviewFile(), scoring::FindingsToJson(reviewed_).dump(2) + "\n");
  return ReviewFile();
}

struct SubjectReview::Images {
  std::optional<io::Volume> post, patterns;
  std::optional<InBaseline> in_baseline;
};

SubjectReview::SubjectReview(const fs::path& subject_folder) : folder_(subject_folder) {
  const pipeline::SubjectManifest manifest = pipeline::ReadSubjectManifest(subject_folder, kReader);
  subject_ = manifest.subject;
  for (const std::string& name : manifest.folders) {
    timepoints_.emplace_back(subject_folder / name);
    images_.push_back(std::make_unique<Images>());
  }
}

namespace {

// Whether `path` is `folder` or lies under it (symbolic links resolved as far as the path exists).
bool Inside(const fs::path& path, const fs::path& folder) {
  const fs::path p = fs::weakly_canonical(path), f = fs::weakly_canonical(folder);
  return std::mismatch(f.begin(), f.end(), p.begin(), p.end()).first == f.end();
}

std::string CompactDate(std::string date) {
  date.erase(std::remove(date.begin(), date.end(), '-'), date.end());
  return date;
}

// The study's post-contrast T1 series the findings are about: the only one, or the one of their date.
const io::SeriesRecord& PostContrastSeries(const io::DicomIndex& index, const fs::path& folder,
                                           const scoring::Findings& findings) {
  std::vector<std::pair<const io::StudyRecord*, const io::SeriesRecord*>> posts;
  for (const io::PatientRecord& patient : index.patients) {
    for (const io::StudyRecord& study : patient.studies) {
      if (const io::SeriesRecord* post = pipeline::FirstWithRole(study, io::SeriesRole::kT1Post))
        posts.emplace_back(&study, post);
    }
  }
  if (posts.empty()) {
    std::string roles;
    for (const io::SeriesRecord* series : index.AllSeries())
      roles += fmt::format("{}\"{}\" {}", roles.empty() ? "" : ", ", series->description,
                           io::RoleName(series->role));
    throw io::InputError(
        folder, index.dicom_files == 0
                    ? "holds no DICOM image"
                    : fmt::format("holds no post-contrast T1 series (series: {}); `leptoscan index` shows "
                                  "why each got its role, --roles overrides them",
                                  roles));
  }
  if (posts.size() == 1) {
    const io::StudyRecord& study = *posts.front().first;
    if (study.date != CompactDate(findings.date))
      spdlog::warn("{} is dated {}, the study of {} {}", findings.file, findings.date, folder.string(),
                   study.date);
    return *posts.front().second;
  }
  std::string dates;
  for (const auto& [study, post] : posts) {
    if (study->date == CompactDate(findings.date)) return *post;
    dates += (dates.empty() ? "" : ", ") + study->date;
  }
  throw io::InputError(folder,
                       fmt::format("holds studies with a post-contrast T1 on {}, none on the date of {} "
                                   "({}): give the folder of one study",
                                   dates, findings.file, findings.date));
}

}  // namespace

SubjectReview::SubjectReview(const Study& study) : folder_(study.folder), study_(true) {
  if (Inside(study.review_file, study.folder))
    throw io::InputError(study.review_file,
                         fmt::format("lies in the study folder {}, which is never written to: save the "
                                     "review elsewhere (--review)",
                                     study.folder.string()));
  if (fs::exists(study.review_file) && fs::equivalent(study.review_file, study.findings_file))
    throw io::InputError(study.review_file, "is the findings document: save the review elsewhere (--review)");
  timepoints_.emplace_back(study.findings_file, study.review_file);
  const scoring::Findings& findings = timepoints_.front().original();
  subject_ = findings.subject;
  const io::DicomIndex index = io::IndexFolders({study.folder}, {study.roles, {}});
  const io::SeriesRecord& post = PostContrastSeries(index, study.folder, findings);
  spdlog::info("{}: the post-contrast T1 is series {} \"{}\" ({}, {} files)", study.folder.string(),
               post.series_number ? std::to_string(*post.series_number) : "?", post.description,
               post.role_reason, post.files.size());
  auto images = std::make_unique<Images>();
  images->post = pipeline::LoadSeries(post);
  images->patterns = io::Volume{images->post->geometry, {}, true};
  images->patterns->voxels.assign(images->post->geometry.VoxelCount(), 0.0f);
  images_.push_back(std::move(images));
}

SubjectReview::~SubjectReview() = default;
SubjectReview::SubjectReview(SubjectReview&&) noexcept = default;

std::size_t SubjectReview::Find(const std::string& date_or_folder) const {
  std::string names;
  for (std::size_t i = 0; i < timepoints_.size(); ++i) {
    std::string date = timepoints_[i].original().date;
    const std::string folder = timepoints_[i].folder().filename().string();
    if (date_or_folder == folder || date_or_folder == date) return i;
    date.erase(std::remove(date.begin(), date.end(), '-'), date.end());
    if (date_or_folder == date) return i;
    names += fmt::format("{}{} ({})", names.empty() ? "" : ", ", folder, timepoints_[i].original().date);
  }
  throw io::InputError(folder_ / "manifest.json",
                       fmt::format("no time point {}; the time points are {}", date_or_folder, names));
}

const io::Volume& SubjectReview::Post(std::size_t index) {
  Images& images = *images_.at(index);
  if (!images.post)
    images.post = io::ReadNifti(pipeline::RequiredFile(timepoints_[index].folder() / "post.nii.gz", kReader));
  return *images.post;
}

const io::Volume& SubjectReview::Patterns(std::size_t index) {
  Images& images = *images_.at(index);
  if (!images.patterns) {
    const fs::path file = pipeline::RequiredFile(timepoints_[index].folder() / "patterns.nii.gz", kReader);
    io::Volume patterns = io::ReadNifti(file);
    const auto& size = Post(index).geometry.size;
    if (patterns.geometry.size != size)
      throw io::InputError(
          file, fmt::format("grid {}x{}x{} differs from post.nii.gz ({}x{}x{})", patterns.geometry.size[0],
                            patterns.geometry.size[1], patterns.geometry.size[2], size[0], size[1], size[2]));
    images.patterns = std::move(patterns);
  }
  return *images.patterns;
}

bool SubjectReview::HasInBaseline(std::size_t index) const {
  const fs::path& folder = timepoints_.at(index).folder();
  return index > 0 && fs::exists(folder / "post_in_baseline.nii.gz") &&
         fs::exists(folder / "baseline_to_followup.tfm");
}

const SubjectReview::InBaseline& SubjectReview::FollowupInBaseline(std::size_t index) {
  Images& images = *images_.at(index);
  if (!images.in_baseline) {
    if (index == 0) throw std::invalid_argument("the baseline is its own frame");
    const fs::path& folder = timepoints_[index].folder();
    InBaseline in{
        io::ReadNifti(pipeline::RequiredFile(folder / "post_in_baseline.nii.gz", kReader)),
        {},
        scoring::ReadItkTransform(pipeline::RequiredFile(folder / "baseline_to_followup.tfm", kReader))};
    const io::Volume& labels = Patterns(index);
    in.patterns.geometry = in.post.geometry;
    in.patterns.integer_valued = true;
    in.patterns.voxels.assign(in.post.geometry.VoxelCount(), 0.0f);
    const auto& size = labels.geometry.size;
    for (std::size_t v = 0; v < in.patterns.voxels.size(); ++v) {
      const auto p = in.baseline_to_followup.Apply(in.post.geometry.VoxelCentre(v));
      const auto index3 = labels.geometry.PointToIndex(p);
      std::array<long, 3> at{};
      bool inside = true;
      for (int a = 0; a < 3; ++a) {
        at[a] = std::lround(index3[a]);
        inside = inside && at[a] >= 0 && at[a] < static_cast<long>(size[a]);
      }
      if (inside) in.patterns.voxels[v] = labels.voxels[at[0] + size[0] * (at[1] + size[1] * at[2])];
    }
    images.in_baseline = std::move(in);
  }
  return *images.in_baseline;
}

scoring::SubjectScore SubjectReview::ScoreReviewed() const {
  scoring::Profile profile = scoring::Profile::kRanoLm;
  const nlohmann::json manifest =
      study_ ? nlohmann::json::object() : io::ReadJsonFile(folder_ / "manifest.json");
  if (manifest.contains("profile")) {
    const auto parsed = scoring::ParseProfile(manifest["profile"].get<std::string>());
    if (!parsed) throw io::InputError(folder_ / "manifest.json", "unknown profile");
    profile = *parsed;
  }
  const fs::path parameters_file = folder_ / "parameters.json";
  const scoring::ScoringParameters parameters =
      !study_ && fs::exists(parameters_file) ? pipeline::ReadDetectionParameters(parameters_file).scoring
                                             : scoring::ScoringParameters{};
  std::vector<scoring::FollowUpInput> followups;
  for (std::size_t t = 1; t < timepoints_.size(); ++t) {
    scoring::FollowUpInput input{timepoints_[t].reviewed(), {}, {}};
    const fs::path transform = timepoints_[t].folder() / "baseline_to_followup.tfm";
    if (fs::exists(transform)) {
      input.to_baseline = scoring::ReadFollowupToBaseline(transform);
      input.transform_file = fs::relative(transform, folder_).string();
    }
    followups.push_back(std::move(input));
  }
  return scoring::ScoreSubject(timepoints_.front().reviewed(), std::move(followups), profile, parameters);
}

}  // namespace leptoscan::viewer
