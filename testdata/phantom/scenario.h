// Scenarios: what a phantom subject looks like at each visit (lesions, ventricles, head position,
// scanner gain, vendor naming) and which response its follow-ups should score. Named presets, and
// cohorts drawn from them with a seed.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "testdata/phantom/lesions.h"
#include "testdata/phantom/mr_render.h"

namespace leptoscan::phantom {

struct PhantomOptions {
  std::array<double, 3> spacing_mm{1, 1, 1};  // of the brain series: 1 mm, 0.5 mm or 1 x 1 x 3 mm
  bool flair = false;                         // add a post-contrast FLAIR per visit
  double snr = 25;
  int followups = 1;
};

// Series naming and acquisition attributes in one vendor's style.
struct VendorStyle {
  std::string manufacturer, model;
  double field_strength_t = 3;
  SliceOrientation orientation = SliceOrientation::kSagittal;
  std::string t1_pre, t1_post, flair_post;  // SeriesDescription
  std::string t1_sequence_name;
  double t1_tr_ms = 0, t1_te_ms = 0, t1_ti_ms = 0, t1_flip_deg = 0;
  std::string contrast_agent;
};

struct SeriesPlan {
  Sequence sequence = Sequence::kT1Pre;
  int number = 0;
  std::string description;
  std::string time;        // HHMMSS
  RigidMotion motion;      // head to scanner for this series
  std::uint64_t seed = 0;  // noise and bias field
};

struct VisitPlan {
  std::string name;  // baseline, followup1, ...
  std::string date;  // YYYYMMDD
  HeadShape shape;
  std::vector<LesionSpec> lesions;
  double intensity_scale = 1;
  std::vector<SeriesPlan> series;
};

struct SubjectPlan {
  std::string id;
  std::string preset;
  VendorStyle vendor;
  std::vector<VisitPlan> visits;
  std::vector<std::string> expected_responses;  // one per follow-up: CR, PR, SD, PD
  std::string study_uid_key;                    // seeds the deterministic UIDs
};

// normal, linear, nodular, mixed, hydrocephalus, parenchymal-only, and the response presets
// cr, pr, sd, pd-growth, pd-new.
const std::vector<std::string>& PresetNames();

// Throws std::invalid_argument for an unknown preset.
SubjectPlan PlanSubject(const Anatomy& head, const std::string& preset, const std::string& id,
                        std::uint64_t seed, const PhantomOptions& options);

// N subjects with a documented mix of presets (see scenario.cxx, kCohortMix), ids PH0001..., vendors in
// rotation (Siemens sagittal, GE axial, Philips coronal).
std::vector<SubjectPlan> PlanCohort(const Anatomy& head, int count, std::uint64_t seed,
                                    const PhantomOptions& options);

}  // namespace leptoscan::phantom
