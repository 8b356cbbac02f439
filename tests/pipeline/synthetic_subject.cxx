#include "tests/pipeline/synthetic_subject.h"

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <vector>

#include "io/dicom_writer.h"
#include "io/nifti.h"
#include "scoring/findings_writer.h"
#include "scoring/score_document.h"
#include "tests/scoring/findings_builder.h"

namespace leptoscan::synthetic {
namespace {

namespace fs = std::filesystem;

double Squared(const Point& a, const Point& b) {
  return (a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) + (a[2] - b[2]) * (a[2] - b[2]);
}

scoring::Findings Findings(scoring::testing::FindingsBuilder builder, double nodule_mm, double linear_mm2) {
  builder.SpineImaged(false).Evans(0.25).Extent("brain_linear", linear_mm2);
  builder.Nodule("N1", kNodule, nodule_mm, nodule_mm).Linear("E1", kLinear, linear_mm2);
  builder.json()["subject"] = kSubject;
  builder.json()["source"] = "leptoscan 0.1.0";
  builder.json()["items"]["brain_linear"]["subregions"] = {"sulcal"};
  builder.json()["lesions"][0]["craniocaudal_mm"] = nodule_mm;
  builder.json()["lesions"][0]["volume_ml"] = 0.905;
  return builder.Build();
}

void WriteTimepoint(const fs::path& folder, const scoring::Findings& findings, double nodule_radius_mm) {
  fs::create_directories(folder);
  scoring::WriteFindings(findings, folder / "findings.json");
  const auto [post, patterns] = Scans(nodule_radius_mm);
  io::WriteNifti(post, folder / "post.nii.gz", io::NiftiDataType::kFloat32);
  io::WriteNifti(patterns, folder / "patterns.nii.gz", io::NiftiDataType::kInt16);
}

// The follow-up's registration as the case runner writes it, for a follow-up shifted by kFollowupShift.
void WriteRegistration(const fs::path& folder, const io::Volume& followup_post) {
  std::ofstream(folder / "baseline_to_followup.tfm")
      << "#Insight Transform File V1.0\n#Transform 0\nTransform: AffineTransform_double_3_3\n"
      << "Parameters: 1 0 0 0 1 0 0 0 1 " << kFollowupShift[0] << " " << kFollowupShift[1] << " "
      << kFollowupShift[2] << "\nFixedParameters: 0 0 0\n";
  io::Volume in_baseline = followup_post;
  for (std::size_t v = 0; v < in_baseline.voxels.size(); ++v) {
    const Point p = in_baseline.geometry.VoxelCentre(v);
    in_baseline.voxels[v] = static_cast<float>(io::InterpolateLinear(
        followup_post, followup_post.geometry.PointToIndex(
                           {p[0] + kFollowupShift[0], p[1] + kFollowupShift[1], p[2] + kFollowupShift[2]})));
  }
  io::WriteNifti(in_baseline, folder / "post_in_baseline.nii.gz", io::NiftiDataType::kFloat32);
}

}  // namespace

io::VolumeGeometry Grid() {
  io::VolumeGeometry g;
  g.size = {100, 100, 60};
  g.spacing_mm = {1, 1, 2};
  g.direction = {1, 0, 0, 0, 0, 1, 0, -1, 0};
  g.origin_mm = {-49.5, -59, 49.5};
  return g;
}

std::pair<io::Volume, io::Volume> Scans(double nodule_radius_mm) {
  io::Volume post, patterns;
  post.geometry = patterns.geometry = Grid();
  post.voxels.assign(post.geometry.VoxelCount(), 0.0f);
  patterns.voxels.assign(post.geometry.VoxelCount(), 0.0f);
  patterns.integer_valued = true;
  std::mt19937 random(7);
  std::normal_distribution<float> noise(0, 10);
  for (std::size_t v = 0; v < post.voxels.size(); ++v) {
    const Point p = post.geometry.VoxelCentre(v);
    if (p[0] * p[0] / (45 * 45) + p[1] * p[1] / (55 * 55) + p[2] * p[2] / (45 * 45) > 1) continue;
    post.voxels[v] = 100 + noise(random);
    if (Squared(p, kNodule) <= nodule_radius_mm * nodule_radius_mm) {
      post.voxels[v] = 300;
      patterns.voxels[v] = 4;
    } else if (std::abs(p[0] - kLinear[0]) <= 1 && Squared({kLinear[0], p[1], p[2]}, kLinear) <= 100) {
      post.voxels[v] = 200;
      patterns.voxels[v] = 1;
    } else if (p[0] >= kMarkerLow[0] && p[0] <= kMarkerHigh[0] && p[1] >= kMarkerLow[1] &&
               p[1] <= kMarkerHigh[1] && p[2] >= kMarkerLow[2] && p[2] <= kMarkerHigh[2]) {
      post.voxels[v] = 400;
    }
  }
  return {std::move(post), std::move(patterns)};
}

scoring::SubjectScore WriteSyntheticSubject(const fs::path& folder) {
  fs::remove_all(folder);
  const scoring::Findings baseline = Findings(scoring::testing::Baseline(), 12, 150);
  const scoring::Findings followup = Findings(scoring::testing::FollowUp(), 6, 60);
  std::vector<scoring::FollowUpInput> visits;
  visits.push_back({followup, {}, {}});
  scoring::SubjectScore score =
      scoring::ScoreSubject(baseline, std::move(visits), scoring::Profile::kRanoLm, {});

  WriteTimepoint(folder / "20240101", baseline, 6);
  WriteTimepoint(folder / "20240301", followup, 3);
  WriteRegistration(folder / "20240301", Scans(3).first);
  std::ofstream(folder / "20240301" / "score.json") << scoring::ScoreDocumentJson(score, 0);
  const nlohmann::json manifest = {
      {"schema", "leptoscan.manifest/1"},
      {"subject", kSubject},
      {"source", "leptoscan 0.1.0"},
      {"timepoints",
       {{{"date", "20240101"}, {"folder", "20240101"}}, {{"date", "20240301"}, {"folder", "20240301"}}}},
      {"stages",
       {{{"stage", "analysis"}, {"timepoint", "20240101"}, {"seconds", 41.5}, {"status", "run"}},
        {{"stage", "registration"}, {"timepoint", "20240301"}, {"seconds", 7.25}, {"status", "skipped"}}}}};
  std::ofstream(folder / "manifest.json") << manifest.dump(2);
  return score;
}

void WriteSyntheticStudy(const fs::path& study, const fs::path& findings_file) {
  fs::remove_all(study);
  fs::create_directories(findings_file.parent_path());
  scoring::WriteFindings(Findings(scoring::testing::Baseline(), 12, 150), findings_file);
  io::DicomSeriesTags tags;
  tags.patient_id = "P1";
  tags.study_uid = io::UidFromKey("synthetic study");
  tags.study_date = "20240101";
  tags.frame_of_reference_uid = io::UidFromKey("synthetic frame");
  tags.repetition_time_ms = 2300;
  tags.echo_time_ms = 2.3;
  tags.inversion_time_ms = 900;
  const auto write = [&](const io::Volume& volume, int number, const std::string& description,
                         const std::string& agent) {
    tags.series_uid = io::UidFromKey("synthetic series " + std::to_string(number));
    tags.series_number = number;
    tags.series_time = "10" + std::to_string(10 + number) + "00";
    tags.series_description = tags.protocol_name = description;
    tags.contrast_agent = agent;
    io::WriteDicomSeries(volume, tags, study / ("series" + std::to_string(number)));
  };
  write(Scans(0).first, 1, "T1 MPRAGE", "");
  write(Scans(6).first, 2, "T1 MPRAGE", "Gadobutrol 0.1 mmol/kg");
}

}  // namespace leptoscan::synthetic
