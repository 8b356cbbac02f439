#include "scoring/score_reader.h"

#include <fmt/format.h>

#include "scoring/errors.h"
#include "scoring/json_fields.h"

namespace leptoscan::scoring {
namespace {

using nlohmann::json;

constexpr const char* kSchema = "leptoscan.score/1";

std::optional<double> NullableNumber(const JsonFields& fields, const json& value, const std::string& path) {
  if (value.is_null()) return std::nullopt;
  return fields.Number(value, path);
}

std::vector<std::string> Strings(const JsonFields& fields, const json& value, const std::string& path) {
  std::vector<std::string> strings;
  const json& list = fields.Array(value, path);
  for (std::size_t i = 0; i < list.size(); ++i)
    strings.push_back(fields.String(list[i], fmt::format("{}[{}]", path, i)));
  return strings;
}

// An optional string member: empty when absent or null.
std::string OptionalString(const JsonFields& fields, const json& object, const std::string& path,
                           const std::string& key) {
  const auto found = object.find(key);
  if (found == object.end() || found->is_null()) return "";
  return fields.String(*found, JoinPath(path, key));
}

ScoredTimepoint ReadTimepoint(const JsonFields& fields, const json& document, const std::string& key) {
  const json& side = fields.Object(fields.Member(document, "", key), key);
  ScoredTimepoint timepoint;
  timepoint.timepoint = OptionalString(fields, side, key, "timepoint");
  timepoint.date = fields.String(fields.Member(side, key, "date"), key + ".date");
  timepoint.composite_mm2 =
      NullableNumber(fields, fields.Member(side, key, "composite_mm2"), key + ".composite_mm2");
  timepoint.eano_type = fields.String(fields.Member(side, key, "eano_type"), key + ".eano_type");
  return timepoint;
}

std::vector<ScoredTarget> ReadTargets(const JsonFields& fields, const json& document) {
  std::vector<ScoredTarget> targets;
  const json& list = fields.Array(fields.Member(document, "", "targets"), "targets");
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string path = fmt::format("targets[{}]", i);
    const json& t = fields.Object(list[i], path);
    ScoredTarget target;
    target.id = fields.String(fields.Member(t, path, "id"), path + ".id");
    target.followup_id = OptionalString(fields, t, path, "followup_id");
    target.baseline_mm2 = fields.Number(fields.Member(t, path, "baseline_mm2"), path + ".baseline_mm2", 0);
    target.followup_mm2 =
        NullableNumber(fields, fields.Member(t, path, "followup_mm2"), path + ".followup_mm2");
    if (t.contains("measurable")) target.measurable = fields.Bool(t["measurable"], path + ".measurable");
    targets.push_back(std::move(target));
  }
  return targets;
}

std::vector<ItemChangeRecord> ReadItems(const JsonFields& fields, const json& document) {
  std::vector<ItemChangeRecord> items;
  for (const auto& [name, value] : fields.Object(fields.Member(document, "", "items"), "items").items()) {
    const std::string path = "items." + name;
    fields.Object(value, path);
    items.push_back({name, fields.String(fields.Member(value, path, "baseline"), path + ".baseline"),
                     fields.String(fields.Member(value, path, "followup"), path + ".followup"),
                     fields.String(fields.Member(value, path, "change"), path + ".change")});
  }
  return items;
}

Response ReadResponse(const JsonFields& fields, const json& document) {
  const std::string name = fields.String(fields.Member(document, "", "response"), "response");
  for (Response response : {Response::kCR, Response::kPR, Response::kSD, Response::kPD, Response::kNE}) {
    if (name == ResponseName(response)) return response;
  }
  fields.Fail("response", fmt::format("unknown response \"{}\" (expected CR, PR, SD, PD or NE)", name));
}

}  // namespace

ScoreRecord ParseScoreDocument(const std::string& text, const std::string& file) {
  const JsonFields fields(file);
  const json document = fields.Parse(text);
  fields.Object(document, "");
  const std::string schema = fields.String(fields.Member(document, "", "schema"), "schema");
  if (schema != kSchema) fields.Fail("schema", fmt::format("expected \"{}\", got \"{}\"", kSchema, schema));
  ScoreRecord score;
  score.file = file;
  score.subject = fields.String(fields.Member(document, "", "subject"), "subject");
  score.profile = fields.String(fields.Member(document, "", "profile"), "profile");
  score.baseline = ReadTimepoint(fields, document, "baseline");
  score.followup = ReadTimepoint(fields, document, "followup");
  if (const auto days = document["followup"].find("days_from_baseline");
      days != document["followup"].end() && !days->is_null())
    score.days_from_baseline = static_cast<long>(fields.Number(*days, "followup.days_from_baseline"));
  score.change = NullableNumber(fields, fields.Member(document, "", "change"), "change");
  score.targets = ReadTargets(fields, document);
  score.items = ReadItems(fields, document);
  score.new_lesions = Strings(fields, fields.Member(document, "", "new_lesions"), "new_lesions");
  score.response = ReadResponse(fields, document);
  score.trace = Strings(fields, fields.Member(document, "", "trace"), "trace");
  return score;
}

ScoreRecord ReadScoreDocument(const std::filesystem::path& file) {
  return ParseScoreDocument(ReadDocumentText(file), file.string());
}

}  // namespace leptoscan::scoring
