#include "pipeline/subject_outputs.h"

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "io/errors.h"
#include "io/json_file.h"

namespace leptoscan::pipeline {

namespace fs = std::filesystem;
using Json = nlohmann::json;

fs::path RequiredFile(const fs::path& file, std::string_view reader) {
  if (!fs::is_regular_file(file))
    throw io::InputError(file, fmt::format("missing: {} needs this file", reader));
  return file;
}

SubjectManifest ReadSubjectManifest(const fs::path& subject_folder, std::string_view reader) {
  const fs::path file = RequiredFile(subject_folder / "manifest.json", reader);
  const auto fail = [&file](const std::string& field, const std::string& problem) {
    throw io::InputError(file, field + ": " + problem);
  };
  const Json json = io::ReadJsonFile(file);
  const auto string = [&](const Json& object, const std::string& key, const std::string& path,
                          bool required) {
    const auto found = object.find(key);
    if (found == object.end() || found->is_null()) {
      if (required) fail(path, "required field is missing");
      return std::string();
    }
    if (!found->is_string()) fail(path, "expected a string");
    return found->get<std::string>();
  };
  if (!json.is_object()) fail("", "expected an object");
  SubjectManifest manifest;
  manifest.subject = string(json, "subject", "subject", true);
  manifest.source = string(json, "source", "source", false);
  const auto timepoints = json.find("timepoints");
  if (timepoints == json.end() || !timepoints->is_array() || timepoints->empty())
    fail("timepoints", "expected a non-empty array");
  for (std::size_t i = 0; i < timepoints->size(); ++i) {
    const std::string path = fmt::format("timepoints[{}]", i);
    if (!(*timepoints)[i].is_object()) fail(path, "expected an object");
    const std::string folder = string((*timepoints)[i], "folder", path + ".folder", true);
    // A folder name only: the manifest must not lead the report outside the subject's folder.
    if (folder.empty() || folder == "." || folder == ".." || folder.find('/') != std::string::npos)
      fail(path + ".folder", fmt::format("\"{}\" is not a folder name", folder));
    manifest.folders.push_back(folder);
  }
  if (const auto stages = json.find("stages"); stages != json.end() && stages->is_array()) {
    for (std::size_t i = 0; i < stages->size(); ++i) {
      const std::string path = fmt::format("stages[{}]", i);
      const Json& s = (*stages)[i];
      if (!s.is_object()) fail(path, "expected an object");
      StageTiming stage{string(s, "stage", path + ".stage", true),
                        string(s, "timepoint", path + ".timepoint", false),
                        string(s, "status", path + ".status", false)};
      if (const auto seconds = s.find("seconds"); seconds != s.end()) {
        if (!seconds->is_number()) fail(path + ".seconds", "expected a number");
        stage.seconds = seconds->get<double>();
      }
      manifest.stages.push_back(std::move(stage));
    }
  }
  return manifest;
}

}  // namespace leptoscan::pipeline
