// EANO-ESMO 2023 MRI types from the items of one time point.
#include "scoring/eano_type.h"

#include <gtest/gtest.h>

#include "tests/scoring/findings_builder.h"

namespace leptoscan::scoring {
namespace {

using testing::Baseline;

TEST(EanoType, EachTypeFromItsFindings) {
  const std::pair<testing::FindingsBuilder, const char*> cases[] = {
      {Baseline().Linear("E1", {0, 0, 0}, 100), "A"},
      {Baseline().Linear("C1", {0, 0, 0}, 20, "cranial_nerve"), "A"},
      {Baseline().Linear("R1", {0, 0, -300}, 20, "nerve_root", "spine"), "A"},
      {Baseline().Linear("V1", {0, 0, 0}, 50, "linear", "brain", "ependymal"), "A"},
      {Baseline().Linear("E1", {0, 0, 0}, 100).Status("hydrocephalus", "present"), "A"},
      {Baseline().Nodule("N1", {0, 0, 0}, 6, 5), "B"},
      {Baseline().Nodule("S1", {0, 0, -300}, 6, 5, "subarachnoid", "spine"), "B"},
      {Baseline().Nodule("N1", {0, 0, 0}, 6, 5).Linear("E1", {40, 0, 0}, 100), "C"},
      {Baseline().Status("hydrocephalus", "present"), "D-hydrocephalus"},
      {Baseline(), "D-normal"},
      {Baseline().Nodule("P1", {0, 0, 0}, 16, 15, "parenchymal"), "D-normal"},
      {Baseline().Status("brain_linear", "ne"), "D-normal"},
  };
  for (const auto& [builder, expected] : cases)
    EXPECT_EQ(EanoTypeName(ClassifyEanoType(builder.Build())), expected) << builder.json().dump();
}

}  // namespace
}  // namespace leptoscan::scoring
