#include "scoring/score_table.h"

#include <fmt/format.h>

#include <algorithm>

namespace leptoscan::scoring {
namespace {

std::string Size(const std::optional<double>& mm2) {
  return mm2 ? fmt::format("{:.1f}", *mm2) : "NE";
}

class Table {
 public:
  explicit Table(std::size_t columns) : columns_(columns) {}
  void Row(const std::string& label, const std::vector<std::string>& cells) {
    std::string line = fmt::format("{:<24}", label);
    for (std::size_t i = 0; i < columns_; ++i)
      line += fmt::format(" {:<20}", i < cells.size() ? cells[i] : "");
    while (!line.empty() && line.back() == ' ')
      line.pop_back();
    text_ += line + "\n";
  }
  const std::string& text() const { return text_; }

 private:
  std::size_t columns_;
  std::string text_;
};

}  // namespace

std::string ScoreTable(const SubjectScore& score) {
  const auto& followups = score.followups;
  Table table(followups.size() + 1);
  std::vector<std::string> header = {score.baseline.timepoint}, dates = {score.baseline.date};
  for (const FollowUpScore& f : followups) {
    header.push_back(f.findings.timepoint);
    dates.push_back(fmt::format("{} (day {})", f.findings.date, f.days_from_baseline));
  }
  table.Row(fmt::format("{} {}", score.baseline.subject, ProfileName(score.profile)), header);
  table.Row("", dates);
  if (followups.empty()) return table.text();

  const Assessment& first = followups.front().assessment;
  for (std::size_t i = 0; i < first.items.size(); ++i) {
    std::vector<std::string> cells = {std::string(StatusName(first.items[i].baseline))};
    for (const FollowUpScore& f : followups) {
      const ItemAssessment& item = f.assessment.items[i];
      cells.push_back(fmt::format("{} ({})", StatusName(item.followup), ItemChangeName(item.change)));
    }
    table.Row(first.items[i].name, cells);
  }
  std::vector<std::string> types = {std::string(EanoTypeName(score.baseline_eano_type))};
  for (const FollowUpScore& f : followups)
    types.push_back(std::string(EanoTypeName(f.eano_type)));
  table.Row("EANO-ESMO type", types);

  const char* target_word = score.profile == Profile::kRanoLm ? "target" : "tracked";
  for (std::size_t t = 0; t < first.targets.size(); ++t) {
    std::vector<std::string> cells = {fmt::format("{:.1f}", first.targets[t].baseline_mm2)};
    for (const FollowUpScore& f : followups) {
      const TargetMeasurement& target = f.assessment.targets[t];
      cells.push_back(fmt::format(
          "{}{}", Size(target.followup_mm2),
          target.followup_ids.empty() ? "" : fmt::format(" <- {}", fmt::join(target.followup_ids, "+"))));
    }
    table.Row(fmt::format("{} {} mm2", target_word, first.targets[t].id), cells);
  }
  std::vector<std::string> composite = {fmt::format("{:.1f}", first.baseline_composite_mm2)}, change = {""},
                           fresh = {""}, response = {""};
  for (const FollowUpScore& f : followups) {
    composite.push_back(Size(f.assessment.followup_composite_mm2));
    change.push_back(f.assessment.change ? Percent(*f.assessment.change) : "-");
    fresh.push_back(
        f.assessment.new_lesions.empty() ? "-" : fmt::format("{}", fmt::join(f.assessment.new_lesions, ",")));
    response.push_back(std::string(ResponseName(f.assessment.response)));
  }
  table.Row("composite mm2", composite);
  table.Row("change", change);
  table.Row("new lesions", fresh);
  for (std::size_t s = 0; s < followups.front().separate.size(); ++s) {
    const SeparateMetastases& base = followups.front().separate[s];
    if (base.baseline_count == 0 &&
        std::all_of(followups.begin(), followups.end(),
                    [s](const FollowUpScore& f) { return f.separate[s].followup_count == 0; }))
      continue;
    std::vector<std::string> cells = {fmt::format("{} / {:.1f} mm2", base.baseline_count, base.baseline_mm2)};
    for (const FollowUpScore& f : followups)
      cells.push_back(
          fmt::format("{} / {:.1f} mm2", f.separate[s].followup_count, f.separate[s].followup_mm2));
    table.Row(fmt::format("{} (not LM)", base.location), cells);
  }
  table.Row("response", response);

  std::string text = table.text();
  for (const FollowUpScore& f : followups)
    text += fmt::format("{}: {}\n", f.findings.timepoint, f.assessment.trace.back());
  text +=
      fmt::format("best response {}; first progression {}\n", ResponseName(score.best_response),
                  score.first_progression
                      ? fmt::format("{} ({}, day {})", followups[*score.first_progression].findings.timepoint,
                                    followups[*score.first_progression].findings.date,
                                    followups[*score.first_progression].days_from_baseline)
                      : std::string("none"));
  return text;
}

}  // namespace leptoscan::scoring
