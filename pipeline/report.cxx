#include "pipeline/report.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "io/atomic_file.h"
#include "io/errors.h"
#include "io/nifti.h"
#include "pipeline/key_images.h"
#include "pipeline/subject_outputs.h"
#include "scoring/calendar.h"
#include "scoring/eano_type.h"
#include "scoring/findings_reader.h"
#include "scoring/parameters.h"
#include "scoring/score_reader.h"

namespace leptoscan::pipeline {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

struct Timepoint {
  fs::path folder;
  scoring::Findings findings;
  std::optional<scoring::ScoreRecord> score;  // follow-ups
};

std::vector<Timepoint> ReadTimepoints(const fs::path& subject_folder, const SubjectManifest& manifest) {
  std::vector<Timepoint> timepoints;
  for (const std::string& name : manifest.folders) {
    Timepoint t;
    t.folder = subject_folder / name;
    if (!fs::is_directory(t.folder))
      throw io::InputError(t.folder, "missing: the manifest lists this time point");
    t.findings = scoring::ReadFindings(RequiredFile(t.folder / "findings.json"));
    RequiredFile(t.folder / "post.nii.gz");
    RequiredFile(t.folder / "patterns.nii.gz");
    if (!timepoints.empty()) t.score = scoring::ReadScoreDocument(RequiredFile(t.folder / "score.json"));
    timepoints.push_back(std::move(t));
  }
  return timepoints;
}

std::string Base64(const std::string& bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t n = std::min<std::size_t>(3, bytes.size() - i);
    unsigned triple = 0;
    for (std::size_t b = 0; b < 3; ++b)
      triple = triple << 8 | (b < n ? static_cast<unsigned char>(bytes[i + b]) : 0u);
    for (std::size_t c = 0; c < 4; ++c)
      out += c <= n ? kAlphabet[triple >> (18 - 6 * c) & 63] : '=';
  }
  return out;
}

std::string Mm(double value, int decimals = 1) {
  return fmt::format("{:.{}f}", value, decimals);
}

std::string Optional(const std::optional<double>& value, int decimals = 1) {
  return value ? Mm(*value, decimals) : "–";
}

std::string StatusBadge(std::string_view status) {
  return fmt::format("<span class=\"status {0}\">{0}</span>", HtmlEscape(status));
}

std::string Join(const std::vector<std::string>& names) {
  std::string joined;
  for (const std::string& name : names)
    joined += (joined.empty() ? "" : ", ") + name;
  return joined;
}

std::string ItemDetails(const scoring::Findings& findings, scoring::Item item) {
  const scoring::ItemFinding& finding = findings.item(item);
  std::vector<std::string> details;
  if (!findings.Imaged(scoring::CompartmentOf(item)))
    details.push_back(fmt::format("{} not imaged", scoring::CompartmentName(scoring::CompartmentOf(item))));
  if (finding.extent_mm2) details.push_back(fmt::format("extent {} mm²", Mm(*finding.extent_mm2)));
  if (finding.evans_index)
    details.push_back(fmt::format("Evans index {:.2f} (&gt; {:.2f} is enlarged)", *finding.evans_index,
                                  scoring::ScoringParameters{}.evans_index_enlarged));
  if (!finding.subregions.empty()) details.push_back("subregions: " + HtmlEscape(Join(finding.subregions)));
  if (!finding.nerves.empty()) details.push_back("nerves: " + HtmlEscape(Join(finding.nerves)));
  std::vector<std::string> ids;
  for (const scoring::Lesion& lesion : findings.lesions) {
    if (lesion.ScoredItem() == item) ids.push_back(lesion.id);
  }
  if (!ids.empty()) details.push_back("lesions: " + HtmlEscape(Join(ids)));
  return Join(details);
}

std::string ItemsTable(const Timepoint& t) {
  std::string html =
      "<h3>Items</h3>\n<table class=\"items\"><tr><th>item</th><th>status</th><th>details</th>";
  if (t.score) html += "<th>change from baseline</th>";
  html += "</tr>\n";
  for (scoring::Item item : scoring::kItems) {
    const std::string_view name = scoring::ItemName(item);
    html +=
        fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td>", name,
                    StatusBadge(scoring::StatusName(t.findings.status(item))), ItemDetails(t.findings, item));
    if (t.score) {
      std::string change = "–";
      for (const scoring::ItemChangeRecord& record : t.score->items) {
        if (record.item == name)
          change = fmt::format("{} → {}: {}", HtmlEscape(record.baseline), HtmlEscape(record.followup),
                               HtmlEscape(record.change));
      }
      html += fmt::format("<td>{}</td>", change);
    }
    html += "</tr>\n";
  }
  return html + "</table>\n";
}

// The rano-lm target a lesion is (baseline) or was followed to (follow-up).
std::string TargetOf(const std::string& id, const Timepoint& t,
                     const std::optional<scoring::ScoreRecord>& first) {
  if (t.score) {
    for (const scoring::ScoredTarget& target : t.score->targets) {
      if (target.followup_id == id) return target.id;
    }
  } else if (first) {
    for (const scoring::ScoredTarget& target : first->targets) {
      if (target.id == id) return target.id;
    }
  }
  return "";
}

std::string LesionTables(const Timepoint& t, const std::optional<scoring::ScoreRecord>& first) {
  const scoring::ScoringParameters parameters;
  std::string nodules, others;
  for (const scoring::Lesion& lesion : t.findings.lesions) {
    const std::string id = HtmlEscape(lesion.id);
    if (lesion.kind == scoring::LesionKind::kNodule) {
      const bool measurable =
          scoring::IsMeasurableNodule(lesion, parameters.measurable_mm, parameters.measurable_inclusive);
      nodules += fmt::format(
          "<tr><td>{}</td><td>{}</td><td>{}{}</td><td>{} × "
          "{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
          "<td>{}</td></tr>\n",
          id, scoring::CompartmentName(lesion.compartment), HtmlEscape(lesion.location),
          lesion.IsLeptomeningeal() ? "" : " (not LM)", Mm(lesion.diameters_mm[0]),
          Mm(lesion.diameters_mm[1]), Optional(lesion.craniocaudal_mm), Optional(lesion.volume_ml, 3),
          Optional(lesion.distance_to_leptomeninges_mm), measurable ? "yes" : "no",
          HtmlEscape(TargetOf(lesion.id, t, first)));
    } else {
      others += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                            id, scoring::LesionKindName(lesion.kind),
                            scoring::CompartmentName(lesion.compartment), HtmlEscape(lesion.location),
                            Mm(lesion.extent_mm2), HtmlEscape(TargetOf(lesion.id, t, first)));
    }
  }
  std::string html = "<h3>Nodules</h3>\n";
  html += nodules.empty()
              ? "<p>No nodules.</p>\n"
              : fmt::format(
                    "<table class=\"lesions\"><tr><th>id</th><th>compartment</th><th>location</th>"
                    "<th>diameters (mm)</th><th>craniocaudal (mm)</th><th>volume (ml)</th>"
                    "<th>to leptomeninges (mm)</th><th>measurable (&gt; {} × {} mm)</th><th>target</th>"
                    "</tr>\n{}</table>\n",
                    parameters.measurable_mm[0], parameters.measurable_mm[1], nodules);
  html += "<h3>Linear, cranial-nerve and nerve-root lesions</h3>\n";
  html += others.empty() ? "<p>None.</p>\n"
                         : "<table class=\"lesions\"><tr><th>id</th><th>kind</th><th>compartment</th>"
                           "<th>location</th><th>extent (mm²)</th><th>target</th></tr>\n" +
                               others + "</table>\n";
  return html;
}

std::string ScoreSection(const scoring::ScoreRecord& score) {
  const std::string_view response = scoring::ResponseName(score.response);
  std::string html = fmt::format(
      "<h3>Score against the baseline ({})</h3>\n<p class=\"response\">response <span class=\"response "
      "{}\">{}</span>"
      "</p>\n<p>composite {} mm² → {} mm² (change {}){}</p>\n<p>new lesions: {}</p>\n<p>how it was "
      "decided:</p>\n<ol "
      "class=\"trace\">\n",
      HtmlEscape(score.profile), response, response, Optional(score.baseline.composite_mm2),
      Optional(score.followup.composite_mm2), ChangeText(score.change),
      score.days_from_baseline ? fmt::format(", day {} after the baseline", *score.days_from_baseline) : "",
      score.new_lesions.empty() ? "none" : HtmlEscape(Join(score.new_lesions)));
  for (const std::string& line : score.trace)
    html += "<li>" + HtmlEscape(line) + "</li>\n";
  html += "</ol>\n";
  if (!score.targets.empty()) {
    html +=
        "<table class=\"targets\"><tr><th>target</th><th>follow-up lesion</th><th>baseline (mm²)</th>"
        "<th>follow-up (mm²)</th></tr>\n";
    for (const scoring::ScoredTarget& target : score.targets)
      html += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n", HtmlEscape(target.id),
                          target.followup_id.empty() ? "–" : HtmlEscape(target.followup_id),
                          Mm(target.baseline_mm2), Optional(target.followup_mm2));
    html += "</table>\n";
  }
  return html;
}

std::string Legend() {
  std::string html = "<p class=\"legend\">";
  for (const PatternColour& colour : PatternColours())
    html += fmt::format("<span><i style=\"background:rgb({},{},{})\"></i>{} {}</span>", colour.rgb[0],
                        colour.rgb[1], colour.rgb[2], colour.label, colour.name);
  return html + "</p>\n";
}

std::string KeyImageSet(const io::Volume& post, const io::Volume& patterns, const IntensityWindow& window,
                        const std::array<double, 3>& point, const std::string& name,
                        const std::string& caption) {
  std::string html = "<figure>\n";
  for (SliceView view : kSliceViews) {
    const KeyImage image = RenderKeyImage(post, patterns, point, view, window);
    html += fmt::format("<img alt=\"{} {}\" width=\"{}\" height=\"{}\" src=\"data:image/png;base64,{}\">\n",
                        HtmlEscape(name), SliceViewName(view), image.width, image.height, Base64(image.png));
  }
  return html + "<figcaption>" + caption + "</figcaption>\n</figure>\n";
}

std::string KeyImages(const Timepoint& t, const ReportOptions& options) {
  const io::Volume post = io::ReadNifti(t.folder / "post.nii.gz");
  const fs::path patterns_file = t.folder / "patterns.nii.gz";
  const io::Volume patterns = io::ReadNifti(patterns_file);
  if (patterns.geometry.size != post.geometry.size)
    throw io::InputError(patterns_file, fmt::format("grid {}×{}×{} differs from post.nii.gz ({}×{}×{})",
                                                    patterns.geometry.size[0], patterns.geometry.size[1],
                                                    patterns.geometry.size[2], post.geometry.size[0],
                                                    post.geometry.size[1], post.geometry.size[2]));
  const IntensityWindow window = HeadWindow(post);
  std::string html = "<h3>Key images</h3>\n" + Legend();
  // Key images are cut through the brain's post-contrast series; spine lesions lie in the spine series
  // (spine_post.nii.gz, spine_patterns.nii.gz beside findings.json).
  std::vector<scoring::Lesion> lesions;
  for (const scoring::Lesion& lesion : t.findings.lesions)
    if (lesion.compartment == scoring::Compartment::kBrain) lesions.push_back(lesion);
  if (lesions.size() < t.findings.lesions.size())
    html += fmt::format(
        "<p class=\"note\">{} spine lesion(s): in spine_patterns.nii.gz on the spine series, no "
        "key images here.</p>\n",
        t.findings.lesions.size() - lesions.size());
  if (lesions.empty()) {
    const auto centre = HeadCentre(post);
    return html +
           KeyImageSet(
               post, patterns, window, centre, "overview",
               fmt::format("No lesions: overview through the head centre ({:.1f}, {:.1f}, {:.1f}) mm LPS",
                           centre[0], centre[1], centre[2]));
  }
  const std::size_t shown = std::min(lesions.size(), options.max_lesion_images);
  for (std::size_t i = 0; i < shown; ++i) {
    const scoring::Lesion& lesion = lesions[i];
    const std::string size =
        lesion.kind == scoring::LesionKind::kNodule
            ? fmt::format("{} × {} mm", Mm(lesion.diameters_mm[0]), Mm(lesion.diameters_mm[1]))
            : fmt::format("{} mm²", Mm(lesion.extent_mm2));
    html += KeyImageSet(
        post, patterns, window, lesion.center_mm, lesion.id,
        fmt::format("<b>{}</b> {} {}, {}; centre ({:.1f}, {:.1f}, {:.1f}) mm LPS", HtmlEscape(lesion.id),
                    scoring::LesionKindName(lesion.kind), HtmlEscape(lesion.location), size,
                    lesion.center_mm[0], lesion.center_mm[1], lesion.center_mm[2]));
  }
  if (shown < lesions.size())
    html +=
        fmt::format("<p class=\"note\">{} more lesion(s) not shown: key images for the first {} only.</p>\n",
                    lesions.size() - shown, shown);
  return html;
}

std::string TimepointSection(const Timepoint& t, std::size_t index, const SubjectManifest& manifest,
                             const std::optional<scoring::ScoreRecord>& first, const ReportOptions& options) {
  const scoring::Findings& f = t.findings;
  std::string html = fmt::format(
      "<section class=\"timepoint\" id=\"tp{}\">\n<h2>{} — "
      "{}{}</h2>\n<dl><dt>subject</dt><dd>{}</dd><dt>date</dt>"
      "<dd>{}</dd><dt>time point</dt><dd>{}</dd><dt>folder</dt><dd>{}</dd><dt>EANO-ESMO type</dt><dd>{}</dd>"
      "<dt>source</dt><dd>{}</dd></dl>\n",
      index, HtmlEscape(f.date), index == 0 ? "baseline" : "follow-up",
      t.score
          ? fmt::format(": <span class=\"response {0}\">{0}</span>", scoring::ResponseName(t.score->response))
          : "",
      HtmlEscape(f.subject), HtmlEscape(f.date), HtmlEscape(f.timepoint),
      HtmlEscape(t.folder.filename().string()), scoring::EanoTypeName(scoring::ClassifyEanoType(f)),
      HtmlEscape(f.source.empty() ? "–" : f.source));
  if (f.subject != manifest.subject)
    html += fmt::format("<p class=\"warning\">findings.json is of subject {}, the manifest of {}.</p>\n",
                        HtmlEscape(f.subject), HtmlEscape(manifest.subject));
  html += ItemsTable(t) + LesionTables(t, first);
  if (t.score) html += ScoreSection(*t.score);
  return html + KeyImages(t, options) + "</section>\n";
}

// The composite (mm2) of the baseline and every follow-up against days from the baseline, as inline SVG.
std::string CompositePlot(const std::vector<Timepoint>& timepoints) {
  struct PlotPoint {
    double day;
    std::optional<double> mm2;
    std::string label, date;
  };
  std::vector<PlotPoint> points;
  for (const Timepoint& t : timepoints) {
    if (!t.score) continue;
    const scoring::ScoreRecord& s = *t.score;
    if (points.empty()) points.push_back({0, s.baseline.composite_mm2, "baseline", s.baseline.date});
    const auto from = scoring::DayNumber(s.baseline.date), to = scoring::DayNumber(s.followup.date);
    const double day = s.days_from_baseline ? double(*s.days_from_baseline)
                       : from && to         ? double(*to - *from)
                                            : 0;
    points.push_back(
        {day, s.followup.composite_mm2, std::string(scoring::ResponseName(s.response)), s.followup.date});
  }
  std::string html = "<section class=\"plot\">\n<h2>Composite score over time</h2>\n";
  if (points.empty()) return html + "<p>No follow-up: there is no score to plot.</p>\n</section>\n";
  constexpr double kWidth = 860, kHeight = 320, kLeft = 120, kRight = 110, kTop = 30, kBottom = 60;
  double max_day = 1, max_mm2 = 1;
  for (const PlotPoint& p : points) {
    max_day = std::max(max_day, p.day);
    if (p.mm2) max_mm2 = std::max(max_mm2, *p.mm2);
  }
  max_mm2 *= 1.15;
  const auto x = [&](double day) { return kLeft + day / max_day * (kWidth - kLeft - kRight); };
  const auto y = [&](double mm2) { return kHeight - kBottom - mm2 / max_mm2 * (kHeight - kTop - kBottom); };
  html += fmt::format(
      "<svg class=\"composite\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" role=\"img\" "
      "aria-label=\"composite score over time\">\n<line x1=\"{2}\" y1=\"{3}\" x2=\"{4}\" y2=\"{3}\" "
      "class=\"axis\"/>"
      "<line x1=\"{2}\" y1=\"{3}\" x2=\"{2}\" y2=\"{5}\" class=\"axis\"/>\n"
      "<text x=\"{2}\" y=\"{6}\" class=\"tick\" text-anchor=\"end\" dx=\"-6\">0</text>"
      "<text x=\"{2}\" y=\"{5}\" class=\"tick\" text-anchor=\"end\" dx=\"-6\" dy=\"4\">{7:.0f}</text>"
      "<text x=\"14\" y=\"{8}\" class=\"tick\" transform=\"rotate(-90 14 {8})\" text-anchor=\"middle\">"
      "composite (mm²)</text>"
      "<text x=\"{9}\" y=\"{1}\" dy=\"-8\" class=\"tick\" text-anchor=\"middle\">days from baseline</text>\n",
      kWidth, kHeight, kLeft, kHeight - kBottom, kWidth - kRight, kTop, kHeight - kBottom + 4, max_mm2,
      (kHeight - kBottom + kTop) / 2, (kLeft + kWidth - kRight) / 2);
  std::string line;
  for (const PlotPoint& p : points) {
    if (p.mm2) line += fmt::format("{:.1f},{:.1f} ", x(p.day), y(*p.mm2));
  }
  html += fmt::format("<polyline points=\"{}\" class=\"series\"/>\n", line);
  for (const PlotPoint& p : points) {
    const double px = x(p.day), py = p.mm2 ? y(*p.mm2) : kHeight - kBottom;
    html += fmt::format(
        "<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"6\" class=\"point {}\"/>"
        "<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\" class=\"label\">{} {}</text>"
        "<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\" class=\"tick\">{} (day {:.0f})</text>\n",
        px, py, p.label, px, py - 12, HtmlEscape(p.label), p.mm2 ? Mm(*p.mm2) + " mm²" : "not comparable", px,
        kHeight - kBottom + 18, HtmlEscape(p.date), p.day);
  }
  return html + "</svg>\n</section>\n";
}

std::string Footer(const SubjectManifest& manifest) {
  std::string html = "<footer>\n<h2>Stage timings</h2>\n";
  if (manifest.stages.empty()) return html + "<p>The manifest records no stages.</p>\n</footer>\n";
  html +=
      "<table class=\"stages\"><tr><th>stage</th><th>time point</th><th>seconds</th><th>status</th></tr>\n";
  double total = 0;
  for (const StageTiming& s : manifest.stages) {
    html += fmt::format("<tr><td>{}</td><td>{}</td><td>{:.1f}</td><td>{}</td></tr>\n", HtmlEscape(s.stage),
                        HtmlEscape(s.timepoint), s.seconds, HtmlEscape(s.status));
    total += s.seconds;
  }
  return html + fmt::format("<tr><td>total</td><td></td><td>{:.1f}</td><td></td></tr>\n</table>\n</footer>\n",
                            total);
}

constexpr std::string_view kStyle = R"(
body { font-family: sans-serif; margin: 1.5em; color: #222; max-width: 1200px; }
h1 { margin-bottom: 0.2em; } h2 { border-bottom: 2px solid #446; padding-bottom: 0.2em; margin-top: 1.6em; }
table { border-collapse: collapse; margin: 0.5em 0; } td, th { border: 1px solid #bbb; padding: 2px 8px; text-align: left; }
th { background: #eef; } dl { display: grid; grid-template-columns: max-content auto; gap: 0 1em; }
dt { font-weight: bold; } dd { margin: 0; }
.status { padding: 0 6px; border-radius: 3px; } .status.present { background: #f6c4c4; }
.status.absent { background: #cdeccd; } .status.ne { background: #ddd; }
.response { font-weight: bold; padding: 0 6px; border-radius: 3px; }
span.response.CR, span.response.PR { background: #cdeccd; } span.response.SD { background: #fbeeb8; }
span.response.PD { background: #f6c4c4; } span.response.NE { background: #ddd; }
figure { margin: 0.8em 0; } figure img { height: 300px; width: auto; margin-right: 4px; vertical-align: top; background: #000; }
figcaption { font-size: 90%; } .legend span { margin-right: 1.2em; white-space: nowrap; }
.legend i { display: inline-block; width: 12px; height: 12px; margin-right: 4px; vertical-align: middle; }
.note, .warning { font-style: italic; } .warning { color: #a00; }
svg .axis { stroke: #222; } svg .series { fill: none; stroke: #446; stroke-width: 2; }
svg .tick { font-size: 12px; fill: #333; } svg .label { font-size: 13px; font-weight: bold; }
svg .point { fill: #446; } svg .PR, svg .CR { fill: #2a2; } svg .SD { fill: #db2; }
svg .PD { fill: #d22; } svg .NE { fill: #999; } svg .threshold { stroke: #888; stroke-dasharray: 4 3; }
.failed td { background: #fde8e8; } td.number { text-align: right; } td.number, td.date { white-space: nowrap; }
footer { margin-top: 2em; font-size: 90%; color: #444; }
)";

}  // namespace

std::string_view ReportCss() {
  return kStyle;
}

std::string ChangeText(const std::optional<double>& change) {
  return change ? fmt::format("{:+.1f}%", *change * 100) : "not comparable";
}

std::string HtmlEscape(std::string_view text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        escaped += "&amp;";
        break;
      case '<':
        escaped += "&lt;";
        break;
      case '>':
        escaped += "&gt;";
        break;
      case '"':
        escaped += "&quot;";
        break;
      case '\'':
        escaped += "&#39;";
        break;
      default:
        escaped += c;
    }
  }
  return escaped;
}

std::string SubjectReportHtml(const fs::path& subject_folder, const ReportOptions& options) {
  const SubjectManifest manifest = ReadSubjectManifest(subject_folder);
  const std::vector<Timepoint> timepoints = ReadTimepoints(subject_folder, manifest);
  const std::optional<scoring::ScoreRecord> first =
      timepoints.size() > 1 ? timepoints[1].score : std::nullopt;
  const std::string subject = HtmlEscape(manifest.subject);
  std::string html = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>LeptoScan report: "
      "{}</title>\n"
      "<style>{}</style>\n</head>\n<body>\n<header>\n<h1>LeptoScan report: {}</h1>\n<p>{} time point(s), "
      "baseline {}; "
      "source {}. Imaging findings for review, not a diagnosis.</p>\n<nav>",
      subject, kStyle, subject, timepoints.size(), HtmlEscape(timepoints.front().findings.date),
      HtmlEscape(manifest.source.empty() ? "unknown" : manifest.source));
  for (std::size_t i = 0; i < timepoints.size(); ++i)
    html += fmt::format("{}<a href=\"#tp{}\">{}</a>", i == 0 ? "" : " · ", i,
                        HtmlEscape(timepoints[i].findings.date));
  html += "</nav>\n</header>\n";
  for (std::size_t i = 0; i < timepoints.size(); ++i)
    html += TimepointSection(timepoints[i], i, manifest, first, options);
  html += CompositePlot(timepoints) + Footer(manifest);
  return html +
         fmt::format("<p class=\"note\">Report by leptoscan {}.</p>\n</body>\n</html>\n", LEPTOSCAN_VERSION);
}

fs::path WriteSubjectReport(const fs::path& subject_folder, const fs::path& output,
                            const ReportOptions& options) {
  const fs::path target = output.empty() ? subject_folder / "report.html" : output;
  io::WriteFileAtomically(target, SubjectReportHtml(subject_folder, options));
  return target;
}

}  // namespace leptoscan::pipeline
