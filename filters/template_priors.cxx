#include "filters/template_priors.h"

#include <fstream>
#include <nlohmann/json.hpp>

#include "filters/input_checks.h"
#include "io/atomic_file.h"
#include "io/errors.h"
#include "io/json_file.h"
#include "io/nifti.h"

namespace leptoscan::filters {
namespace {

constexpr std::array<std::string_view, kPriorRegionCount> kRegionNames = {
    "infratentorial", "basal_cisterns", "pituitary", "choroid_plexus", "dura", "III_L", "III_R", "V_L", "V_R",
    "VII_VIII_L",     "VII_VIII_R",     "ventricles"};

}  // namespace

std::string_view PriorRegionName(PriorRegion region) {
  return kRegionNames.at(static_cast<std::size_t>(region));
}

AnatomyTemplate ReadTemplate(const std::filesystem::path& folder) {
  const auto description = folder / "template.json";
  if (!std::filesystem::exists(description))
    throw io::InputError(description, "not found (is this an anatomy template folder?)");
  const nlohmann::json document = io::ReadJsonFile(description);
  const auto regions = document.value("regions", nlohmann::json::array());
  std::vector<std::string> expected(kRegionNames.begin(), kRegionNames.end());
  if (!regions.is_array() || regions.get<std::vector<std::string>>() != expected)
    throw io::InputError(description, "\"regions\" must list the prior regions of this version in bit order");

  AnatomyTemplate result;
  result.name = document.value("name", folder.filename().string());
  result.t1 = io::ReadNifti(folder / "t1.nii.gz");
  result.priors = io::ReadNifti(folder / "priors.nii.gz");
  if (!SameGrid(result.t1.geometry, result.priors.geometry))
    throw io::InputError(folder / "priors.nii.gz", "not on the grid of t1.nii.gz");
  return result;
}

void WriteTemplate(const AnatomyTemplate& anatomy_template, const std::filesystem::path& folder) {
  io::AtomicFolder partial(folder);
  io::WriteNifti(anatomy_template.t1, partial.path() / "t1.nii.gz", io::NiftiDataType::kFloat32);
  io::WriteNifti(anatomy_template.priors, partial.path() / "priors.nii.gz", io::NiftiDataType::kInt16);
  const nlohmann::ordered_json document{
      {"name", anatomy_template.name},
      {"regions", std::vector<std::string>(kRegionNames.begin(), kRegionNames.end())},
      {"priors", "priors.nii.gz: bit n of a voxel is set when the voxel lies in regions[n]"}};
  io::WriteFileAtomically(partial.path() / "template.json", document.dump(2) + "\n");
  partial.Commit();
}

SubjectPriors MapPriors(const AnatomyTemplate& anatomy_template, const io::Volume& subject_t1) {
  RegistrationOptions options;
  options.kind = TransformKind::kAffine;
  SubjectPriors priors;
  priors.subject_to_template = Register(subject_t1, anatomy_template.t1, options).transform;
  priors.regions = ResampleOnto(anatomy_template.priors, subject_t1.geometry, priors.subject_to_template, 0,
                                Interpolation::kNearest);
  priors.regions.integer_valued = true;
  return priors;
}

}  // namespace leptoscan::filters
