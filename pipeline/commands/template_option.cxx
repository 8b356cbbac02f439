#include "pipeline/commands/template_option.h"

#include <CLI/CLI.hpp>
#include <algorithm>

#include "io/checksum.h"
#include "io/errors.h"
#include "testdata/phantom/head_template.h"

namespace leptoscan::cli {

namespace fs = std::filesystem;

namespace {

bool IsBuiltName(const std::string& choice) {
  return choice == "colin27" || choice == "analytic";
}

std::string FolderId(const fs::path& folder) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return "sha256:" + io::FilesSha256(files);
}

}  // namespace

fs::path BuiltTemplateFolder(const std::string& name) {
  return fs::canonical("/proc/self/exe").parent_path().parent_path() / "share" / "leptoscan" / "templates" /
         name;
}

LoadedTemplate LoadTemplate(const std::string& choice) {
  if (choice == "analytic") return {phantom::AnalyticTemplate(), "analytic"};
  fs::path folder = choice;
  if (choice == "colin27") {
    folder = BuiltTemplateFolder(choice);
    if (!fs::exists(folder / "template.json"))
      throw io::InputError(folder,
                           "the Colin27 template was not built: mricron-data was missing when leptoscan was "
                           "built (apt install mricron-data, then build again), or give --template analytic "
                           "or a template folder");
  }
  return {filters::ReadTemplate(folder), FolderId(folder)};
}

void TemplateOption::Declare(CLI::App& app, const std::string& default_help) {
  app.add_option("--template", choice_,
                 "Anatomy template: colin27 (real anatomy), analytic (the synthetic head of `leptoscan "
                 "phantom`) or a template folder (`leptoscan phantom OUT --template DIR` writes one); " +
                     default_help)
      ->envname("LEPTOSCAN_TEMPLATE")
      ->check([](const std::string& choice) {
        return IsBuiltName(choice) || fs::is_directory(choice)
                   ? std::string()
                   : "neither colin27, analytic nor a folder: " + choice;
      });
}

LoadedTemplate TemplateOption::Load(const std::string& fallback) const {
  return LoadTemplate(choice_.empty() ? fallback : choice_);
}

std::vector<std::string> TemplateOption::RunArguments() const {
  if (choice_.empty()) return {};
  return {"--template", IsBuiltName(choice_) ? choice_ : fs::absolute(choice_).string()};
}

}  // namespace leptoscan::cli
