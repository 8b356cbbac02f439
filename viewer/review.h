// The review of a subject's outputs, independent of any rendering: the time points of the subject folder
// (manifest.json), their findings and images, and the reviewer's decisions on each finding (accept,
// reject, edit), saved per time point as <folder>/review.json: the findings document holding what the
// reviewer decided (rejected lesions removed, rejected items absent, edits applied) plus one decision
// per finding (who, when, the original) in its `review` block (scoring/findings.h: Review). A study folder
// that has not been run is reviewed the same way against a findings document given with it.
#pragma once

#include <array>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "io/series_role.h"
#include "io/volume.h"
#include "scoring/findings.h"
#include "scoring/itk_transform.h"
#include "scoring/subject_score.h"

namespace leptoscan::viewer {

// One line of the findings list: a lesion, or an item of the findings contract that is present or decided.
struct FindingEntry {
  std::string id;                                  // lesion id, or items.<item name>
  std::string description;                         // "nodule, subarachnoid, 14.0 x 8.0 mm, measurable"
  std::optional<std::array<double, 3>> center_mm;  // lesions: LPS, in the time point's post-contrast frame
  std::optional<scoring::Decision> decision;       // none: pending
};

// What a reviewer may change on a lesion; unset fields stay as they are.
struct LesionEdit {
  std::optional<std::string> location;                // nodules: subarachnoid, ventricular, parenchymal, ...
  std::optional<bool> measurable;                     // the reader's verdict, whatever the diameters
  std::optional<std::array<double, 2>> diameters_mm;  // nodules, in any order (the longest is put first)
};

// A ruler line between two LPS points (mm).
struct RulerLine {
  std::array<double, 3> from{0, 0, 0}, to{0, 0, 0};
};

// The two diameters of a nodule from two ruler lines, longest first. Throws std::invalid_argument when a
// line has no length or the lines are more than `tolerance_deg` away from perpendicular.
std::array<double, 2> RulerDiameters(const RulerLine& a, const RulerLine& b, double tolerance_deg = 10);

// Whether a nodule counts as measurable, as the findings list says: the reader's verdict when there is one,
// else the rano-lm size limits.
bool Measurable(const scoring::Lesion& nodule);

// Now, as a review decision records it: YYYY-MM-DDTHH:MM:SSZ.
std::string UtcNow();

class TimepointReview {
 public:
  // <folder>/findings.json, and <folder>/review.json when there is one: its decisions are resumed.
  // Throws io::InputError for a missing file or a review of findings that have changed since (a rerun of
  // the pipeline), scoring::DocumentError for a document breaking its contract.
  explicit TimepointReview(const std::filesystem::path& folder);
  // A findings document anywhere, its decisions saved to (and resumed from) `review_file`.
  TimepointReview(std::filesystem::path findings_file, std::filesystem::path review_file);

  // The folder of the findings document.
  std::filesystem::path folder() const { return findings_file_.parent_path(); }
  const std::filesystem::path& ReviewFile() const { return review_file_; }
  const scoring::Findings& original() const { return original_; }  // findings.json
  const scoring::Findings& reviewed() const { return reviewed_; }  // with the decisions so far
  std::vector<FindingEntry> Entries() const;

  // Each decision replaces the finding's earlier one; `id` is a lesion id or items.<item name>. They throw
  // std::invalid_argument naming an unknown id or a change the findings contract does not allow (the
  // review is then unchanged).
  // Accepting an edited lesion keeps the edits; accepting a rejected finding restores it.
  void Accept(const std::string& id, const std::string& reviewer, const std::string& at);
  // A rejected lesion leaves the lesion list; when it was the last of a present item that has no decision
  // of its own, the item is rejected with it. A rejected item becomes absent, and its lesions are rejected.
  void Reject(const std::string& id, const std::string& reviewer, const std::string& at);
  void Edit(const std::string& id, const LesionEdit& edit, const std::string& reviewer,
            const std::string& at);

  // Writes the review file whole or not at all (io::WriteFileAtomically; its folder created if need be);
  // returns its path.
  std::filesystem::path Save() const;

 private:
  struct Decided {
    scoring::FindingReview review;
    std::optional<scoring::Lesion> lesion;     // lesions not rejected: the values now
    std::optional<scoring::ItemFinding> item;  // items: the values now
  };
  void Decide(Decided decided);
  // The reviewed findings from the decisions, checked against the findings contract.
  void Rebuild();
  // Rebuild(); when the contract rejects the result, the decisions `before` come back and
  // std::invalid_argument explains why.
  void RebuildOrRestore(const std::vector<Decided>& before);
  const scoring::Lesion* OriginalLesion(const std::string& id) const;

  std::filesystem::path findings_file_, review_file_;
  scoring::Findings original_, reviewed_;
  std::vector<Decided> decisions_;  // in the order they were first made
};

// A subject output folder: its time points in manifest order (the baseline first), with the post-contrast
// image and the pattern labels of each read on first use.
class SubjectReview {
 public:
  explicit SubjectReview(const std::filesystem::path& subject_folder);

  // A study folder that has not been run through the pipeline, reviewed against a findings document from
  // elsewhere (a reader's, or another run's): one time point, whose post-contrast image is the study's
  // post-contrast T1 series, indexed, classified (`roles` overriding) and decoded as `leptoscan run` does;
  // when the folder holds several studies with one, the one of the findings' date. There are no pattern
  // labels (Patterns() is all 0, HasPatterns() false), no registration and no manifest (the rano-lm
  // profile and the default parameters score). Nothing is written into the study folder: io::InputError
  // when `review_file` lies in it, and naming the folder when it holds no post-contrast T1 (or several
  // studies with one, none of the findings' date), or a file that is missing or unreadable.
  struct Study {
    std::filesystem::path folder, findings_file, review_file;
    io::RoleOverrides roles;
  };
  explicit SubjectReview(const Study& study);
  ~SubjectReview();
  SubjectReview(SubjectReview&&) noexcept;

  const std::string& subject() const { return subject_; }
  std::size_t size() const { return timepoints_.size(); }
  TimepointReview& timepoint(std::size_t index) { return timepoints_.at(index); }
  // A time point by its folder name (20240509) or date (2024-05-09 or 20240509); io::InputError naming the
  // manifest and listing the time points when there is none.
  std::size_t Find(const std::string& date_or_folder) const;

  // post.nii.gz and patterns.nii.gz of a time point (io::InputError for a missing file or a pattern grid
  // other than the image's).
  const io::Volume& Post(std::size_t index);
  const io::Volume& Patterns(std::size_t index);
  // Whether the time points have pattern labels (a study that has not been run has none).
  bool HasPatterns() const { return !study_; }

  // A follow-up (index > 0) in the baseline's frame, as its registration left it: post_in_baseline.nii.gz
  // (on the baseline's grid), the follow-up's pattern labels carried onto that grid through
  // baseline_to_followup.tfm (nearest voxel), and that map (baseline points to follow-up points).
  struct InBaseline {
    io::Volume post, patterns;
    scoring::AffineMap baseline_to_followup;
  };
  // Whether the follow-up's registration outputs are there (the baseline has none).
  bool HasInBaseline(std::size_t index) const;
  // io::InputError naming a missing or unreadable file.
  const InBaseline& FollowupInBaseline(std::size_t index);

  // The reviewed findings of every time point (the decisions so far, saved or not) scored as the case runner
  // scores a subject and `leptoscan score` scores review.json files: each follow-up against the baseline
  // through its baseline_to_followup.tfm (none: the frames are taken to agree), under the manifest's profile
  // and the scoring parameters of parameters.json (the defaults when either is missing).
  scoring::SubjectScore ScoreReviewed() const;

 private:
  struct Images;
  std::filesystem::path folder_;
  std::string subject_;
  std::vector<TimepointReview> timepoints_;
  std::vector<std::unique_ptr<Images>> images_;
  bool study_ = false;  // a study folder, not a subject output folder
};

}  // namespace leptoscan::viewer
