// Documents that break the findings contract are rejected naming the file, the field and the problem;
// valid ones are read as written, with spine items forced to NE when the spine was not imaged.
#include "scoring/findings_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>

#include "scoring/errors.h"
#include "tests/scoring/findings_builder.h"

namespace leptoscan::scoring {
namespace {

using testing::Baseline;
using ::testing::HasSubstr;

struct Breach {
  const char* name;
  std::function<void(nlohmann::json&)> mutate;
  const char* field;
  const char* problem;
};

void PrintTo(const Breach& breach, std::ostream* out) {
  *out << breach.name;
}

nlohmann::json ValidDocument() {
  return Baseline()
      .Nodule("N1", {0, 0, 0}, 14, 8)
      .Linear("E1", {40, 0, 0}, 412.5)
      .Nodule("I1", {0, 0, -300}, 6, 5, "intramedullary", "spine")
      .json();
}

class FindingsContractBreach : public ::testing::TestWithParam<Breach> {};

TEST_P(FindingsContractBreach, IsRejectedNamingFileFieldAndProblem) {
  nlohmann::json document = ValidDocument();
  GetParam().mutate(document);
  try {
    ParseFindings(document.dump(), "P001_bl.json");
    FAIL() << "accepted a document with " << GetParam().name;
  } catch (const DocumentError& e) {
    EXPECT_EQ(e.file(), "P001_bl.json");
    EXPECT_EQ(e.field(), GetParam().field) << e.what();
    EXPECT_THAT(e.problem(), HasSubstr(GetParam().problem));
    EXPECT_THAT(e.what(), HasSubstr(std::string("P001_bl.json: ") + GetParam().field));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Issue5, FindingsContractBreach,
    ::testing::Values(
        Breach{"WrongSchema", [](auto& d) { d["schema"] = "leptoscan.findings/2"; }, "schema", "is not"},
        Breach{"SubjectNotString", [](auto& d) { d["subject"] = 17; }, "subject",
               "expected a string, got number"},
        Breach{"MissingSubject", [](auto& d) { d.erase("subject"); }, "subject", "required field is missing"},
        Breach{"ImpossibleDate", [](auto& d) { d["date"] = "2023-02-29"; }, "date", "is not a date"},
        Breach{"ImagedMissing", [](auto& d) { d.erase("imaged"); }, "imaged", "required field is missing"},
        Breach{"SpineImagedNotBool", [](auto& d) { d["imaged"]["spine"] = "no"; }, "imaged.spine",
               "expected true or false"},
        Breach{"UnknownStatus", [](auto& d) { d["items"]["brain_nodules"]["status"] = "maybe"; },
               "items.brain_nodules.status", "unknown status \"maybe\" (expected present, absent, ne)"},
        Breach{"StatusNotString", [](auto& d) { d["items"]["ependymal"]["status"] = true; },
               "items.ependymal.status", "expected a string, got boolean"},
        Breach{"ItemNotObject", [](auto& d) { d["items"]["ependymal"] = "absent"; }, "items.ependymal",
               "expected an object"},
        Breach{"MissingItem", [](auto& d) { d["items"].erase("cranial_nerves"); }, "items.cranial_nerves",
               "required item is missing"},
        Breach{"MisspeltItem",
               [](auto& d) {
                 d["items"]["brain_nodule"] = {{"status", "absent"}};
               },
               "items.brain_nodule", "unknown item"},
        Breach{"EvansIndexAboveOne", [](auto& d) { d["items"]["hydrocephalus"]["evans_index"] = 1.3; },
               "items.hydrocephalus.evans_index", "ratio below 1"},
        Breach{"SubregionsNotArray", [](auto& d) { d["items"]["brain_linear"]["subregions"] = "sulcal"; },
               "items.brain_linear.subregions", "expected an array, got string"},
        Breach{"EmptySubregion",
               [](auto& d) {
                 d["items"]["brain_linear"]["subregions"] = {"sulcal", ""};
               },
               "items.brain_linear.subregions[1]", "must not be empty"},
        Breach{"NerveNotString",
               [](auto& d) {
                 d["items"]["cranial_nerves"]["nerves"] = {"V_L", 7};
               },
               "items.cranial_nerves.nerves[1]", "expected a string, got number"},
        Breach{"LesionsNotArray", [](auto& d) { d["lesions"] = nlohmann::json::object(); }, "lesions",
               "expected an array"},
        Breach{"DuplicateId", [](auto& d) { d["lesions"][1]["id"] = "N1"; }, "lesions[1].id",
               "duplicate id \"N1\""},
        Breach{"EmptyId", [](auto& d) { d["lesions"][0]["id"] = ""; }, "lesions[0].id", "must not be empty"},
        Breach{"UnknownKind", [](auto& d) { d["lesions"][0]["kind"] = "mass"; }, "lesions[0].kind",
               "unknown lesion kind \"mass\""},
        Breach{"NegativeDiameter", [](auto& d) { d["lesions"][0]["diameters_mm"][1] = -8.0; },
               "lesions[0].diameters_mm[1]", "below the minimum 0"},
        Breach{"ZeroDiameter", [](auto& d) { d["lesions"][0]["diameters_mm"][1] = 0; },
               "lesions[0].diameters_mm[1]", "greater than 0"},
        Breach{"NanDiameterAsString", [](auto& d) { d["lesions"][0]["diameters_mm"][0] = "NaN"; },
               "lesions[0].diameters_mm[0]", "expected a number, got string"},
        Breach{"ThreeDiameters", [](auto& d) { d["lesions"][0]["diameters_mm"].push_back(3.0); },
               "lesions[0].diameters_mm", "expected 2 diameters"},
        Breach{"PerpendicularLongerThanLongest",
               [](auto& d) {
                 d["lesions"][0]["diameters_mm"] = {8.0, 14.0};
               },
               "lesions[0].diameters_mm", "list the longest first"},
        Breach{"ZeroCraniocaudal", [](auto& d) { d["lesions"][0]["craniocaudal_mm"] = 0; },
               "lesions[0].craniocaudal_mm", "greater than 0"},
        Breach{"VolumeAsString", [](auto& d) { d["lesions"][0]["volume_ml"] = "0.5"; }, "lesions[0].volume_ml",
               "expected a number, got string"},
        Breach{"NegativeDistanceToLeptomeninges",
               [](auto& d) { d["lesions"][0]["distance_to_leptomeninges_mm"] = -1.0; },
               "lesions[0].distance_to_leptomeninges_mm", "below the minimum 0"},
        Breach{"CenterWithTwoCoordinates",
               [](auto& d) {
                 d["lesions"][0]["center_mm"] = {1.0, 2.0};
               },
               "lesions[0].center_mm", "expected 3 coordinates"},
        Breach{"UnknownLocation", [](auto& d) { d["lesions"][0]["location"] = "dural"; },
               "lesions[0].location", "unknown nodule location \"dural\""},
        Breach{"IntramedullaryInBrain", [](auto& d) { d["lesions"][2]["compartment"] = "brain"; },
               "lesions[2].location", "intramedullary nodules are not in the brain"},
        Breach{"LinearWithoutExtent", [](auto& d) { d["lesions"][1].erase("extent_mm2"); },
               "lesions[1].extent_mm2", "required field is missing"},
        Breach{"CranialNerveInSpine",
               [](auto& d) {
                 d["lesions"][1]["kind"] = "cranial_nerve";
                 d["lesions"][1]["compartment"] = "spine";
               },
               "lesions[1].compartment", "a cranial_nerve lesion is in the brain"},
        Breach{"LesionInAbsentItem", [](auto& d) { d["items"]["brain_linear"]["status"] = "absent"; },
               "lesions[1]", "belongs to items.brain_linear, whose status is absent"},
        Breach{"SpineLesionWithSpineNotImaged", [](auto& d) { d["imaged"]["spine"] = false; },
               "lesions[2].compartment", "which imaged.spine says was not imaged"},
        Breach{"RootNotObject", [](auto& d) { d = nlohmann::json::array(); }, "", "expected an object"}),
    [](const ::testing::TestParamInfo<Breach>& info) { return std::string(info.param.name); });

TEST(FindingsReader, RejectsTextThatIsNotJsonSuchAsNaN) {
  std::string text = ValidDocument().dump();
  text.replace(text.find("14.0"), 4, "NaN");
  EXPECT_THROW(
      {
        try {
          ParseFindings(text, "nan.json");
        } catch (const DocumentError& e) {
          EXPECT_THAT(e.what(), HasSubstr("nan.json: not valid JSON"));
          throw;
        }
      },
      DocumentError);
}

TEST(FindingsReader, RejectsAnInfiniteNumber) {
  std::string text = ValidDocument().dump();
  text.replace(text.find("14.0"), 4, "1e400");
  try {
    ParseFindings(text, "inf.json");
    FAIL();
  } catch (const DocumentError& e) {
    EXPECT_THAT(e.what(), HasSubstr("inf.json: not valid JSON"));
  }
}

// Issue 10's deeply nested findings JSON: a million nested brackets, as a whole document and as a field's
// value, overflowed the stack while the error quoted the value (leptoscan score died of SIGSEGV).
TEST(FindingsReader, RejectsDeeplyNestedJsonNamingTheFile) {
  const std::string nested = std::string(1000000, '[') + std::string(1000000, ']');
  std::string field = ValidDocument().dump();
  field.replace(field.find("\"S1\""), 4, nested);
  for (const std::string& text : {nested, field}) {
    try {
      ParseFindings(text, "deep.json");
      FAIL() << "no error";
    } catch (const DocumentError& e) {
      EXPECT_THAT(e.what(), HasSubstr("deep.json: not accepted: nested deeper than 64 levels"));
    }
  }
}

TEST(FindingsReader, MissingItemIsNeOnlyWhenAsked) {
  nlohmann::json document = ValidDocument();
  document["items"].erase("ependymal");
  EXPECT_THROW(ParseFindings(document.dump(), "f.json"), DocumentError);
  const Findings findings = ParseFindings(document.dump(), "f.json", {true});
  EXPECT_EQ(findings.status(Item::kEpendymal), Status::kNotEvaluable);
  EXPECT_EQ(findings.status(Item::kBrainNodules), Status::kPresent);
}

TEST(FindingsReader, SpineNotImagedForcesSpineItemsToNe) {
  nlohmann::json document = Baseline().Nodule("N1", {0, 0, 0}, 14, 8).json();
  document["imaged"]["spine"] = false;
  document["items"]["spine_linear"]["status"] = "present";
  const Findings findings = ParseFindings(document.dump(), "f.json");
  for (Item item : {Item::kSpineNodules, Item::kSpineLinear, Item::kSpinalNerveRoots})
    EXPECT_EQ(findings.status(item), Status::kNotEvaluable) << ItemName(item);
  EXPECT_EQ(findings.status(Item::kBrainNodules), Status::kPresent);
  EXPECT_EQ(findings.status(Item::kHydrocephalus), Status::kAbsent);
}

TEST(FindingsReader, ReadsTheContractExampleFields) {
  const Findings findings = ParseFindings(ValidDocument().dump(), "f.json");
  EXPECT_EQ(findings.subject, "S1");
  EXPECT_EQ(findings.date, "2024-01-01");
  ASSERT_EQ(findings.lesions.size(), 3u);
  // Canonical order by id, whatever the document's order.
  EXPECT_EQ(findings.lesions[0].id, "E1");
  EXPECT_EQ(findings.lesions[1].id, "I1");
  EXPECT_FALSE(findings.lesions[1].IsLeptomeningeal());
  EXPECT_FALSE(findings.lesions[1].ScoredItem().has_value());
  EXPECT_EQ(findings.lesions[2].SizeMm2(), 14.0 * 8.0);
  EXPECT_EQ(findings.lesions[0].SizeMm2(), 412.5);
  EXPECT_EQ(findings.lesions[0].ScoredItem(), Item::kBrainLinear);
}

TEST(FindingsReader, ReadsTheOptionalMeasurementsWhenPresent) {
  nlohmann::json document = ValidDocument();
  document["items"]["brain_linear"]["subregions"] = {"sulcal", "cerebellar_folia"};
  document["items"]["cranial_nerves"]["nerves"] = {"V_L", "VII_VIII_R"};
  document["lesions"][0].update(
      {{"craniocaudal_mm", 9.0}, {"volume_ml", 0.52}, {"distance_to_leptomeninges_mm", 0.0}});
  const Findings findings = ParseFindings(document.dump(), "f.json");
  EXPECT_EQ(findings.item(Item::kBrainLinear).subregions,
            (std::vector<std::string>{"sulcal", "cerebellar_folia"}));
  EXPECT_EQ(findings.item(Item::kCranialNerves).nerves, (std::vector<std::string>{"V_L", "VII_VIII_R"}));
  EXPECT_TRUE(findings.item(Item::kEpendymal).nerves.empty());
  const Lesion& nodule = findings.lesions[2];  // N1, after E1 and I1
  ASSERT_EQ(nodule.id, "N1");
  EXPECT_EQ(nodule.craniocaudal_mm, 9.0);
  EXPECT_EQ(nodule.volume_ml, 0.52);
  EXPECT_EQ(nodule.distance_to_leptomeninges_mm, 0.0);
  EXPECT_FALSE(findings.lesions[0].craniocaudal_mm.has_value());
}

TEST(FindingsReader, ReadsTheExampleFilesOfTheRepository) {
  for (const char* name : {"P001_baseline.json", "P001_fu1.json", "P001_fu2.json"}) {
    const Findings findings =
        ReadFindings(std::filesystem::path(LEPTOSCAN_SOURCE_DIR) / "testdata/findings" / name);
    EXPECT_EQ(findings.subject, "P001") << name;
    EXPECT_EQ(findings.status(Item::kSpineNodules), Status::kNotEvaluable) << name;
  }
}

TEST(FindingsReader, UnreadableFileIsNamed) {
  try {
    ReadFindings("/no/such/findings.json");
    FAIL();
  } catch (const DocumentError& e) {
    EXPECT_THAT(e.what(), HasSubstr("/no/such/findings.json: cannot be read"));
  }
}

TEST(FindingsMeasurability, StrictAndInclusiveLimits) {
  Lesion nodule;
  nodule.diameters_mm = {10, 5};
  EXPECT_FALSE(IsMeasurableNodule(nodule, {10, 5}, false));
  EXPECT_TRUE(IsMeasurableNodule(nodule, {10, 5}, true));
  nodule.diameters_mm = {10.1, 5.1};
  EXPECT_TRUE(IsMeasurableNodule(nodule, {10, 5}, false));
  nodule.kind = LesionKind::kLinear;
  EXPECT_FALSE(IsMeasurableNodule(nodule, {10, 5}, false));
}

}  // namespace
}  // namespace leptoscan::scoring
