// Detection accuracy of findings documents against truth documents (the phantom's truth.json files are
// findings documents with extra keys): per item sensitivity and specificity, cranial-nerve naming, nodule
// recall, false positives, diameter error and location routing, EANO-ESMO type, and agreement of the
// response with the expected one. Each metric that has a target (e.g. sensitivity >= 0.95) is marked met or
// not, so a benchmark run says at a glance where the detector falls short.
#pragma once

#include <array>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "scoring/assessment.h"
#include "scoring/findings.h"

namespace leptoscan::scoring {

// The truth and what was detected at the same time point of the same subject.
struct TimepointPair {
  Findings truth;
  Findings detected;
};

// One follow-up's response as the truth expects it and as scoring the detected findings gave it.
struct FollowupResponse {
  std::string subject;
  std::string date;
  Response expected = Response::kNE;
  Response detected = Response::kNE;
};

struct EvaluationOptions {
  // A detected nodule matches a truth nodule whose centre is within this distance, or within half the
  // truth's longest diameter when that is larger (a big nodule's detected centre can sit off its centroid).
  double nodule_match_mm = 5;
  // Truth nodules with both diameters >= this are the ones whose recall has a target.
  double measurable_min_mm = 5;
};

// A count out of a total; no value when the total is 0 (a rate over nothing is undefined, not 0 or 1).
struct Ratio {
  std::size_t numerator = 0;
  std::size_t denominator = 0;
  std::optional<double> Value() const;
};

// Counts for one item over the time points where the truth evaluates it. A detector that leaves an item NE
// where the truth does not is counted wrong (intention to diagnose): a false negative if the truth is
// present, a false positive if absent, so that declining to answer never improves a rate.
struct ItemAccuracy {
  Item item = Item::kBrainNodules;
  std::size_t true_positives = 0;
  std::size_t false_negatives = 0;
  std::size_t true_negatives = 0;
  std::size_t false_positives = 0;
  std::size_t detected_ne = 0;  // of the above, time points the detector left NE
  std::size_t truth_ne = 0;     // time points left out: NE in the truth

  Ratio Sensitivity() const { return {true_positives, true_positives + false_negatives}; }
  Ratio Specificity() const { return {true_negatives, true_negatives + false_positives}; }
};

// A nodule of one time point, named for reports as "subject timepoint id".
struct NoduleRef {
  std::string subject;
  std::string timepoint;
  std::string id;
};

// Nodules of every kind and location (leptomeningeal, parenchymal, intramedullary), matched per time point.
struct NoduleAccuracy {
  std::size_t truth = 0;
  std::size_t detected = 0;
  Ratio recall;                        // matched truth nodules / truth nodules
  Ratio recall_measurable;             // the same over truth nodules with both diameters >= measurable_min_mm
  Ratio false_positives;               // detected nodules matching no truth nodule / time points
  std::size_t diameters_compared = 0;  // two per matched pair
  std::optional<double> diameter_error_mean_mm;
  std::optional<double> diameter_error_max_mm;
  Ratio routing;  // matched pairs routed alike: both leptomeningeal, or both parenchymal/intramedullary
  std::vector<NoduleRef> missed;              // truth nodules with no detected match
  std::vector<NoduleRef> unmatched_detected;  // the false positives
};

// Responses in the order of the Response enum: CR, PR, SD, PD, NE.
inline constexpr std::array<Response, 5> kResponses = {Response::kCR, Response::kPR, Response::kSD,
                                                       Response::kPD, Response::kNE};

struct ResponseAgreement {
  // confusion[expected][detected], indexed as kResponses.
  std::array<std::array<std::size_t, kResponses.size()>, kResponses.size()> confusion{};
  Ratio agreement;  // follow-ups where detected == expected / follow-ups
  // Cohen's kappa, (po - pe) / (1 - pe); 1 when both raters put everything in one category (po = pe = 1),
  // none without follow-ups.
  std::optional<double> kappa;
  std::vector<FollowupResponse> disagreements;  // in the order given
};

struct Evaluation {
  EvaluationOptions options;
  std::size_t timepoints = 0;
  std::array<ItemAccuracy, kItems.size()> items;  // indexed as kItems
  Ratio nerve_naming;  // time points with truth nerves where the detected set of nerves equals the truth's
  NoduleAccuracy nodules;
  Ratio eano_type;  // time points where ClassifyEanoType agrees
  ResponseAgreement response;
};

// Throws DocumentError (naming the detected document) when a pair's subject or date differ: a pairing
// mistake must not pass as a detection error.
Evaluation Evaluate(const std::vector<TimepointPair>& pairs, const std::vector<FollowupResponse>& responses,
                    const EvaluationOptions& options = {});

// "leptoscan.evaluation/1": options, counts, the confusion matrix, missed and unmatched nodules, and the
// metrics (value null when undefined) with their targets.
nlohmann::ordered_json EvaluationToJson(const Evaluation& evaluation);
// One row per metric: metric, value, numerator, denominator, target, met (true, false or empty when there is
// no target or no value); units in the metric names.
std::string EvaluationTsv(const Evaluation& evaluation);
// Aligned text table of the metrics with their targets, each target marked met, NOT met or n/a.
std::string EvaluationTable(const Evaluation& evaluation);

}  // namespace leptoscan::scoring
