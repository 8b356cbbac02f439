#include "scoring/evaluation.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <tuple>

#include "scoring/eano_type.h"
#include "scoring/errors.h"

namespace leptoscan::scoring {
namespace {

using Json = nlohmann::ordered_json;

// Measurements come in 0.01 mm steps, so an error of exactly 1 mm must not miss a "<= 1 mm" target through
// binary rounding of the subtraction.
constexpr double kTargetTolerance = 1e-9;

void CheckPaired(const TimepointPair& pair) {
  const auto check = [&](const char* field, const std::string& detected, const std::string& truth) {
    if (detected != truth)
      throw DocumentError(pair.detected.file, field,
                          fmt::format("\"{}\" is paired with the truth of {} \"{}\" ({})", detected, field,
                                      truth, pair.truth.file));
  };
  check("subject", pair.detected.subject, pair.truth.subject);
  check("date", pair.detected.date, pair.truth.date);
}

void CountItems(const TimepointPair& pair, std::array<ItemAccuracy, kItems.size()>& items) {
  for (ItemAccuracy& counts : items) {
    const Status truth = pair.truth.status(counts.item), detected = pair.detected.status(counts.item);
    if (truth == Status::kNotEvaluable) {
      ++counts.truth_ne;
      continue;
    }
    if (detected == Status::kNotEvaluable) ++counts.detected_ne;
    const bool called_present = detected == Status::kPresent, called_absent = detected == Status::kAbsent;
    if (truth == Status::kPresent)
      ++(called_present ? counts.true_positives : counts.false_negatives);
    else
      ++(called_absent ? counts.true_negatives : counts.false_positives);
  }
}

void CountNerveNaming(const TimepointPair& pair, Ratio& naming) {
  const auto& truth = pair.truth.item(Item::kCranialNerves).nerves;
  if (truth.empty()) return;
  const auto& detected = pair.detected.item(Item::kCranialNerves).nerves;
  ++naming.denominator;
  // Sets: the order in which nerves are listed carries no meaning.
  if (std::set<std::string>(truth.begin(), truth.end()) ==
      std::set<std::string>(detected.begin(), detected.end()))
    ++naming.numerator;
}

std::vector<const Lesion*> Nodules(const Findings& findings) {
  std::vector<const Lesion*> nodules;
  for (const Lesion& lesion : findings.lesions)
    if (lesion.kind == LesionKind::kNodule) nodules.push_back(&lesion);
  return nodules;
}

// Running sums over matched pairs; the mean is formed at the end.
struct DiameterErrors {
  double sum = 0;
  double max = 0;
  std::size_t count = 0;
};

void MatchNodules(const TimepointPair& pair, const EvaluationOptions& options, NoduleAccuracy& nodules,
                  DiameterErrors& errors) {
  const std::vector<const Lesion*> truth = Nodules(pair.truth), detected = Nodules(pair.detected);
  std::vector<std::tuple<double, std::size_t, std::size_t>> candidates;  // distance, truth, detected
  for (std::size_t t = 0; t < truth.size(); ++t) {
    const double radius = std::max(options.nodule_match_mm, truth[t]->diameters_mm[0] / 2);
    for (std::size_t d = 0; d < detected.size(); ++d) {
      const double distance = Distance(truth[t]->center_mm, detected[d]->center_mm);
      if (distance <= radius) candidates.emplace_back(distance, t, d);
    }
  }
  // Nearest pairs first (ties by id, as the reader sorts lesions by id), so that neither list's order
  // decides who matches.
  std::sort(candidates.begin(), candidates.end());
  std::vector<bool> truth_matched(truth.size()), detected_matched(detected.size());
  for (const auto& [distance, t, d] : candidates) {
    if (truth_matched[t] || detected_matched[d]) continue;
    truth_matched[t] = detected_matched[d] = true;
    for (std::size_t i = 0; i < 2; ++i) {
      const double error = std::abs(detected[d]->diameters_mm[i] - truth[t]->diameters_mm[i]);
      errors.sum += error;
      errors.max = std::max(errors.max, error);
      ++errors.count;
    }
    ++nodules.routing.denominator;
    if (truth[t]->IsLeptomeningeal() == detected[d]->IsLeptomeningeal()) ++nodules.routing.numerator;
  }

  nodules.truth += truth.size();
  nodules.detected += detected.size();
  for (std::size_t t = 0; t < truth.size(); ++t) {
    const bool measurable =
        std::min(truth[t]->diameters_mm[0], truth[t]->diameters_mm[1]) >= options.measurable_min_mm;
    ++nodules.recall.denominator;
    nodules.recall_measurable.denominator += measurable;
    if (truth_matched[t]) {
      ++nodules.recall.numerator;
      nodules.recall_measurable.numerator += measurable;
    } else {
      nodules.missed.push_back({pair.truth.subject, pair.truth.timepoint, truth[t]->id});
    }
  }
  for (std::size_t d = 0; d < detected.size(); ++d)
    if (!detected_matched[d])
      nodules.unmatched_detected.push_back({pair.detected.subject, pair.detected.timepoint, detected[d]->id});
}

std::size_t IndexOf(Response response) {
  return static_cast<std::size_t>(std::find(kResponses.begin(), kResponses.end(), response) -
                                  kResponses.begin());
}

ResponseAgreement Agree(const std::vector<FollowupResponse>& responses) {
  ResponseAgreement agreement;
  for (const FollowupResponse& r : responses) {
    ++agreement.confusion[IndexOf(r.expected)][IndexOf(r.detected)];
    ++agreement.agreement.denominator;
    if (r.expected == r.detected)
      ++agreement.agreement.numerator;
    else
      agreement.disagreements.push_back(r);
  }
  const double n = static_cast<double>(responses.size());
  if (responses.empty()) return agreement;
  // In units of 1/n^2: observed agreement po = observed n / n^2, chance agreement pe = chance / n^2.
  double chance = 0;
  for (std::size_t k = 0; k < kResponses.size(); ++k) {
    std::size_t expected = 0, detected = 0;
    for (std::size_t j = 0; j < kResponses.size(); ++j)
      expected += agreement.confusion[k][j], detected += agreement.confusion[j][k];
    chance += static_cast<double>(expected) * static_cast<double>(detected);
  }
  const double observed = static_cast<double>(agreement.agreement.numerator) * n;
  // pe = 1 only when both put every follow-up in the same category, which is perfect agreement.
  agreement.kappa = chance == n * n ? 1.0 : (observed - chance) / (n * n - chance);
  return agreement;
}

// One row of the TSV, the table and the JSON metrics list.
struct Metric {
  std::string name;  // units in the name
  std::optional<double> value;
  std::optional<std::size_t> numerator;
  std::optional<std::size_t> denominator;
  std::optional<double> at_least;  // at most one of the two targets
  std::optional<double> at_most;

  std::string Target() const {
    if (at_least) return fmt::format(">= {:g}", *at_least);
    if (at_most) return fmt::format("<= {:g}", *at_most);
    return "";
  }
  // Empty without a target or without a value.
  std::optional<bool> Met() const {
    if (!value || (!at_least && !at_most)) return std::nullopt;
    return at_least ? *value >= *at_least - kTargetTolerance : *value <= *at_most + kTargetTolerance;
  }
};

Metric FromRatio(std::string name, const Ratio& ratio, std::optional<double> at_least = std::nullopt) {
  return {std::move(name), ratio.Value(), ratio.numerator, ratio.denominator, at_least, std::nullopt};
}

std::vector<Metric> Metrics(const Evaluation& e) {
  constexpr double kRate = 0.95;
  std::vector<Metric> metrics;
  for (const ItemAccuracy& item : e.items) {
    metrics.push_back(
        FromRatio(fmt::format("{}_sensitivity", ItemName(item.item)), item.Sensitivity(), kRate));
    metrics.push_back(
        FromRatio(fmt::format("{}_specificity", ItemName(item.item)), item.Specificity(), kRate));
  }
  metrics.push_back(FromRatio("cranial_nerve_naming_accuracy", e.nerve_naming));
  const NoduleAccuracy& n = e.nodules;
  metrics.push_back(FromRatio("nodule_recall", n.recall));
  metrics.push_back(FromRatio(fmt::format("nodule_recall_ge_{:g}mm", e.options.measurable_min_mm),
                              n.recall_measurable, kRate));
  Metric false_positives = FromRatio("nodule_false_positives_per_scan", n.false_positives);
  false_positives.at_most = 0.5;
  metrics.push_back(false_positives);
  metrics.push_back({"nodule_diameter_error_mean_mm", n.diameter_error_mean_mm, std::nullopt,
                     n.diameters_compared, std::nullopt, std::nullopt});
  metrics.push_back({"nodule_diameter_error_max_mm", n.diameter_error_max_mm, std::nullopt,
                     n.diameters_compared, std::nullopt, 1.0});
  metrics.push_back(FromRatio("nodule_routing_accuracy", n.routing, kRate));
  metrics.push_back(FromRatio("eano_type_accuracy", e.eano_type));
  metrics.push_back(FromRatio("response_agreement", e.response.agreement));
  metrics.push_back({"response_kappa", e.response.kappa, std::nullopt, e.response.agreement.denominator, 0.85,
                     std::nullopt});
  return metrics;
}

template <typename T>
Json OrNull(const std::optional<T>& value) {
  return value ? Json(*value) : Json(nullptr);
}

template <typename T>
std::string Cell(const std::optional<T>& value, const char* format = "{}") {
  return value ? fmt::format(fmt::runtime(format), *value) : "";
}

std::string Named(const NoduleRef& nodule) {
  return fmt::format("{} {} {}", nodule.subject, nodule.timepoint, nodule.id);
}

std::vector<std::string> Named(const std::vector<NoduleRef>& nodules) {
  std::vector<std::string> names;
  for (const NoduleRef& nodule : nodules)
    names.push_back(Named(nodule));
  return names;
}

}  // namespace

std::optional<double> Ratio::Value() const {
  if (denominator == 0) return std::nullopt;
  return static_cast<double>(numerator) / static_cast<double>(denominator);
}

Evaluation Evaluate(const std::vector<TimepointPair>& pairs, const std::vector<FollowupResponse>& responses,
                    const EvaluationOptions& options) {
  Evaluation e;
  e.options = options;
  e.timepoints = pairs.size();
  for (std::size_t i = 0; i < kItems.size(); ++i)
    e.items[i].item = kItems[i];
  DiameterErrors errors;
  for (const TimepointPair& pair : pairs) {
    CheckPaired(pair);
    CountItems(pair, e.items);
    CountNerveNaming(pair, e.nerve_naming);
    MatchNodules(pair, options, e.nodules, errors);
    ++e.eano_type.denominator;
    if (ClassifyEanoType(pair.truth) == ClassifyEanoType(pair.detected)) ++e.eano_type.numerator;
  }
  e.nodules.false_positives = {e.nodules.unmatched_detected.size(), pairs.size()};
  e.nodules.diameters_compared = errors.count;
  if (errors.count > 0) {
    e.nodules.diameter_error_mean_mm = errors.sum / static_cast<double>(errors.count);
    e.nodules.diameter_error_max_mm = errors.max;
  }
  e.response = Agree(responses);
  return e;
}

nlohmann::ordered_json EvaluationToJson(const Evaluation& e) {
  Json items = Json::object();
  for (const ItemAccuracy& item : e.items)
    items[std::string(ItemName(item.item))] = {{"true_positives", item.true_positives},
                                               {"false_negatives", item.false_negatives},
                                               {"true_negatives", item.true_negatives},
                                               {"false_positives", item.false_positives},
                                               {"detected_ne", item.detected_ne},
                                               {"truth_ne", item.truth_ne},
                                               {"sensitivity", OrNull(item.Sensitivity().Value())},
                                               {"specificity", OrNull(item.Specificity().Value())}};
  const NoduleAccuracy& n = e.nodules;
  Json labels = Json::array(), disagreements = Json::array();
  for (Response response : kResponses)
    labels.push_back(ResponseName(response));
  for (const FollowupResponse& r : e.response.disagreements)
    disagreements.push_back({{"subject", r.subject},
                             {"date", r.date},
                             {"expected", ResponseName(r.expected)},
                             {"detected", ResponseName(r.detected)}});
  Json metrics = Json::array();
  for (const Metric& m : Metrics(e))
    metrics.push_back({{"metric", m.name},
                       {"value", OrNull(m.value)},
                       {"numerator", OrNull(m.numerator)},
                       {"denominator", OrNull(m.denominator)},
                       {"target", m.Target().empty() ? Json(nullptr) : Json(m.Target())},
                       {"met", OrNull(m.Met())}});
  return {
      {"schema", "leptoscan.evaluation/1"},
      {"options",
       {{"nodule_match_mm", e.options.nodule_match_mm}, {"measurable_min_mm", e.options.measurable_min_mm}}},
      {"timepoints", e.timepoints},
      {"followups", e.response.agreement.denominator},
      {"items", items},
      {"nodules",
       {{"truth", n.truth},
        {"detected", n.detected},
        {"matched", n.recall.numerator},
        {"missed", Named(n.missed)},
        {"unmatched_detected", Named(n.unmatched_detected)}}},
      {"response",
       {{"labels", labels},
        {"confusion", e.response.confusion},
        {"kappa", OrNull(e.response.kappa)},
        {"disagreements", disagreements}}},
      {"metrics", metrics}};
}

std::string EvaluationTsv(const Evaluation& evaluation) {
  std::string tsv = "metric\tvalue\tnumerator\tdenominator\ttarget\tmet\n";
  for (const Metric& m : Metrics(evaluation)) {
    const auto met = m.Met();
    tsv += fmt::format("{}\t{}\t{}\t{}\t{}\t{}\n", m.name, Cell(m.value, "{:.6g}"), Cell(m.numerator),
                       Cell(m.denominator), m.Target(), met ? (*met ? "true" : "false") : "");
  }
  return tsv;
}

std::string EvaluationTable(const Evaluation& evaluation) {
  const auto row = [](const std::string& metric, const std::string& value, const std::string& count,
                      const std::string& target, const std::string& mark) {
    std::string line = fmt::format("{:<36} {:>8} {:>9}  {:<8} {}", metric, value, count, target, mark);
    while (!line.empty() && line.back() == ' ')
      line.pop_back();
    return line + "\n";
  };
  std::string table = row("metric", "value", "count", "target", "");
  for (const Metric& m : Metrics(evaluation)) {
    std::string count;
    if (m.numerator && m.denominator)
      count = fmt::format("{}/{}", *m.numerator, *m.denominator);
    else if (m.denominator)
      count = fmt::format("n={}", *m.denominator);
    const auto met = m.Met();
    std::string mark;
    if (!m.Target().empty()) mark = met ? (*met ? "met" : "NOT met") : "n/a";
    table += row(m.name, m.value ? fmt::format("{:.3f}", *m.value) : "-", count, m.Target(), mark);
  }
  return table;
}

}  // namespace leptoscan::scoring
