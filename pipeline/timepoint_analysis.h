// One time point of one subject, from its T1 series to a findings document (contracts/findings.md):
// registration of pre- to post-contrast, anatomy, the enhancement map, suppression of normal enhancement
// and the detectors. The stage every front door (run, batch, eval, the viewer) shares.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "filters/cranial_nerves.h"
#include "filters/ependymal_enhancement.h"
#include "filters/nodules.h"
#include "filters/normal_enhancement.h"
#include "filters/rigid_registration.h"
#include "filters/sulcal_enhancement.h"
#include "filters/template_priors.h"
#include "io/volume.h"
#include "pipeline/spine_analysis.h"
#include "scoring/findings.h"
#include "scoring/parameters.h"

namespace leptoscan::pipeline {

struct TimepointScans {
  io::Volume post;                       // 3-D T1 after contrast: the frame of every output
  std::optional<io::Volume> pre;         // 3-D T1 before contrast; without it the post-only mode runs
  std::string subject, timepoint, date;  // date YYYY-MM-DD
  // Sagittal spine T1 after and before contrast (pipeline/spine_analysis.h): both analysed, else the spine
  // items are NE.
  std::optional<io::Volume> spine_post, spine_pre;
};

struct DetectionParameters {
  filters::NormalEnhancementOptions normal;
  filters::NoduleOptions nodules;
  filters::SulcalEnhancementOptions sulcal;
  filters::EpendymalEnhancementOptions ependymal;
  filters::CranialNerveOptions nerves;
  // A linear lesion with less enhancing surface than this (mm2) is not reported: residual noise, a vessel
  // fragment, the edge of a dural fold or misregistration along an edge make patches of tens of mm2; LM
  // that a reader calls covers hundreds.
  double min_linear_extent_mm2 = 100;
  // A sulcal region more than this share of whose voxels touch dural enhancement is the fringe of the
  // dura or of a sinus (in a normal head: 103 of 105 voxels along the superior sagittal sinus), not LM
  // lining a sulcus (16% and 30% in a `linear` phantom).
  double max_sulcal_dura_contact = 0.6;
  // ... unless a piece of it of at least `sulcal_dura_piece_mm3` reaches this far from the dural enhancement
  // (filters::ReachesBeyondClass): LM at the vertex, where the subarachnoid space is thin, touched it with
  // 61-86% of its voxels and reached 5.2-10.9 mm from it in pieces of 471-2,508 voxels; the dura's fringe
  // reached at most 3.6 mm in pieces of at most 91 (session 11, seed-2 cohort, bench/eval/dura_reach.py).
  double sulcal_dura_reach_mm = 4.5;
  double sulcal_dura_piece_mm3 = 200;
  // A sulcal region whose largest 26-connected piece is smaller than this (mm3) is specks grouped within
  // the merge distance, not a layer lining the pia: on the Colin27 cohorts, the dura's partial-volume
  // fringe and specks along the inner table made regions of 100-260 mm2 whose largest piece held 15-56
  // voxels of 1 mm3; a truth sulcal lesion's held 125 or more (bench/RESULTS.md, session 13).
  double min_sulcal_piece_mm3 = 80;
  // The same for a cranial nerve region: on Colin27 phantoms the dura beside the right VII/VIII course
  // made a "nerve" in 58 of 60 scans, 65-100% of its voxels touching dural enhancement; the one nerve LM
  // of that cohort touched none.
  double max_nerve_dura_contact = 0.5;
  double evans_hydrocephalus = 0.3;  // domain.md: > 0.3 is enlarged
  scoring::ScoringParameters scoring;
  SpineDetectionParameters spine;
};

// Values of the pattern label map.
enum PatternLabel : unsigned char {
  kPatternSulcal = 1,  // sulcal, cerebellar folia and basal cistern linear enhancement
  kPatternEpendymal = 2,
  kPatternCranialNerve = 3,
  kPatternNodule = 4,              // subarachnoid or ventricular nodule (LM)
  kPatternParenchymalNodule = 5,   // reported, not LM
  kPatternNormalEnhancement = 10,  // + EnhancementClass of suppressed voxels (vessel 12, dura 13, ... 17)
};

struct TimepointAnalysis {
  scoring::Findings findings;
  io::Volume patterns;                                   // PatternLabel per voxel of the post-contrast grid
  io::Volume enhancement;                                // white-matter units
  std::optional<filters::SpatialTransform> pre_to_post;  // fixed: post
  std::optional<io::Volume> pre_on_post;                 // the pre-contrast T1 resampled onto the post grid
  std::vector<std::pair<std::string, double>> stage_seconds;
  std::optional<SpineAnalysis> spine;  // when the time point has a spine pair; spine patterns on its grid
};

// The findings lesion of a detected nodule, brain or spine, measures rounded as the document keeps them.
scoring::Lesion NoduleLesion(const filters::DetectedNodule& nodule, const std::string& id,
                             scoring::Compartment compartment);

// Throws std::invalid_argument (or a filters error) naming the step that failed.
TimepointAnalysis AnalyzeTimepoint(const TimepointScans& scans,
                                   const filters::AnatomyTemplate& anatomy_template,
                                   const DetectionParameters& parameters = {});

}  // namespace leptoscan::pipeline
