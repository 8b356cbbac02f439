#include "pipeline/cohort_page.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <vector>

#include "pipeline/report.h"
#include "scoring/eano_type.h"

namespace leptoscan::pipeline {
namespace {

struct Bar {
  std::string subject, response;
  double percent;
};

// `why`: shown on hover, e.g. the rule that decided.
std::string ResponseBadge(scoring::Response response, const std::string& why = "") {
  const std::string_view name = scoring::ResponseName(response);
  return fmt::format("<span class=\"response {0}\" title=\"{1}\">{0}</span>", name, HtmlEscape(why));
}

// The best (lowest) change of the composite up to and including the first progression, as the best
// response counts it; empty when no follow-up could be compared.
std::optional<double> BestChange(const scoring::SubjectScore& score) {
  std::optional<double> best;
  const std::size_t last = score.first_progression ? *score.first_progression + 1 : score.followups.size();
  for (std::size_t i = 0; i < last; ++i) {
    const std::optional<double>& change = score.followups[i].assessment.change;
    if (change && (!best || *change < *best)) best = change;
  }
  return best;
}

std::string Counts(const BatchResult& batch) {
  const ResponseCounts responses = batch.Responses();
  std::string html = fmt::format(
      "<dl>\n<dt>subjects</dt><dd>{}</dd>\n<dt>failed</dt><dd>{}</dd>\n<dt>follow-ups</dt><dd>{}</dd>\n",
      batch.cases.size(), batch.Failed(), responses.followups);
  for (const auto& [title, counts] :
       {std::pair{"follow-up responses", responses.followup}, {"best responses", responses.best}}) {
    html += fmt::format("<dt>{}</dt><dd>", title);
    for (const auto& [name, count] : counts)
      html += fmt::format("<span class=\"response {0}\">{0}</span> {1} &nbsp; ", HtmlEscape(name), count);
    html += counts.empty() ? "none</dd>\n" : "</dd>\n";
  }
  return html + "</dl>\n";
}

// Bars from highest to lowest change (the oncology waterfall), in percent of the baseline composite.
std::string Waterfall(std::vector<Bar> bars, const scoring::ScoringParameters& parameters) {
  std::string html = "<section class=\"plot\">\n<h2>Best change of the composite score</h2>\n";
  if (bars.empty()) return html + "<p>No subject has a follow-up that could be compared.</p>\n</section>\n";
  std::stable_sort(bars.begin(), bars.end(),
                   [](const Bar& a, const Bar& b) { return a.percent > b.percent; });
  const double pd = parameters.pd_change * 100, pr = parameters.pr_change * 100;
  double top = std::max(pd * 2, 50.0), bottom = -100;
  for (const Bar& b : bars) {
    top = std::max(top, b.percent);
    bottom = std::min(bottom, b.percent);
  }
  constexpr double kWidth = 860, kHeight = 340, kLeft = 70, kRight = 20, kTop = 20, kBottom = 90;
  const double step = (kWidth - kLeft - kRight) / double(bars.size());
  const auto y = [&](double percent) {
    return kTop + (top - percent) / (top - bottom) * (kHeight - kTop - kBottom);
  };
  html += fmt::format(
      "<svg class=\"waterfall\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" role=\"img\" "
      "aria-label=\"best change of the composite score per subject\">\n"
      "<text x=\"14\" y=\"{2:.1f}\" class=\"tick\" transform=\"rotate(-90 14 {2:.1f})\" "
      "text-anchor=\"middle\">change from baseline (%)</text>\n",
      kWidth, kHeight, (kTop + kHeight - kBottom) / 2);
  for (const double line : {top, pd, 0.0, pr, bottom}) {
    html += fmt::format(
        "<line x1=\"{0}\" y1=\"{1:.1f}\" x2=\"{2}\" y2=\"{1:.1f}\" class=\"{3}\"/>"
        "<text x=\"{0}\" y=\"{1:.1f}\" dx=\"-6\" dy=\"4\" class=\"tick\" "
        "text-anchor=\"end\">{4}</text>\n",
        kLeft, y(line), kWidth - kRight,
        line == 0                  ? "axis"
        : line == pd || line == pr ? "threshold"
                                   : "",
        line == 0 ? "0" : fmt::format("{:+.0f}", line));
  }
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const Bar& b = bars[i];
    const double x = kLeft + step * (double(i) + 0.15), width = step * 0.7;
    const double y0 = y(std::max(b.percent, 0.0)), y1 = y(std::min(b.percent, 0.0));
    html += fmt::format(
        "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" class=\"bar {}\">"
        "<title>{}: {:+.1f} %</title></rect>"
        "<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"tick\" text-anchor=\"end\" transform=\"rotate(-60 {:.1f} "
        "{:.1f})\">"
        "{}</text>\n",
        x, y0, width, std::max(y1 - y0, 1.0), b.response, HtmlEscape(b.subject), b.percent, x + width / 2,
        kHeight - kBottom + 14, x + width / 2, kHeight - kBottom + 14, HtmlEscape(b.subject));
  }
  return html +
         fmt::format(
             "</svg>\n<p class=\"note\">Bars: each subject's lowest change up to the first progression, "
             "coloured by its best response; dashed lines: progression at {:+.0f} %, response at "
             "{:+.0f} %.</p>\n</section>\n",
             pd, pr);
}

std::string SubjectRow(const CaseOutcome& c) {
  const std::string folder = HtmlEscape(c.folder.filename().string());
  const std::string subject = HtmlEscape(c.subject);
  if (c.error)
    return fmt::format(
        "<tr class=\"failed\"><td><a href=\"{0}/error.json\">{1}</a></td><td>failed</td><td "
        "colspan=\"7\">{2} {3}: "
        "{4}</td><td class=\"number\">{5:.0f}</td></tr>\n",
        folder, subject, HtmlEscape(c.error->stage()), HtmlEscape(c.error->timepoint()),
        HtmlEscape(c.error->message()), c.seconds);
  const scoring::SubjectScore& score = c.result->score;
  std::string dates, composites, changes, new_lesions, responses;
  for (const scoring::FollowUpScore& f : score.followups) {
    const scoring::Assessment& a = f.assessment;
    dates += HtmlEscape(f.findings.date) + "<br>";
    composites +=
        (a.followup_composite_mm2 ? fmt::format("{:.1f}", *a.followup_composite_mm2) : "–") + "<br>";
    changes += ChangeText(a.change) + "<br>";
    new_lesions +=
        (a.new_lesions.empty() ? "–" : HtmlEscape(fmt::format("{}", fmt::join(a.new_lesions, ", ")))) +
        "<br>";
    responses += ResponseBadge(a.response, a.trace.empty() ? "" : a.trace.back()) + "<br>";
  }
  return fmt::format(
      "<tr><td><a href=\"{}/report.html\">{}</a></td><td>{}</td><td>{} ({})</td><td class=\"number\">{}</td>"
      "<td class=\"date\">{}</td><td class=\"number\">{}</td><td "
      "class=\"number\">{}</td><td>{}</td><td>{}</td>"
      "<td class=\"number\">{:.0f}</td></tr>\n",
      folder, subject, score.followups.empty() ? "baseline only" : ResponseBadge(score.best_response),
      HtmlEscape(score.baseline.date), scoring::EanoTypeName(score.baseline_eano_type),
      score.followups.empty()
          ? "–"
          : fmt::format("{:.1f}", score.followups.front().assessment.baseline_composite_mm2),
      dates, composites, changes, new_lesions, responses, c.seconds);
}

}  // namespace

std::string CohortSummaryHtml(const BatchResult& batch) {
  std::vector<Bar> bars;
  scoring::ScoringParameters parameters;
  std::string rows;
  for (const CaseOutcome& c : batch.cases) {
    rows += SubjectRow(c);
    if (!c.result) continue;
    parameters = c.result->score.parameters;
    if (const std::optional<double> best = BestChange(c.result->score))
      bars.push_back(
          {c.subject, std::string(scoring::ResponseName(c.result->score.best_response)), *best * 100});
  }
  return fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>LeptoScan cohort summary"
      "</title>\n<style>{}</style>\n</head>\n<body>\n<header>\n<h1>LeptoScan cohort summary</h1>\n"
      "<p>Imaging findings for review, not a diagnosis. The same data as results.tsv and summary.json; each "
      "subject links to its report.</p>\n</header>\n<section>\n<h2>Counts</h2>\n{}</section>\n{}"
      "<section>\n<h2>Subjects</h2>\n<table class=\"subjects\">\n<tr><th>subject</th><th>best response</th>"
      "<th>baseline (EANO-ESMO type)</th><th>baseline composite (mm²)</th><th>follow-up</th>"
      "<th>composite (mm²)</th><th>change</th><th>new lesions</th><th>response</th><th>case time "
      "(s)</th></tr>\n{}</table>\n"
      "</section>\n<p class=\"note\">Summary by leptoscan {}.</p>\n</body>\n</html>\n",
      ReportCss(), Counts(batch), Waterfall(bars, parameters), rows, LEPTOSCAN_VERSION);
}

}  // namespace leptoscan::pipeline
