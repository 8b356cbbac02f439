// Writes planned phantom subjects to disk:
//   <out>/<subject>/<study date>/<NN_series description>/IM0001.dcm ...   the MR series (real DICOM)
//   <out>/<subject>/truth/<study date>/truth.json                         findings contract, source "phantom"
//   <out>/<subject>/truth/<study date>/labels.nii.gz                      one label per lesion + look-alikes,
//                                                                         on the post-contrast T1 grid
//   <out>/<subject>/truth/<study date>/t1_post_to_t1_pre.tfm              head motion between the T1s, and
//   <out>/<subject>/truth/<study date>/baseline_to_visit.tfm              between this visit's and the
//                                                                         baseline's post-contrast T1: ITK
//                                                                         transform files as a registration
//                                                                         (fixed first) should find them
//   <out>/<subject>/truth/<study date>/spine_labels.nii.gz                the same for the spine lesions, on
//                                                                         the post-contrast spine grid
//   <out>/<subject>/truth/<study date>/spine_t1_post_to_t1_pre.tfm        motion between the spine series
//   <out>/<subject>/truth/expected.json                                   expected response of each follow-up
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "testdata/phantom/scenario.h"

namespace leptoscan::phantom {

// Rasterised anatomy per ventricle scale, shared by the subjects of a run (the head is the same), and
// the rasterised spine.
class AnatomyCache {
 public:
  const LabelMap& Get(const Anatomy& head);
  const LabelMap& Spine(const SpineAnatomy& spine);

 private:
  std::map<double, std::unique_ptr<LabelMap>> maps_, spine_maps_;
};

struct WrittenSubject {
  std::filesystem::path folder;
  std::size_t series = 0;
  std::size_t lesions = 0;  // over all visits
};

// The subject appears whole or not at all (written under a temporary name, then renamed); an existing
// subject folder is an error.
WrittenSubject WriteSubject(const SubjectPlan& plan, const PhantomOptions& options, const Anatomy& anatomy,
                            const std::filesystem::path& out, AnatomyCache& cache);

// The rigid map from `fixed` series coordinates to `moving` series coordinates as an ITK transform file:
// what a registration with that fixed and moving image should find (ITK maps fixed points to moving).
std::string RigidTransformFile(const RigidMotion& fixed, const RigidMotion& moving);

// The truth findings document of one visit (leptoscan.findings/1), centres in the post-contrast T1's
// patient coordinates; spine lesions (numbered after the brain's) in the post-contrast spine series'.
std::string TruthDocument(const SubjectPlan& plan, const VisitPlan& visit,
                          const std::vector<PaintedLesion>& lesions, double evans_index,
                          const RigidMotion& post_contrast_motion,
                          const std::vector<PaintedLesion>& spine_lesions = {});

}  // namespace leptoscan::phantom
