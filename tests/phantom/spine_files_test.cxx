// Phantom subjects with spinal LM written by `leptoscan phantom --spine` (ctest fixture spine_phantoms, one
// subject per vendor), checked on disk: dcm2niix reads the sagittal spine series on the grid planned on
// the spine, `leptoscan index` gives them their spine roles, the spine truth passes the findings reader,
// lies in the spine label map and scores as expected.
#include <gtest/gtest.h>

#include "io/dicom_volume.h"
#include "io/series_index.h"
#include "testdata/phantom/analytic_head.h"
#include "testdata/phantom/scenario.h"
#include "tests/io/test_data.h"
#include "tests/phantom/written_cohort.h"

namespace leptoscan::phantom {
namespace {

namespace fs = std::filesystem;

// The fixture's command line: --cohort 3 --seed 2 --spine.
constexpr int kSubjects = 3;
constexpr std::uint64_t kSeed = 2;

fs::path Cohort() {
  return fs::path(LEPTOSCAN_TEST_DATA_DIR) / "spine_phantoms";
}

std::vector<SubjectPlan> Plans() {
  PhantomOptions options;
  options.spine = true;
  return PlanCohort(AnalyticHead(), kSubjects, kSeed, options);
}

TEST(PhantomSpineFiles, Dcm2niixReadsTheSpineSeriesOnTheGridPlannedOnTheSpine) {
  const auto plans = Plans();
  const auto subjects = Subjects(Cohort());
  ASSERT_EQ(subjects.size(), plans.size());
  const Box view = SpineAnatomy().field_of_view();
  std::size_t checked = 0;
  for (std::size_t n = 0; n < plans.size(); ++n) {
    const auto studies = Studies(subjects[n]);
    ASSERT_EQ(studies.size(), plans[n].visits.size());
    for (std::size_t v = 0; v < studies.size(); ++v) {
      const VisitPlan& visit = plans[n].visits[v];
      const io::VolumeGeometry planned = MovedGrid(
          MovedGrid(ScannerGrid(SliceOrientation::kSagittal, {1, 1, 3}, view), visit.spine_planning),
          visit.series[1].motion);
      for (const auto& entry : fs::directory_iterator(studies[v])) {
        const io::DicomIndex index = io::IndexFolders({entry.path()});
        const auto* series = index.AllSeries().front();
        if (series->role != io::SeriesRole::kSpineT1Pre && series->role != io::SeriesRole::kSpineT1Post)
          continue;
        const io::Volume reference = ReadWithDcm2niix(entry.path());
        EXPECT_TRUE(testing::SameGrid(reference.geometry, planned, 1e-3)) << entry.path();
        const io::Volume ours = io::LoadDicomSeries(testing::FilesIn(entry.path())).front().volume;
        EXPECT_TRUE(testing::SameVoxelsInWorld(ours, reference)) << entry.path();
        EXPECT_EQ(series->orientation, "sagittal");
        EXPECT_EQ(series->slices, 15u);
        EXPECT_NEAR(series->slice_spacing_mm.value_or(0), 3, 1e-6);
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, kSubjects * 2u * 2);  // subjects x visits x (spine T1 pre, spine T1 post)
}

TEST(PhantomSpineFiles, IndexAssignsTheSpineRoles) {
  const std::map<int, io::SeriesRole> intended = {{3, io::SeriesRole::kT1Pre},
                                                  {4, io::SeriesRole::kSpineT1Pre},
                                                  {7, io::SeriesRole::kT1Post},
                                                  {9, io::SeriesRole::kSpineT1Post}};
  std::set<std::string> descriptions;
  for (const auto& subject : Subjects(Cohort())) {
    const auto index = io::IndexFolders({subject});
    ASSERT_EQ(index.patients.size(), 1u);
    for (const auto* series : index.AllSeries()) {
      EXPECT_EQ(series->role, intended.at(series->series_number.value()))
          << series->description << ": " << series->role_reason;
      if (series->series_number == 4 || series->series_number == 9) descriptions.insert(series->description);
    }
  }
  // Siemens, GE and Philips naming; each vendor's post-contrast spine differs from its pre-contrast one.
  EXPECT_EQ(descriptions.size(), 3u * 2);
}

TEST(PhantomSpineFiles, SpineTruthLiesInTheSpineLabelMapAndScoresAsExpected) {
  std::size_t spine_lesions = 0;
  for (const auto& subject : Subjects(Cohort())) {
    for (const auto& visit : fs::directory_iterator(subject / "truth")) {
      if (!visit.is_directory()) continue;
      const scoring::Findings findings = scoring::ReadFindings(visit.path() / "truth.json");  // the contract
      EXPECT_TRUE(findings.spine_imaged);
      const auto truth = ReadJson(visit.path() / "truth.json");
      const io::Volume labels = io::ReadNifti(visit.path() / truth["label_maps"]["spine"].get<std::string>());
      for (const auto& lesion : truth["lesions"]) {
        if (lesion["compartment"] != "spine") continue;
        const float value = truth["truth_labels"][lesion["id"].get<std::string>()].get<float>();
        // Measured on the 0.5 mm label map; the spine series has 3 mm slices. The map marks every voxel a
        // thin enhancing root passes through, so roots spread apart weigh more than roots bundled below the
        // conus: the centroid of a lesion of many roots over 40-80 mm moves by several mm.
        const double limit_mm = lesion["kind"] == "nodule" ? 1.5 : lesion["kind"] == "linear" ? 2.0 : 8.0;
        EXPECT_LT(CentroidDistance(labels, value, lesion["center_mm"].get<std::array<double, 3>>()), limit_mm)
            << lesion;
        ++spine_lesions;
      }
    }
    const auto expected = ReadJson(subject / "truth" / "expected.json");
    EXPECT_NE(expected["preset"].get<std::string>().find("spine"), std::string::npos);
    const auto score = ScoreTruthOnDisk(subject);
    EXPECT_EQ(scoring::ResponseName(score.followups[0].assessment.response),
              expected["followups"][0]["expected_response"].get<std::string>())
        << subject << ::testing::PrintToString(score.followups[0].assessment.trace);
  }
  EXPECT_GE(spine_lesions, kSubjects * 2u * 2);
}

}  // namespace
}  // namespace leptoscan::phantom
