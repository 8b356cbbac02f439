// Helpers the tests of phantom cohorts written by `leptoscan phantom` share: subjects and studies on disk,
// a series read by dcm2niix, truth lesions found in their label maps, and the truth scored.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "io/nifti.h"
#include "scoring/findings_reader.h"
#include "scoring/itk_transform.h"
#include "scoring/subject_score.h"

namespace leptoscan::phantom {

inline std::vector<std::filesystem::path> Subjects(const std::filesystem::path& cohort) {
  std::vector<std::filesystem::path> subjects;
  for (const auto& entry : std::filesystem::directory_iterator(cohort))
    subjects.push_back(entry.path());
  std::sort(subjects.begin(), subjects.end());
  return subjects;
}

// Study folders of a subject (named by date), each holding one folder per series.
inline std::vector<std::filesystem::path> Studies(const std::filesystem::path& subject) {
  std::vector<std::filesystem::path> studies;
  for (const auto& entry : std::filesystem::directory_iterator(subject)) {
    if (entry.path().filename() != "truth") studies.push_back(entry.path());
  }
  std::sort(studies.begin(), studies.end());
  return studies;
}

inline nlohmann::json ReadJson(const std::filesystem::path& file) {
  return nlohmann::json::parse(std::ifstream(file));
}

// A series folder converted by dcm2niix, the third-party reader, in a folder of this process's own (ctest
// runs the brain and the spine files tests at once: in one shared folder, one read the other's conversion).
inline io::Volume ReadWithDcm2niix(const std::filesystem::path& series) {
  const std::filesystem::path out =
      std::filesystem::path(::testing::TempDir()) / ("phantom_dcm2niix-" + std::to_string(getpid()));
  std::filesystem::remove_all(out);
  std::filesystem::create_directories(out);
  const std::string command =
      "dcm2niix -z n -f series -o '" + out.string() + "' '" + series.string() + "' > /dev/null 2>&1";
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
  io::Volume volume = io::ReadNifti(out / "series.nii");
  std::filesystem::remove_all(out);
  return volume;
}

// How far the centroid of a truth lesion's voxels in a label map lies from its centre (mm); fails when
// the map holds none.
inline double CentroidDistance(const io::Volume& labels, float value, const std::array<double, 3>& centre) {
  std::array<double, 3> sum{0, 0, 0};
  std::size_t count = 0;
  for (std::size_t index = 0; index < labels.voxels.size(); ++index) {
    if (labels.voxels[index] != value) continue;
    const auto p = labels.geometry.VoxelCentre(index);
    for (int a = 0; a < 3; ++a)
      sum[a] += p[a];
    ++count;
  }
  EXPECT_GT(count, 0u) << "label " << value;
  double distance = 0;
  for (int a = 0; a < 3; ++a)
    distance += std::pow(sum[a] / std::max<std::size_t>(count, 1) - centre[a], 2);
  return std::sqrt(distance);
}

// The RANO-LM response of a subject's first follow-up, scored from its truth documents.
inline scoring::SubjectScore ScoreTruthOnDisk(const std::filesystem::path& subject) {
  const auto studies = Studies(subject);
  EXPECT_EQ(studies.size(), 2u);
  const std::filesystem::path baseline = subject / "truth" / studies.at(0).filename(),
                              followup = subject / "truth" / studies.at(1).filename();
  scoring::FollowUpInput input{scoring::ReadFindings(followup / "truth.json"),
                               scoring::ReadFollowupToBaseline(followup / "baseline_to_visit.tfm"), "truth"};
  return scoring::ScoreSubject(scoring::ReadFindings(baseline / "truth.json"), {input},
                               scoring::Profile::kRanoLm, scoring::ScoringParameters{});
}

}  // namespace leptoscan::phantom
