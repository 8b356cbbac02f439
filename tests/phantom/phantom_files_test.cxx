// A phantom cohort written by `leptoscan phantom` (ctest fixture phantom_cohort), checked on disk: a
// third-party reader (dcm2niix) sees every series on the intended grid, `leptoscan index` gives the
// intended roles, truth lesions lie in their label maps, and the truth scores as expected.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

#include "io/dicom_volume.h"
#include "io/nifti.h"
#include "io/series_index.h"
#include "scoring/findings_reader.h"
#include "scoring/itk_transform.h"
#include "scoring/subject_score.h"
#include "testdata/phantom/analytic_head.h"
#include "testdata/phantom/mr_render.h"
#include "tests/io/test_data.h"
#include "tests/phantom/written_cohort.h"

namespace leptoscan::phantom {
namespace {

namespace fs = std::filesystem;
using testing::FilesIn;

fs::path Cohort() {
  return fs::path(LEPTOSCAN_TEST_DATA_DIR) / "phantoms";
}

std::vector<fs::path> Subjects() {
  return phantom::Subjects(Cohort());
}

TEST(PhantomFiles, TheCohortHasThreeSubjectsWithAllThreeOrientations) {
  ASSERT_EQ(Subjects().size(), 3u);
  std::set<std::string> planes;
  for (const auto& subject : Subjects()) {
    const io::DicomIndex index = io::IndexFolders({subject});
    for (const auto* series : index.AllSeries())
      planes.insert(series->orientation);
  }
  EXPECT_EQ(planes, (std::set<std::string>{"axial", "coronal", "sagittal"}));
}

TEST(PhantomFiles, Dcm2niixReadsEverySeriesOnTheIntendedGrid) {
  std::size_t series_checked = 0;
  for (const auto& subject : Subjects()) {
    for (const auto& study : Studies(subject)) {
      for (const auto& entry : fs::directory_iterator(study)) {
        const io::Volume ours = io::LoadDicomSeries(FilesIn(entry.path())).front().volume;
        const std::string orientation = io::IndexFolders({entry.path()}).AllSeries().front()->orientation;
        const SliceOrientation planned = orientation == "axial"      ? SliceOrientation::kAxial
                                         : orientation == "sagittal" ? SliceOrientation::kSagittal
                                                                     : SliceOrientation::kCoronal;
        const io::Volume reference = ReadWithDcm2niix(entry.path());
        EXPECT_TRUE(testing::SameGrid(reference.geometry,
                                      ScannerGrid(planned, {1, 1, 1}, AnalyticHead().landmarks().head), 1e-3))
            << entry.path();
        EXPECT_TRUE(testing::SameVoxelsInWorld(ours, reference)) << entry.path();
        ++series_checked;
      }
    }
  }
  EXPECT_EQ(series_checked, 3u * 2 * 3);  // subjects x visits x (T1 pre, T1 post, FLAIR post)
}

TEST(PhantomFiles, IndexAssignsTheIntendedRoles) {
  const std::map<int, io::SeriesRole> intended = {
      {3, io::SeriesRole::kT1Pre}, {7, io::SeriesRole::kT1Post}, {8, io::SeriesRole::kFlairPost}};
  for (const auto& subject : Subjects()) {
    const auto index = io::IndexFolders({subject});
    EXPECT_EQ(index.patients.size(), 1u);
    EXPECT_EQ(index.patients[0].patient_id, subject.filename().string());
    for (const auto* series : index.AllSeries()) {
      EXPECT_EQ(series->role, intended.at(series->series_number.value()))
          << series->description << ": " << series->role_reason;
      EXPECT_EQ(series->contrast_agent.empty(), series->series_number == 3) << series->description;
    }
  }
}

TEST(PhantomFiles, TruthLesionsLieInTheirLabelMaps) {
  std::size_t lesions_checked = 0;
  for (const auto& subject : Subjects()) {
    for (const auto& visit : fs::directory_iterator(subject / "truth")) {
      if (!visit.is_directory()) continue;
      const auto truth = ReadJson(visit.path() / "truth.json");
      scoring::ReadFindings(visit.path() / "truth.json");  // passes the findings contract
      const io::Volume labels = io::ReadNifti(visit.path() / "labels.nii.gz");
      for (const auto& lesion : truth["lesions"]) {
        const float value = truth["truth_labels"][lesion["id"].get<std::string>()].get<float>();
        // The truth centre is measured on the 0.5 mm label map, the label map here is on the 1 mm grid.
        const double limit_mm = lesion["kind"] == "nodule" ? 1.0 : 1.5;
        EXPECT_LT(CentroidDistance(labels, value, lesion["center_mm"].get<std::array<double, 3>>()), limit_mm)
            << lesion;
        ++lesions_checked;
      }
    }
  }
  EXPECT_GT(lesions_checked, 0u);
}

TEST(PhantomFiles, TruthScoresAsExpected) {
  for (const auto& subject : Subjects()) {
    const auto expected = ReadJson(subject / "truth" / "expected.json");
    const auto score = ScoreTruthOnDisk(subject);
    EXPECT_EQ(scoring::ResponseName(score.followups[0].assessment.response),
              expected["followups"][0]["expected_response"].get<std::string>())
        << subject << ::testing::PrintToString(score.followups[0].assessment.trace);
  }
}

}  // namespace
}  // namespace leptoscan::phantom
