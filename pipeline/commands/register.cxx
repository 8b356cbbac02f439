// leptoscan register: rigid or affine registration of one NIfTI volume onto another.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <stdexcept>

#include "filters/rigid_registration.h"
#include "io/errors.h"
#include "io/nifti.h"
#include "pipeline/commands/command.h"

namespace leptoscan::cli {
namespace {

namespace fs = std::filesystem;

class RegisterCommand : public Command {
 public:
  const char* Name() const override { return "register"; }
  const char* Summary() const override {
    return "Register a moving volume onto a fixed one (rigid or affine)";
  }

  void Usage(CLI::App& app) override {
    app.description(
        "Finds the rigid (or affine) transform that maps the fixed volume onto the moving one, by Mattes "
        "mutual "
        "information (so the two may differ in contrast: pre- vs post-contrast, T1 vs FLAIR) over three "
        "resolution levels (shrink 4, 2, 1; smoothing 2, 1, 0 mm), starting from aligned centres of mass. "
        "The transform is written in ITK's transform file format (.tfm; it maps fixed to moving points, as "
        "ITK, elastix and ANTs resample). The same inputs give the same transform on any number of threads. "
        "A "
        "registration that stops on the iteration limit is reported as a failure (exit 1) with its final "
        "metric, and nothing is written.");
    app.add_option("fixed", fixed_, "Fixed (reference) volume, NIfTI")->required()->check(CLI::ExistingFile);
    app.add_option("moving", moving_, "Moving volume, NIfTI")->required()->check(CLI::ExistingFile);
    app.add_option("-o,--output", transform_, "Transform file to write (.tfm)")->required();
    app.add_option("--resampled", resampled_,
                   "Also write the moving volume resampled onto the fixed grid (.nii or .nii.gz)");
    app.add_option("--type", type_, "Transform: rigid (6 parameters) or affine (12, after a rigid stage)")
        ->check(CLI::IsMember({"rigid", "affine"}))
        ->default_str("rigid");
    app.footer(
        "Examples:\n"
        "  leptoscan register t1_pre.nii.gz t1_post.nii.gz -o post_to_pre.tfm --resampled "
        "post_on_pre.nii.gz\n"
        "  leptoscan register baseline.nii.gz followup.nii.gz -o followup.tfm\n"
        "  leptoscan register /usr/share/mricron/templates/ch2.nii.gz subject.nii.gz -o template.tfm --type "
        "affine");
  }

  int Run() override {
    const io::Volume fixed = io::ReadNifti(fixed_);
    const io::Volume moving = io::ReadNifti(moving_);
    filters::RegistrationOptions options;
    options.kind = type_ == "affine" ? filters::TransformKind::kAffine : filters::TransformKind::kRigid;
    filters::RegistrationResult result;
    try {
      result = filters::Register(fixed, moving, options);
    } catch (const filters::RegistrationInputError& e) {
      using Image = filters::RegistrationInputError::Image;
      if (e.image() == Image::kBoth)
        throw std::runtime_error(fmt::format("{} and {}: {}", fixed_.string(), moving_.string(), e.what()));
      throw io::InputError(e.image() == Image::kFixed ? fixed_ : moving_, e.what());
    }
    filters::WriteTransformFile(result.transform, transform_);
    spdlog::info(
        "final metric (Mattes MI) {:.5f} after {} iterations, {:.0f}% of samples overlapping; wrote {}",
        result.final_metric, result.iterations, 100 * result.overlap, transform_.string());
    if (!resampled_.empty()) {
      io::WriteNifti(filters::ResampleOnto(moving, fixed.geometry, result.transform), resampled_,
                     io::NiftiDataType::kFloat32);
      spdlog::info("wrote {}", resampled_.string());
    }
    return kSuccess;
  }

 private:
  fs::path fixed_;
  fs::path moving_;
  fs::path transform_;
  fs::path resampled_;
  std::string type_ = "rigid";
};

}  // namespace

std::unique_ptr<Command> MakeRegisterCommand() {
  return std::make_unique<RegisterCommand>();
}

}  // namespace leptoscan::cli
