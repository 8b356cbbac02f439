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
#include "testdata/phantom/spine_anatomy.h"

namespace leptoscan::phantom {

struct PhantomOptions {
  std::array<double, 3> spacing_mm{1, 1, 1};  // of the brain series: 1 mm, 0.5 mm or 1 x 1 x 3 mm
  bool flair = false;                         // add a post-contrast FLAIR per visit
  double snr = 25;
  int followups = 1;
  // Spinal LM and a sagittal spine study at every visit, in any scenario (the spine scenario always has
  // them; a cohort draws them per subject).
  bool spine = false;
  // The probability that a cohort subject has spinal LM; 0 gives the cohorts of before spine phantoms.
  double cohort_spine_share = 0.2;
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
  // Sagittal 2-D T1 turbo spin echo of the whole spine, before and after contrast.
  std::string spine_t1_pre, spine_t1_post;  // SeriesDescription
  std::string spine_sequence_name;
  double spine_tr_ms = 0, spine_te_ms = 0, spine_flip_deg = 0;
  bool spine_post_fat_suppressed = false;
};

struct SeriesPlan {
  Sequence sequence = Sequence::kT1Pre;
  int number = 0;
  std::string time;        // HHMMSS
  RigidMotion motion;      // head to scanner for this series
  std::uint64_t seed = 0;  // noise and bias field
  bool spine = false;      // a sagittal spine series
};

struct VisitPlan {
  std::string name;  // baseline, followup1, ...
  std::string date;  // YYYYMMDD
  HeadShape shape;
  std::vector<LesionSpec> lesions;
  double intensity_scale = 1;
  std::vector<SeriesPlan> series;
  // The spine study, when the subject has one: its lesions, the gain of the spine coil, where the
  // technologist put the sagittal slab (body coordinates, relative to the spine), and its two series.
  // The post-contrast spine series shares the post-contrast T1's motion, so that one transform maps
  // brain and spine truth between visits.
  std::vector<LesionSpec> spine_lesions;
  double spine_intensity_scale = 1;
  RigidMotion spine_planning;
  std::vector<SeriesPlan> spine_series;
};

struct SubjectPlan {
  std::string id;
  std::string preset;
  VendorStyle vendor;
  std::vector<VisitPlan> visits;
  std::vector<std::string> expected_responses;  // one per follow-up: CR, PR, SD, PD
  std::string study_uid_key;                    // seeds the deterministic UIDs
  bool spine = false;                           // spinal LM, and a spine study at every visit
  // "mixed", or "mixed+spine" for a brain preset with spinal LM.
  std::string Label() const;
};

// normal, linear, nodular, mixed, hydrocephalus, parenchymal-only, spine (spinal LM with a normal brain),
// and the response presets cr, pr, sd, pd-growth, pd-new.
const std::vector<std::string>& PresetNames();

// Throws std::invalid_argument for an unknown preset.
SubjectPlan PlanSubject(const Anatomy& head, const std::string& preset, const std::string& id,
                        std::uint64_t seed, const PhantomOptions& options);

// N subjects with a documented mix of presets (see scenario.cxx, kCohortMix), ids PH0001..., vendors in
// rotation (Siemens sagittal, GE axial, Philips coronal); each also has spinal LM with probability
// options.cohort_spine_share, drawn apart from the rest so that a seed's brain series are what they are
// without it.
std::vector<SubjectPlan> PlanCohort(const Anatomy& head, int count, std::uint64_t seed,
                                    const PhantomOptions& options);

}  // namespace leptoscan::phantom
