// The role rule table on vendor naming (Siemens, GE, Philips), timing parameters, acquisition order
// and user overrides.
#include "io/series_role.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "io/errors.h"
#include "io/series_index.h"

namespace leptoscan::io {
namespace {

using ::testing::HasSubstr;

struct Named {
  const char* description;
  const char* expected_role;
};

SeriesRecord Series(const std::string& description) {
  SeriesRecord s;
  s.description = description;
  s.series_uid = "1.2.3." + std::to_string(std::hash<std::string>{}(description) % 100000);
  s.orientation = "axial";
  s.frames = 100;
  return s;
}

std::string ClassifyAlone(SeriesRecord s, const RoleOverrides& overrides = {}) {
  StudyRecord study;
  study.series.push_back(std::move(s));
  ClassifyStudy(study, overrides);
  EXPECT_FALSE(study.series[0].role_reason.empty());
  return std::string(RoleName(study.series[0].role));
}

void PrintTo(const Named& named, std::ostream* out) {
  *out << '"' << named.description << "\" -> " << named.expected_role;
}

class VendorNaming : public ::testing::TestWithParam<Named> {};

TEST_P(VendorNaming, DescriptionGivesRole) {
  EXPECT_EQ(ClassifyAlone(Series(GetParam().description)), GetParam().expected_role)
      << GetParam().description;
}

INSTANTIATE_TEST_SUITE_P(
    SiemensGePhilips, VendorNaming,
    ::testing::Values(
        // Siemens
        Named{"t1_mprage_sag_p2_iso", "t1_pre"}, Named{"t1_mprage_sag_p2_iso_KM", "t1_post"},
        Named{"t1_vibe_fs_tra_post", "t1_post"}, Named{"t2_tirm_tra_dark-fluid", "flair"},
        Named{"t2_spc_da-fl_sag_p2_iso", "flair"}, Named{"t2_tse_tra_512", "t2"},
        Named{"ep2d_diff_3scan_trace_p2", "dwi"}, Named{"ep2d_diff_3scan_trace_p2_ADC", "dwi"},
        Named{"localizer", "localizer"}, Named{"AAHead_Scout_32ch-head-coil", "localizer"},
        Named{"t2_tse_sag_HWS", "spine_t2"}, Named{"t1_tse_sag_ws", "spine_t1_pre"},
        Named{"t1_tse_fs_sag_ws_post", "spine_t1_post"},
        // GE
        Named{"Ax T1 +C", "t1_post"}, Named{"Sag T1 BRAVO", "t1_pre"}, Named{"Sag T1 FSPGR 3D +C", "t1_post"},
        Named{"AX T2 FLAIR", "flair"}, Named{"Ax T1 FLAIR", "t1_pre"}, Named{"AX T2 FLAIR +C", "flair_post"},
        Named{"AX T2 FRFSE", "t2"}, Named{"Ax DWI", "dwi"}, Named{"3-Plane Loc", "localizer"},
        Named{"ASSET Cal", "localizer"}, Named{"Sag T1 C-Spine", "spine_t1_pre"},
        Named{"SAG T1 FS +C L-SPINE", "spine_t1_post"}, Named{"Sag STIR T-spine", "spine_t2"},
        Named{"Sag T1 FSE Spine", "spine_t1_pre"}, Named{"Sag T1 FSE Spine +C", "spine_t1_post"},
        // Philips
        Named{"T1W_3D_TFE", "t1_pre"}, Named{"sT1W_3D_TFE_gd", "t1_post"}, Named{"T1W_3D_TFE +C", "t1_post"},
        Named{"3D_Brain_VIEW_FLAIR", "flair"}, Named{"T2W_TSE", "t2"}, Named{"DWI_SENSE", "dwi"},
        Named{"Survey", "localizer"}, Named{"T1W_TSE_SAG_Total_Spine", "spine_t1_pre"},
        Named{"T1W_TSE_SAG_Total_Spine_SPIR_gd", "spine_t1_post"},
        // Words that look like contrast keywords but are not
        Named{"T2 posterior fossa", "t2"}, Named{"T1 pre contrast", "t1_pre"},
        Named{"Unknown sequence", "other"}));

TEST(SeriesRole, TimingDecidesWhenTheNameDoesNot) {
  SeriesRecord t1 = Series("Series 7");
  t1.acquisition.repetition_time_ms = 8;
  t1.acquisition.echo_time_ms = 3;
  EXPECT_EQ(ClassifyAlone(t1), "t1_pre");
  SeriesRecord flair = Series("Series 8");
  flair.acquisition.repetition_time_ms = 9000;
  flair.acquisition.echo_time_ms = 120;
  flair.acquisition.inversion_time_ms = 2500;
  EXPECT_EQ(ClassifyAlone(flair), "flair");
  SeriesRecord t2 = Series("Series 9");
  t2.acquisition.repetition_time_ms = 4000;
  t2.acquisition.echo_time_ms = 100;
  EXPECT_EQ(ClassifyAlone(t2), "t2");
  SeriesRecord mprage = Series("Series 10");
  mprage.acquisition.repetition_time_ms = 2300;
  mprage.acquisition.echo_time_ms = 2.3;
  mprage.acquisition.inversion_time_ms = 900;
  EXPECT_EQ(ClassifyAlone(mprage), "t1_pre");
}

TEST(SeriesRole, ContrastAgentAttributeAndItsNegations) {
  SeriesRecord s = Series("Sag MPRAGE");
  s.contrast_agent = "Gadovist";
  EXPECT_EQ(ClassifyAlone(s), "t1_post");
  s.contrast_agent = "NONE";
  EXPECT_EQ(ClassifyAlone(s), "t1_pre");
  SeriesRecord flair = Series("t2_tirm_tra");
  flair.contrast_agent = "Dotarem 10 ml";
  EXPECT_EQ(ClassifyAlone(flair), "flair_post");
}

TEST(SeriesRole, BodyPartAndMixedOrientationAndBValue) {
  SeriesRecord spine = Series("Sag T1");
  spine.acquisition.body_part = "TSPINE";
  EXPECT_EQ(ClassifyAlone(spine), "spine_t1_pre");
  SeriesRecord loc = Series("Series 1");
  loc.orientation = "mixed";
  loc.frames = 3;
  EXPECT_EQ(ClassifyAlone(loc), "localizer");
  SeriesRecord dwi = Series("Series 4");
  dwi.diffusion_b_value = 1000;
  EXPECT_EQ(ClassifyAlone(dwi), "dwi");
}

TEST(SeriesRole, SecondOfTwoLikeT1SeriesIsPostContrast) {
  StudyRecord study;
  for (const char* time : {"120000", "123000"}) {
    SeriesRecord s = Series("Sag MPRAGE");
    s.series_uid += time;
    s.series_time = time;
    s.acquisition.mr_acquisition_type = "3D";
    s.orientation = "sagittal";
    study.series.push_back(s);
  }
  ClassifyStudy(study, {});
  EXPECT_EQ(study.series[0].role, SeriesRole::kT1Pre);
  EXPECT_EQ(study.series[1].role, SeriesRole::kT1Post);
  EXPECT_THAT(study.series[1].role_reason, HasSubstr("acquisition order"));
}

TEST(SeriesRole, SeriesAcquiredAfterContrastEvidenceArePost) {
  StudyRecord study;
  SeriesRecord pre = Series("Ax T1 SE");
  pre.series_time = "100000";
  SeriesRecord post = Series("Ax T1 +C");
  post.series_time = "101000";
  SeriesRecord later = Series("Sag MPRAGE");
  later.series_time = "102000";
  study.series = {later, post, pre};
  ClassifyStudy(study, {});
  EXPECT_EQ(study.series[0].role, SeriesRole::kT1Post);
  EXPECT_THAT(study.series[0].role_reason, HasSubstr("acquired after series"));
  EXPECT_EQ(study.series[1].role, SeriesRole::kT1Post);
  EXPECT_EQ(study.series[2].role, SeriesRole::kT1Pre);
}

std::filesystem::path WriteOverrides(const std::string& name, const std::string& content) {
  const auto path = std::filesystem::path(::testing::TempDir()) / name;
  std::ofstream(path) << content;
  return path;
}

TEST(SeriesRole, OverrideFileWinsOverTheRules) {
  SeriesRecord odd = Series("Research sequence 42");
  odd.series_uid = "1.2.840.99";
  const auto by_uid = LoadRoleOverrides(
      WriteOverrides("by_uid.json", R"({"roles": [{"series_uid": "1.2.840.99", "role": "t1_post"}]})"));
  EXPECT_EQ(ClassifyAlone(odd, by_uid), "t1_post");
  const auto by_pattern = LoadRoleOverrides(WriteOverrides(
      "by_pattern.json", R"({"roles": [{"description": "research.*42", "role": "flair_post"}]})"));
  EXPECT_EQ(ClassifyAlone(odd, by_pattern), "flair_post");
  EXPECT_EQ(ClassifyAlone(Series("Ax T1 +C"), by_pattern), "t1_post");
}

TEST(SeriesRole, MalformedOverrideFilesNameTheEntry) {
  const auto check = [](const std::string& content, const std::string& expected) {
    try {
      LoadRoleOverrides(WriteOverrides("bad.json", content));
      ADD_FAILURE() << "no error for " << content;
    } catch (const InputError& e) {
      EXPECT_THAT(e.what(), HasSubstr("bad.json"));
      EXPECT_THAT(e.what(), HasSubstr(expected));
    }
  };
  check(R"({"roles": [{"series_uid": "1", "role": "t3"}]})", "roles[0].role: unknown role 't3'");
  check(R"({"roles": [{"role": "t1_pre"}]})", "roles[0]: needs exactly one");
  check(R"({"roles": [{"description": "(", "role": "t1_pre"}]})", "not a valid regular expression");
  check(R"({"roles": )", "not valid JSON");
  // A million nested arrays are refused by name, not reported as a malformed entry.
  check("{\"roles\": " + std::string(1000000, '[') + std::string(1000000, ']') + "}",
        "not accepted: nested deeper than 64 levels");
}

}  // namespace
}  // namespace leptoscan::io
