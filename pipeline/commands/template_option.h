// --template, shared by the commands that analyse scans (run, batch, slurm, eval): the anatomy template the
// priors come from. A folder (`leptoscan phantom OUT --template DIR` writes one), or the name of one this
// build holds: colin27 (real anatomy: the Colin27 brain of mricron-data, built with leptoscan into
// share/leptoscan/templates) or analytic (the synthetic head of `leptoscan phantom --anatomy analytic`,
// built in memory).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "filters/template_priors.h"

namespace CLI {
class App;
}

namespace leptoscan::cli {

struct LoadedTemplate {
  filters::AnatomyTemplate anatomy;
  std::string id;  // "analytic", or the checksum of the folder's files (a changed prior redoes the cases)
};

// Where this build keeps the template `name`: share/leptoscan/templates/<name> beside the folder of the
// running executable (the build tree's bin/, or an installation's).
std::filesystem::path BuiltTemplateFolder(const std::string& name);

// Throws io::InputError naming the folder when it holds no template (for colin27: how to build it).
LoadedTemplate LoadTemplate(const std::string& choice);

class TemplateOption {
 public:
  // `default_help` says what is used without the option (and without LEPTOSCAN_TEMPLATE, which sets it).
  void Declare(CLI::App& app, const std::string& default_help);
  const std::string& choice() const { return choice_; }
  // The template given, else `fallback`.
  LoadedTemplate Load(const std::string& fallback) const;
  // The option as `leptoscan run` arguments, for the tasks of a Slurm job.
  std::vector<std::string> RunArguments() const;

 private:
  std::string choice_;
};

}  // namespace leptoscan::cli
