// The spine study of one time point (issues 6 and 7): the sagittal T1 before and after contrast registered,
// the cord and thecal sac, the enhancement map and the spinal LM detectors, and the spine items and lesions
// of the findings document. Post-only spine studies are not analysed: without the pre-contrast series the
// sac's CSF cannot be told from the enhancing dura and veins around it, so the spine items stay NE.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "filters/rigid_registration.h"
#include "filters/spine_anatomy.h"
#include "filters/spine_enhancement.h"
#include "io/volume.h"
#include "scoring/findings.h"

namespace leptoscan::pipeline {

struct SpineDetectionParameters {
  filters::SpineAnatomyOptions anatomy;
  filters::SpineEnhancementOptions enhancement;
};

// Values of the spine pattern label map (spine_patterns.nii.gz, on the post-contrast spine grid).
enum SpinePatternLabel : unsigned char {
  kSpinePatternLinear = 1,          // linear enhancement of the cord's surface
  kSpinePatternNerveRoots = 2,      // thickened, enhancing roots of the cauda equina
  kSpinePatternNodule = 4,          // subarachnoid nodule (LM)
  kSpinePatternIntramedullary = 5,  // reported, not LM
  kSpinePatternCord = 8,
  kSpinePatternSac = 9,      // the thecal sac around the cord
  kSpinePatternNormal = 13,  // enhancement outside the sac or on its wall: dura, epidural veins
};

struct SpineAnalysis {
  filters::SpatialTransform pre_to_post;  // fixed: post
  filters::SpineMasks anatomy;            // on the post grid
  io::Volume enhancement;                 // cord units
  filters::SpineEnhancement detection;    // reportable lesions only
  io::Volume patterns;                    // SpinePatternLabel per voxel of the post grid
  std::vector<std::pair<std::string, double>> stage_seconds;
};

// Throws std::invalid_argument (or a filters error) naming the step that failed.
SpineAnalysis AnalyzeSpine(const io::Volume& post, const io::Volume& pre,
                           const SpineDetectionParameters& parameters = {});

// Sets findings.spine_imaged and the three spine items from the analysis and appends its lesions, ids
// numbered after the lesions already in the document (SN, SL, SR prefixes).
void AddSpineFindings(const SpineAnalysis& analysis, scoring::Findings& findings);

// The spine items NE with the reason in the source note, for a study without a usable spine pair.
void MarkSpineNotEvaluable(scoring::Findings& findings);

}  // namespace leptoscan::pipeline
