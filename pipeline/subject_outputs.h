// The manifest of a subject's output folder (the case runner writes it; report.h describes the folder),
// read by the report and by the viewer.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace leptoscan::pipeline {

struct StageTiming {
  std::string stage, timepoint, status;
  double seconds = 0;
};

struct SubjectManifest {
  std::string subject, source;
  std::vector<std::string> folders;  // one per time point, the baseline first
  std::vector<StageTiming> stages;
};

// `file` when it is there; else io::InputError "<file>: missing: <reader> needs this file".
std::filesystem::path RequiredFile(const std::filesystem::path& file, std::string_view reader = "the report");

// <subject_folder>/manifest.json. Throws io::InputError naming the file and the field that is wrong; a time
// point folder must be a plain folder name, so that the manifest cannot lead outside the subject folder.
SubjectManifest ReadSubjectManifest(const std::filesystem::path& subject_folder,
                                    std::string_view reader = "the report");

}  // namespace leptoscan::pipeline
