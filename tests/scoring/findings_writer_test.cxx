// Written findings documents are read back to the same findings, keep the contract example's key order,
// carry measurements rounded to image resolution, and appear on disk whole or not at all.
#include "scoring/findings_writer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "scoring/errors.h"
#include "scoring/findings_reader.h"
#include "tests/scoring/findings_builder.h"

namespace leptoscan::scoring {
namespace {

namespace fs = std::filesystem;
using testing::Baseline;
using ::testing::HasSubstr;

// The example of contracts/findings.md, verbatim.
constexpr const char* kContractExample = R"({
  "schema": "leptoscan.findings/1",
  "subject": "P001",
  "timepoint": "baseline",
  "date": "2024-03-01",
  "source": "leptoscan 0.3.0",
  "imaged": {"brain": true, "spine": false},
  "items": {
    "brain_nodules":      {"status": "present"},
    "brain_linear":       {"status": "present", "extent_mm2": 412.5, "subregions": ["sulcal", "cerebellar_folia"]},
    "ependymal":          {"status": "absent"},
    "cranial_nerves":     {"status": "present", "nerves": ["V_L", "VII_VIII_R"]},
    "hydrocephalus":      {"status": "absent", "evans_index": 0.27},
    "spine_nodules":      {"status": "ne"},
    "spine_linear":       {"status": "ne"},
    "spinal_nerve_roots": {"status": "ne"}
  },
  "lesions": [
    {"id": "N1", "kind": "nodule", "compartment": "brain", "location": "subarachnoid",
     "center_mm": [12.5, -40.0, 18.0], "diameters_mm": [14.0, 8.0], "craniocaudal_mm": 9.0,
     "volume_ml": 0.52, "distance_to_leptomeninges_mm": 0.0},
    {"id": "E1", "kind": "linear", "compartment": "brain", "location": "sulcal",
     "center_mm": [40.0, 10.0, 30.0], "extent_mm2": 412.5}
  ]
})";

// Every field of the model but the file name, so that a field the writer drops or alters fails here.
void ExpectSameFindings(const Findings& a, const Findings& b) {
  EXPECT_EQ(a.subject, b.subject);
  EXPECT_EQ(a.timepoint, b.timepoint);
  EXPECT_EQ(a.date, b.date);
  EXPECT_EQ(a.source, b.source);
  EXPECT_EQ(a.brain_imaged, b.brain_imaged);
  EXPECT_EQ(a.spine_imaged, b.spine_imaged);
  for (Item item : kItems) {
    const ItemFinding &x = a.item(item), &y = b.item(item);
    EXPECT_EQ(x.status, y.status) << ItemName(item);
    EXPECT_EQ(x.extent_mm2, y.extent_mm2) << ItemName(item);
    EXPECT_EQ(x.evans_index, y.evans_index) << ItemName(item);
    EXPECT_EQ(x.subregions, y.subregions) << ItemName(item);
    EXPECT_EQ(x.nerves, y.nerves) << ItemName(item);
  }
  ASSERT_EQ(a.lesions.size(), b.lesions.size());
  for (std::size_t i = 0; i < a.lesions.size(); ++i) {
    const Lesion &x = a.lesions[i], &y = b.lesions[i];
    EXPECT_EQ(x.id, y.id);
    EXPECT_EQ(x.kind, y.kind) << x.id;
    EXPECT_EQ(x.compartment, y.compartment) << x.id;
    EXPECT_EQ(x.location, y.location) << x.id;
    EXPECT_EQ(x.center_mm, y.center_mm) << x.id;
    EXPECT_EQ(x.diameters_mm, y.diameters_mm) << x.id;
    EXPECT_EQ(x.extent_mm2, y.extent_mm2) << x.id;
    EXPECT_EQ(x.craniocaudal_mm, y.craniocaudal_mm) << x.id;
    EXPECT_EQ(x.volume_ml, y.volume_ml) << x.id;
    EXPECT_EQ(x.distance_to_leptomeninges_mm, y.distance_to_leptomeninges_mm) << x.id;
  }
}

// The reader keeps lesions in id order; the written document follows it.
template <typename Json>
Json LesionsById(Json document) {
  auto& lesions = document["lesions"];
  std::sort(lesions.begin(), lesions.end(), [](const auto& a, const auto& b) { return a["id"] < b["id"]; });
  return document;
}

// A fresh empty folder per test.
fs::path Scratch() {
  const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
  const fs::path folder = fs::path(::testing::TempDir()) / (std::string("findings_writer_") + test->name());
  fs::remove_all(folder);
  fs::create_directories(folder);
  return folder;
}

TEST(FindingsWriter, RoundTripsTheExampleFilesOfTheRepository) {
  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(LEPTOSCAN_SOURCE_DIR) / "testdata/findings")) {
    if (entry.path().extension() != ".json") continue;
    ++files;
    SCOPED_TRACE(entry.path().filename().string());
    const Findings original = ReadFindings(entry.path());
    const nlohmann::ordered_json written = FindingsToJson(original);
    ExpectSameFindings(ParseFindings(written.dump(2), "written.json"), original);
    // Nothing dropped or added: the document as written by hand, up to the order of its lesions.
    std::ifstream by_hand(entry.path());
    EXPECT_EQ(nlohmann::json::parse(written.dump()), LesionsById(nlohmann::json::parse(by_hand)));
  }
  EXPECT_GE(files, 3u);
}

TEST(FindingsWriter, WritesTheContractExampleInItsKeyOrder) {
  const Findings findings = ParseFindings(kContractExample, "contract.json");
  const auto expected = LesionsById(nlohmann::ordered_json::parse(kContractExample));
  // dump() compares the key order too.
  EXPECT_EQ(FindingsToJson(findings).dump(2), expected.dump(2));
}

TEST(FindingsWriter, TruthDocumentsRoundTripWithoutTheirExtraKeys) {
  nlohmann::json truth = Baseline().Nodule("N1", {28.43, -1.42, 71.49}, 13.07, 6.0).json();
  truth["lesions"][0].update(
      {{"craniocaudal_mm", 4.27}, {"volume_ml", 0.175}, {"distance_to_leptomeninges_mm", 0.0}});
  truth["truth_labels"] = {{"N1", 1}};
  truth["preset"] = "mixed";
  const Findings findings = ParseFindings(truth.dump(), "truth.json");
  const nlohmann::json written = nlohmann::json::parse(FindingsToJson(findings).dump());
  EXPECT_FALSE(written.contains("truth_labels"));
  truth.erase("truth_labels");
  truth.erase("preset");
  EXPECT_EQ(written, truth);
}

TEST(FindingsWriter, RoundsToWhatTheImagesResolve) {
  nlohmann::json document = Baseline()
                                .Nodule("N1", {12.3456, -0.001, 7.0}, 14.004, 7.996)
                                .Linear("E1", {0, 0, 40}, 412.5049)
                                .json();
  document["items"]["hydrocephalus"]["evans_index"] = 0.27049;
  document["lesions"][0].update({{"craniocaudal_mm", 9.126}, {"volume_ml", 0.52349}});
  const nlohmann::ordered_json written = FindingsToJson(ParseFindings(document.dump(), "f.json"));
  const auto& nodule = written["lesions"][1];
  ASSERT_EQ(nodule["id"], "N1");
  EXPECT_EQ(nodule["center_mm"], nlohmann::ordered_json::parse("[12.35, 0.0, 7.0]"));
  EXPECT_EQ(nodule["diameters_mm"], nlohmann::ordered_json::parse("[14.0, 8.0]"));
  EXPECT_EQ(nodule["craniocaudal_mm"], 9.13);
  EXPECT_EQ(nodule["volume_ml"], 0.523);
  EXPECT_EQ(written["lesions"][0]["extent_mm2"], 412.5);
  EXPECT_EQ(written["items"]["hydrocephalus"]["evans_index"], 0.27);
  // The nearest double to the decimal, and no negative zero.
  const std::string text = written.dump();
  EXPECT_THAT(text, HasSubstr("[12.35,0.0,7.0]"));
  EXPECT_THAT(text, ::testing::Not(HasSubstr("-0.0")));
}

TEST(FindingsWriter, WritesAFileTheReaderReadsAndLeavesNothingElse) {
  const fs::path folder = Scratch();
  const Findings findings = ParseFindings(kContractExample, "contract.json");
  WriteFindings(findings, folder / "P001_baseline.json");
  ExpectSameFindings(ReadFindings(folder / "P001_baseline.json"), findings);
  // Overwriting replaces the document whole.
  Findings changed = findings;
  changed.lesions.pop_back();
  WriteFindings(changed, folder / "P001_baseline.json");
  ExpectSameFindings(ReadFindings(folder / "P001_baseline.json"), changed);
  const auto entries = std::distance(fs::directory_iterator(folder), fs::directory_iterator());
  EXPECT_EQ(entries, 1);
}

TEST(FindingsWriter, RefusesADocumentTheReaderWouldReject) {
  const fs::path folder = Scratch();
  Findings findings = ParseFindings(kContractExample, "contract.json");
  findings.subject.clear();
  try {
    WriteFindings(findings, folder / "f.json");
    FAIL() << "wrote a document without a subject";
  } catch (const DocumentError& e) {
    EXPECT_EQ(e.field(), "subject");
  }
  EXPECT_TRUE(fs::is_empty(folder));
}

TEST(FindingsWriter, UnwritableFileIsNamed) {
  const Findings findings = ParseFindings(kContractExample, "contract.json");
  try {
    WriteFindings(findings, "/no/such/folder/f.json");
    FAIL();
  } catch (const DocumentError& e) {
    EXPECT_THAT(e.what(), HasSubstr("/no/such/folder/f.json: cannot be written"));
  }
}

}  // namespace
}  // namespace leptoscan::scoring
