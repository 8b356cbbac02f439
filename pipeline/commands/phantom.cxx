// leptoscan phantom: MRI studies with known truth (every LM pattern, look-alikes, responses) as DICOM.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <filesystem>

#include "pipeline/commands/command.h"
#include "pipeline/progress.h"
#include "testdata/phantom/analytic_head.h"
#include "testdata/phantom/colin27_head.h"
#include "testdata/phantom/head_template.h"
#include "testdata/phantom/phantom_study.h"

namespace leptoscan::cli {
namespace {

namespace fs = std::filesystem;

class PhantomCommand : public Command {
 public:
  const char* Name() const override { return "phantom"; }
  const char* Summary() const override { return "Write phantom MRI studies with known truth as DICOM"; }

  void Usage(CLI::App& app) override {
    std::string presets;
    for (const auto& name : phantom::PresetNames())
      presets += (presets.empty() ? "" : ", ") + name;
    app.description(
        "Writes baseline and follow-up studies (3-D T1 before and after contrast, optionally post-contrast "
        "FLAIR) of a synthetic head (--anatomy analytic) or of the Colin27 brain (--anatomy colin27) as real "
        "DICOM, with the LM patterns of the scenario (sulcal, cerebellar "
        "folia, basal cistern and ependymal enhancement, cranial nerves, subarachnoid and ventricular "
        "nodules, "
        "hydrocephalus), normal look-alikes (dura, falx, tentorium, sinuses, cortical veins in sulci, "
        "choroid "
        "plexus, pituitary) and parenchymal metastases. With spinal LM (scenario spine, --spine, or drawn "
        "for "
        "a fifth of a cohort's subjects, --spine-share) every visit also has a sagittal whole-spine study "
        "(T1 before and "
        "after contrast, C1 to the sacrum, 1 x 1 mm in plane, 3 mm slices) with linear enhancement coating "
        "the cord, thickened cauda equina roots and nodules on the cord or among the roots. Realism: partial "
        "volume, Rician noise, bias field, a different gain per visit and head motion between series and "
        "visits. Truth per visit in "
        "<out>/<subject>/truth/<date>/ (truth.json in the findings format, labels.nii.gz on the "
        "post-contrast "
        "grid) and the expected response of each follow-up in <out>/<subject>/truth/expected.json. The same "
        "seed gives byte-identical output. Scenarios: " +
        presets + ".");
    app.add_option("out", out_, "Output folder (created if needed)")->required();
    app.add_option("--scenario", scenario_, "One subject of this scenario")
        ->check(CLI::IsMember(phantom::PresetNames()));
    app.add_option("--cohort", cohort_, "N subjects with a random mix of scenarios")
        ->check(CLI::PositiveNumber);
    app.add_option("--seed", seed_, "Random seed")->default_val(1);
    app.add_option(
           "--anatomy", anatomy_,
           "Head model: analytic (built in code) or colin27 (the Colin27 brain of the Debian package "
           "mricron-data, /usr/share/mricron/templates: tissue classes, ventricles, sulci and cisterns "
           "derived from ch2, ch2bet and the AAL atlas)")
        ->check(CLI::IsMember({"analytic", "colin27"}))
        ->default_val("analytic");
    app.add_option("--spacing", spacing_, "Voxel size of the brain series: 1, 0.5 or 1x1x3 (mm)")
        ->check(CLI::IsMember({"1", "0.5", "1x1x3"}))
        ->default_val("1");
    app.add_flag("--flair", options_.flair, "Add a post-contrast 3-D FLAIR at every visit");
    app.add_flag("--spine", options_.spine,
                 "Give every subject spinal LM and a sagittal spine study (T1 pre and post) at every visit; "
                 "the spine scenario has them with a normal brain");
    app.add_option("--spine-share", options_.cohort_spine_share,
                   "With --cohort: the probability that a subject has spinal LM (drawn apart from its brain, "
                   "which stays the same); 0 writes the cohorts of versions before spine phantoms")
        ->default_val(0.2)
        ->check(CLI::Range(0.0, 1.0));
    app.add_option("--snr", options_.snr, "White-matter signal to noise ratio")
        ->default_val(25)
        ->check(CLI::Range(2.0, 1000.0));
    app.add_option("--followups", options_.followups, "Follow-up visits per subject")
        ->default_val(1)
        ->check(CLI::Range(0, 10));
    app.add_option("--subject", subject_, "Subject id with --scenario")->default_val("PH0001");
    app.add_option(
        "--template", template_,
        "Also write the anatomy template of the head (a T1 and the prior regions the detectors use: "
        "cisterns, cranial nerves, pituitary, choroid plexus, falx and tentorium, lateral and third "
        "ventricles) to this folder");
    app.footer(
        "Examples:\n"
        "  leptoscan phantom /data/phantoms --scenario mixed          one subject, baseline and follow-up\n"
        "  leptoscan phantom /data/cohort --cohort 20 --seed 1        20 subjects\n"
        "  leptoscan phantom /data/thin --scenario nodular --spacing 0.5 --flair\n"
        "  leptoscan phantom /data/spine --scenario spine               spinal LM, brain and spine studies\n"
        "  leptoscan phantom /data/cr --scenario cr --spine             complete response, spine imaged\n"
        "  leptoscan phantom /data/cohort --cohort 20 --template /data/analytic-template\n"
        "  leptoscan phantom /data/colin --anatomy colin27 --scenario mixed --template /data/colin-template");
  }

  int Run() override {
    if (!scenario_.empty() && cohort_ != 0) throw CLI::ValidationError("give either --scenario or --cohort");
    if (scenario_.empty() && cohort_ == 0 && template_.empty())
      throw CLI::ValidationError("give --scenario, --cohort or --template");
    std::unique_ptr<phantom::Anatomy> head;
    if (anatomy_ == "colin27") {
      head = std::make_unique<phantom::Colin27Head>();
    } else {
      head = std::make_unique<phantom::AnalyticHead>();
    }
    if (!template_.empty()) {
      filters::WriteTemplate(phantom::HeadTemplate(*head), template_);
      spdlog::info("wrote the {} anatomy template to {}", head->Name(), template_.string());
    }
    options_.spacing_mm = spacing_ == "0.5"     ? std::array<double, 3>{0.5, 0.5, 0.5}
                          : spacing_ == "1x1x3" ? std::array<double, 3>{1, 1, 3}
                                                : std::array<double, 3>{1, 1, 1};
    const auto plans = scenario_.empty() && cohort_ == 0 ? std::vector<phantom::SubjectPlan>{}
                       : scenario_.empty()
                           ? phantom::PlanCohort(*head, cohort_, seed_, options_)
                           : std::vector{phantom::PlanSubject(*head, scenario_, subject_, seed_, options_)};
    if (!plans.empty()) fs::create_directories(out_);
    phantom::AnatomyCache cache;
    Progress progress("phantom", "subjects");
    for (std::size_t n = 0; n < plans.size(); ++n) {
      const auto start = std::chrono::steady_clock::now();
      const auto written = phantom::WriteSubject(plans[n], options_, *head, out_, cache);
      progress.Update(n + 1, plans.size());
      std::string responses;
      for (const auto& r : plans[n].expected_responses)
        responses += (responses.empty() ? "" : ",") + r;
      spdlog::info("wrote {} ({}, {}): {} visits, {} series, {} lesions, expected {} [{:.1f} s]",
                   written.folder.string(), plans[n].Label(), plans[n].vendor.manufacturer,
                   plans[n].visits.size(), written.series, written.lesions,
                   responses.empty() ? "-" : responses,
                   std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    return kSuccess;
  }

 private:
  fs::path out_, template_;
  std::string scenario_;
  int cohort_ = 0;
  std::uint64_t seed_ = 1;
  std::string anatomy_ = "analytic";
  std::string spacing_ = "1";
  std::string subject_ = "PH0001";
  phantom::PhantomOptions options_;
};

}  // namespace

std::unique_ptr<Command> MakePhantomCommand() {
  return std::make_unique<PhantomCommand>();
}

}  // namespace leptoscan::cli
