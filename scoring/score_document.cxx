#include "scoring/score_document.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace leptoscan::scoring {
namespace {

using Json = nlohmann::ordered_json;

Json Optional(const std::optional<double>& value) {
  return value ? Json(*value) : Json(nullptr);
}

Json Parameters(const SubjectScore& score) {
  return Json::parse(ParametersJson(score.parameters));
}

Json Baseline(const SubjectScore& score, const Assessment& assessment) {
  return {{"timepoint", score.baseline.timepoint},
          {"date", score.baseline.date},
          {"composite_mm2", assessment.baseline_composite_mm2},
          {"eano_type", EanoTypeName(score.baseline_eano_type)}};
}

Json Targets(const Assessment& assessment) {
  Json targets = Json::array();
  for (const TargetMeasurement& t : assessment.targets)
    targets.push_back({{"id", t.id},
                       {"followup_id", t.followup_ids.empty() ? Json(nullptr) : Json(t.followup_ids.front())},
                       {"followup_ids", t.followup_ids},
                       {"item", t.item},
                       {"kind", LesionKindName(t.kind)},
                       {"measurable", t.measurable},
                       {"baseline_mm2", t.baseline_mm2},
                       {"followup_mm2", Optional(t.followup_mm2)}});
  return targets;
}

Json Matching(const FollowUpScore& followup) {
  Json pairs = Json::array(), ambiguous = Json::array();
  for (const LesionLink& link : followup.matching.links)
    pairs.push_back(
        {{"baseline", link.baseline_id}, {"followup", link.followup_id}, {"distance_mm", link.distance_mm}});
  for (const MatchAmbiguity& a : followup.matching.ambiguities)
    ambiguous.push_back({{"lesion", a.lesion},
                         {"timepoint", a.timepoint},
                         {"candidates", a.candidates},
                         {"resolution", a.resolution}});
  return {{"distance_mm", followup.matching.max_distance_mm},
          {"transform", followup.transform_file.empty() ? Json(nullptr) : Json(followup.transform_file)},
          {"pairs", pairs},
          {"ambiguous", ambiguous}};
}

Json Document(const SubjectScore& score, const FollowUpScore& followup) {
  const Assessment& assessment = followup.assessment;
  Json items = Json::object();
  for (const ItemAssessment& item : assessment.items)
    items[item.name] = {{"baseline", StatusName(item.baseline)},
                        {"followup", StatusName(item.followup)},
                        {"change", ItemChangeName(item.change)}};
  Json separate = Json::object();
  for (const SeparateMetastases& s : followup.separate)
    separate[s.location] = {{"baseline_count", s.baseline_count},
                            {"baseline_mm2", s.baseline_mm2},
                            {"followup_count", s.followup_count},
                            {"followup_mm2", s.followup_mm2},
                            {"new", s.new_ids}};
  return {{"schema", "leptoscan.score/1"},
          {"subject", score.baseline.subject},
          {"profile", ProfileName(score.profile)},
          {"parameters", Parameters(score)},
          {"baseline", Baseline(score, assessment)},
          {"followup",
           {{"timepoint", followup.findings.timepoint},
            {"date", followup.findings.date},
            {"days_from_baseline", followup.days_from_baseline},
            {"composite_mm2", Optional(assessment.followup_composite_mm2)},
            {"eano_type", EanoTypeName(followup.eano_type)}}},
          {"change", Optional(assessment.change)},
          {"targets", Targets(assessment)},
          {"items", items},
          {"new_lesions", assessment.new_lesions},
          {"separate", separate},
          {"matching", Matching(followup)},
          {"response", ResponseName(assessment.response)},
          {"trace", assessment.trace}};
}

std::string Cell(const std::optional<double>& value) {
  return value ? fmt::format("{:g}", *value) : "";
}

}  // namespace

std::string ScoreDocumentJson(const SubjectScore& score, std::size_t followup) {
  return Document(score, score.followups.at(followup)).dump(2) + "\n";
}

std::string ScoreSeriesJson(const SubjectScore& score) {
  Json documents = Json::array();
  for (const FollowUpScore& followup : score.followups)
    documents.push_back(Document(score, followup));
  Json progression = nullptr;
  if (score.first_progression) {
    const FollowUpScore& pd = score.followups[*score.first_progression];
    progression = {{"timepoint", pd.findings.timepoint},
                   {"date", pd.findings.date},
                   {"days_from_baseline", pd.days_from_baseline}};
  }
  const Json series = {{"schema", "leptoscan.score-series/1"},
                       {"subject", score.baseline.subject},
                       {"profile", ProfileName(score.profile)},
                       {"parameters", Parameters(score)},
                       {"best_response", ResponseName(score.best_response)},
                       {"first_progression", progression},
                       {"scores", documents}};
  return series.dump(2) + "\n";
}

std::string ScoreTsv(const SubjectScore& score) {
  std::string tsv =
      "subject\tprofile\tbaseline_date\tfollowup_timepoint\tfollowup_date\tdays_from_baseline\t"
      "baseline_composite_mm2\tfollowup_composite_mm2\tchange\tbaseline_eano_type\tfollowup_eano_type\t"
      "new_lesions\tresponse\tbest_response\tfirst_progression_date\n";
  const std::string first_pd =
      score.first_progression ? score.followups[*score.first_progression].findings.date : "";
  for (const FollowUpScore& f : score.followups) {
    const Assessment& a = f.assessment;
    tsv += fmt::format("{}\t{}\t{}\t{}\t{}\t{}\t{:g}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
                       score.baseline.subject, ProfileName(score.profile), score.baseline.date,
                       f.findings.timepoint, f.findings.date, f.days_from_baseline, a.baseline_composite_mm2,
                       Cell(a.followup_composite_mm2), Cell(a.change), EanoTypeName(score.baseline_eano_type),
                       EanoTypeName(f.eano_type), fmt::join(a.new_lesions, ","), ResponseName(a.response),
                       ResponseName(score.best_response), first_pd);
  }
  return tsv;
}

}  // namespace leptoscan::scoring
