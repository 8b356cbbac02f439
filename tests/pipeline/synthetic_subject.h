// A synthetic subject output folder, as the case runner writes one, for the report and viewer tests: a
// bright ellipsoid head on a 1 x 1 x 2 mm grid whose slices run front to back (a rotated direction
// matrix), a nodule (label 4) on the patient's left, a linear patch (label 1) on the right, and a bright
// marker block on the left to tell left from right. Baseline 20240101 (nodule N1 12 x 12 mm, linear E1
// 150 mm2), follow-up 20240301 (N1 6 x 6 mm, E1 60 mm2) with its score.json (rano-lm: PR) and its
// registration to the baseline: baseline_to_followup.tfm, a shift by kFollowupShift (baseline point + shift
// = follow-up point), and post_in_baseline.nii.gz, the follow-up resampled through it.
#pragma once

#include <array>
#include <filesystem>
#include <string>
#include <utility>

#include "io/volume.h"
#include "scoring/subject_score.h"

namespace leptoscan::synthetic {

using Point = std::array<double, 3>;

inline const std::string kSubject = "P<1>&\"x\"";
inline constexpr Point kNodule = {20, -15, 10};  // left, anterior, superior of the head centre
inline constexpr Point kLinear = {-30, 10, 20};  // right, posterior
inline constexpr Point kFollowupShift = {5, 0, 0};
inline constexpr Point kMarkerLow = {30, -20, 5}, kMarkerHigh = {40, -10, 15};  // a block on the left

// Columns i along L (1 mm), rows j towards inferior (1 mm), slices k towards posterior (2 mm).
io::VolumeGeometry Grid();

// The post-contrast T1 and its pattern labels, with a nodule of the given radius.
std::pair<io::Volume, io::Volume> Scans(double nodule_radius_mm);

// Writes the subject folder (replacing what is there) and returns the score it holds.
scoring::SubjectScore WriteSyntheticSubject(const std::filesystem::path& folder);

// The baseline as a study that has not been run: `study` (replaced) holds two DICOM series, a pre-contrast
// T1 (series 1, no nodule) and the post-contrast T1 (series 2, the baseline's Scans, ContrastBolusAgent
// set), and `findings_file` the baseline's findings document (N1 at kNodule, E1 at kLinear).
void WriteSyntheticStudy(const std::filesystem::path& study, const std::filesystem::path& findings_file);

}  // namespace leptoscan::synthetic
