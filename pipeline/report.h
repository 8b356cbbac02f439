// The review report of one subject: a single self-contained HTML file (CSS inline, images as data: URIs,
// no script) built from the case runner's output folder:
//
// <subject folder>/
//   manifest.json                  subject, source, timepoints [{date, folder}] (the first is the baseline),
//                                  stages [{stage, timepoint, seconds, status}]
//   <folder>/findings.json         leptoscan.findings/1
//   <folder>/post.nii.gz           post-contrast T1: the frame of the lesion centres and the patterns
//   <folder>/patterns.nii.gz       pattern labels (pipeline::PatternLabel) on the post-contrast grid
//   <folder>/score.json            follow-ups only: leptoscan.score/1 against the baseline
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace leptoscan::pipeline {

struct ReportOptions {
  // Lesions shown with key images per time point (three slices each); the report says how many were left out.
  std::size_t max_lesion_images = 12;
};

// Per time point, baseline first: subject, date, time point, EANO-ESMO type and source; the items with
// their details; nodules and other lesions; for follow-ups the score (response, composite, change, the rule
// that decided, new lesions); axial, coronal and sagittal key images through each lesion (or the head
// centre when there is none) with the patterns overlaid. Then the composite over time and the stage timings.
// Throws io::InputError naming a missing file (score.json may be missing only at the baseline) or a
// manifest field, scoring::DocumentError for a findings or score document that breaks its contract.
std::string SubjectReportHtml(const std::filesystem::path& subject_folder, const ReportOptions& options = {});

// Writes the report to `output` (default <subject_folder>/report.html) under a temporary name and renames
// it, so that it appears whole or not at all. Returns the path written.
std::filesystem::path WriteSubjectReport(const std::filesystem::path& subject_folder,
                                         const std::filesystem::path& output = {},
                                         const ReportOptions& options = {});

// The stylesheet of the subject report and the cohort summary page (for an inline <style>).
std::string_view ReportCss();

// A relative change (0.25) as the report writes it ("+25.0%"), or "not comparable".
std::string ChangeText(const std::optional<double>& change);

// Text made safe for HTML element content and quoted attribute values (& < > " ').
std::string HtmlEscape(std::string_view text);

}  // namespace leptoscan::pipeline
