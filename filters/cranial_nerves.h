// Cranial nerve enhancement: enhancing voxels on the cisternal course of a cranial nerve (III, V, VII/VIII,
// each side, from the template priors), away from the brainstem it leaves, named as the findings
// contract names nerves ("V_L").
#pragma once

#include "filters/enhancing_regions.h"
#include "filters/nodules.h"
#include "filters/template_priors.h"

namespace leptoscan::filters {

struct CranialNerveOptions {
  // A nerve's course is its prior this far out of the bulk of the brain: a coated brainstem is cisternal
  // enhancement, a thickened nerve leaving it a cranial nerve.
  double clearance_mm = 2.0;
  // The bulk of the brain is what lies within this of the brain deeper than this. The brain mask holds the
  // cisternal nerves where they leave the brainstem (on T1 they are tissue: on a Colin27 phantom the whole
  // third nerve lay within 1.7 mm of the mask's surface), and no nerve is thick enough to hold a voxel this
  // deep.
  double bulk_depth_mm = 5.0;
  // A nodule lying mostly on a nerve's course and no wider than a swollen nerve is that nerve's
  // enhancement: its middle principal spread (filters/nodules.h) at most this (a ball of 9 mm; a nerve
  // 6 mm across has 1.5).
  double max_nerve_spread_mm = 2.0;
  RegionGrouping grouping{20.0, 20.0};  // one lesion per nerve; less is a vessel or dura grazing it
  // A nerve's enhancement is at least this share of the enhancing components (26-connected candidates) it
  // lies in: an LM layer in a basal cistern crossing a nerve's course holds a nerve-sized piece of it, but
  // that piece is a small part of the layer (at most 1.9% on the Colin27 cohorts; a true nerve's 21-85%).
  double min_connected_share = 0.1;
};

// Per voxel, 1 + the index in kNerveRegions of the nerve whose cisternal course holds it; 0 elsewhere.
// `pial_distance` as PialDistanceMap makes it, on the priors' grid.
io::Volume CisternalNerveCourses(const SubjectPriors& priors, const io::Volume& pial_distance,
                                 const CranialNerveOptions& options = {});

// `nerve_courses` from CisternalNerveCourses.
std::vector<EnhancingRegion> DetectCranialNerveEnhancement(const io::Volume& candidates,
                                                           const io::Volume& nerve_courses,
                                                           const CranialNerveOptions& options = {});

// Gives the nodules that are a nerve's enhancement back to the candidates (`nodules.remainder`), for
// DetectCranialNerveEnhancement.
void ReturnNerveEnhancement(NoduleDetection& nodules, const io::Volume& nerve_courses,
                            const CranialNerveOptions& options = {});

}  // namespace leptoscan::filters
