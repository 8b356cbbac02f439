#include "pipeline/timepoint_analysis.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <set>
#include <utility>

#include "filters/bias_correction.h"
#include "filters/binary_masks.h"
#include "filters/brain_mask.h"
#include "filters/enhancement.h"
#include "filters/evans_index.h"
#include "filters/inner_skull.h"
#include "filters/surface_distance.h"
#include "filters/tissue_classes.h"
#include "filters/ventricles.h"
#include "filters/vesselness.h"
#include "scoring/findings_writer.h"

namespace leptoscan::pipeline {
namespace {

using scoring::Item;
using scoring::Status;

// Records the wall time of each stage.
class StageClock {
 public:
  explicit StageClock(std::vector<std::pair<std::string, double>>& record) : record_(record) {}
  template <typename Work>
  auto operator()(const std::string& stage, Work work) {
    const auto start = std::chrono::steady_clock::now();
    struct Record {
      StageClock& clock;
      const std::string& stage;
      std::chrono::steady_clock::time_point start;
      ~Record() {
        clock.record_.emplace_back(
            stage, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
      }
    } record{*this, stage, start};
    return work();
  }

 private:
  std::vector<std::pair<std::string, double>>& record_;
};

struct Anatomy {
  filters::BrainMasks masks;
  io::Volume ventricles, pial_distance, ependymal_distance, inner_skull_distance;
  filters::VentricleMeasures ventricle_measures;
};

Anatomy MeasureAnatomy(const io::Volume& t1, const filters::SubjectPriors& priors) {
  Anatomy a;
  a.masks = filters::ExtractBrain(t1);
  const io::Volume inner_skull = filters::InnerSkullMask(t1, a.masks);
  // Classes need one intensity per tissue across the head: the coil field comes off first.
  const io::Volume corrected = filters::CorrectBiasField(t1, &a.masks.head).corrected;
  const filters::TissueClasses classes = filters::ClassifyTissues(corrected, inner_skull);
  const auto prior = [&](filters::PriorRegion region) {
    return filters::MaskWhere(t1.geometry, [&](std::size_t v) { return priors.Has(v, region); });
  };
  const filters::VentriclePriors ventricle_priors{prior(filters::PriorRegion::kVentricles),
                                                  prior(filters::PriorRegion::kInfratentorial)};
  a.ventricles = filters::VentricleMask(corrected, a.masks.brain, classes, {}, &ventricle_priors);
  // A brain mask that left the ventricles out (open to the cisterns, as a real brain's are) takes them
  // in: their walls are ependyma, not pia.
  for (std::size_t v = 0; v < a.ventricles.voxels.size(); ++v)
    if (a.ventricles.voxels[v] > 0) a.masks.brain.voxels[v] = 1;
  a.pial_distance = filters::PialDistanceMap(a.masks.brain);
  a.ependymal_distance = filters::EpendymalDistanceMap(a.ventricles);
  a.inner_skull_distance = filters::SignedDistanceMm(inner_skull);
  a.ventricle_measures = filters::MeasureVentricles(a.ventricles, inner_skull);
  return a;
}

scoring::ItemFinding Present(bool present) {
  scoring::ItemFinding item;
  item.status = present ? Status::kPresent : Status::kAbsent;
  return item;
}

scoring::Lesion LayerLesion(const std::string& id, scoring::LesionKind kind,
                            const filters::EnhancingRegion& region, double extent_mm2) {
  scoring::Lesion lesion;
  lesion.id = id;
  lesion.kind = kind;
  lesion.location = region.region;
  lesion.center_mm = {scoring::RoundToUnit(region.center_mm[0], 100),
                      scoring::RoundToUnit(region.center_mm[1], 100),
                      scoring::RoundToUnit(region.center_mm[2], 100)};
  lesion.extent_mm2 = scoring::RoundToUnit(extent_mm2, 10);
  return lesion;
}

// The regions for which keep(region) holds.
template <typename Keep>
std::vector<filters::EnhancingRegion> KeepWhere(std::vector<filters::EnhancingRegion> regions, Keep keep) {
  regions.erase(std::remove_if(regions.begin(), regions.end(),
                               [&](const filters::EnhancingRegion& region) { return !keep(region); }),
                regions.end());
  return regions;
}

// The layers large enough to report; the rest appear neither in the findings nor in the pattern map.
std::vector<filters::EnhancingRegion> Reportable(std::vector<filters::EnhancingRegion> regions,
                                                 const DetectionParameters& parameters) {
  return KeepWhere(std::move(regions), [&](const filters::EnhancingRegion& region) {
    return filters::LayerExtentMm2(region) >= parameters.min_linear_extent_mm2;
  });
}

// The regions holding a 26-connected piece of at least `min_piece_mm3`.
std::vector<filters::EnhancingRegion> WithAPieceOf(std::vector<filters::EnhancingRegion> regions,
                                                   const io::VolumeGeometry& geometry, double min_piece_mm3) {
  return KeepWhere(std::move(regions), [&](const filters::EnhancingRegion& region) {
    return filters::LargestPieceMm3(geometry, region) >= min_piece_mm3;
  });
}

// The regions but those more than `max_share` of whose voxels touch dural enhancement: the fringe of the
// dura or of a sinus; a region `reaches_beyond` says reaches deeper than that fringe stays.
std::vector<filters::EnhancingRegion> OffTheDura(
    std::vector<filters::EnhancingRegion> regions, const io::Volume& classes, double max_share,
    const std::function<bool(const filters::EnhancingRegion&)>& reaches_beyond = nullptr) {
  return KeepWhere(std::move(regions), [&](const filters::EnhancingRegion& region) {
    return filters::ShareTouchingClass(region, classes, filters::kDuralEnhancement) <= max_share ||
           (reaches_beyond && reaches_beyond(region));
  });
}

// A linear item from its lesions: present, with its total extent, when one reaches the minimum extent.
void AddLinearItem(const std::vector<filters::EnhancingRegion>& regions, const std::string& prefix,
                   scoring::Findings& findings, Item item) {
  double total = 0;
  std::set<std::string> subregions;
  for (const auto& region : regions) {
    const double extent = filters::LayerExtentMm2(region);
    total += extent;
    subregions.insert(region.region);
    findings.lesions.push_back(LayerLesion(prefix + std::to_string(findings.lesions.size() + 1),
                                           scoring::LesionKind::kLinear, region, extent));
  }
  auto& finding = findings.items[static_cast<std::size_t>(item)];
  finding = Present(total > 0);
  if (total > 0) finding.extent_mm2 = scoring::RoundToUnit(total, 10);
  if (item == Item::kBrainLinear) finding.subregions.assign(subregions.begin(), subregions.end());
}

// The spine study when the time point has both sagittal T1s; its lesions are numbered after the brain's.
void AnalyzeSpineOfTimepoint(const TimepointScans& scans, const SpineDetectionParameters& parameters,
                             TimepointAnalysis& result) {
  if (!scans.spine_post || !scans.spine_pre) {
    if (scans.spine_post)
      spdlog::warn("{} {}: a post-contrast spine series without a pre-contrast one; spine items NE",
                   scans.subject, scans.date);
    MarkSpineNotEvaluable(result.findings);
    return;
  }
  result.spine = AnalyzeSpine(*scans.spine_post, *scans.spine_pre, parameters);
  AddSpineFindings(*result.spine, result.findings);
  for (const auto& stage : result.spine->stage_seconds)
    result.stage_seconds.push_back(stage);
}

}  // namespace

scoring::Lesion NoduleLesion(const filters::DetectedNodule& n, const std::string& id,
                             scoring::Compartment compartment) {
  scoring::Lesion lesion;
  lesion.id = id;
  lesion.kind = scoring::LesionKind::kNodule;
  lesion.compartment = compartment;
  lesion.location = n.location;
  for (int a = 0; a < 3; ++a)
    lesion.center_mm[a] = scoring::RoundToUnit(n.measures.center_mm[a], 100);
  lesion.diameters_mm = {scoring::RoundToUnit(n.measures.diameters_mm[0], 100),
                         scoring::RoundToUnit(n.measures.diameters_mm[1], 100)};
  lesion.craniocaudal_mm = scoring::RoundToUnit(n.measures.craniocaudal_mm, 100);
  lesion.volume_ml = scoring::RoundToUnit(n.measures.volume_ml, 1000);
  lesion.distance_to_leptomeninges_mm = scoring::RoundToUnit(n.distance_to_leptomeninges_mm, 100);
  return lesion;
}

TimepointAnalysis AnalyzeTimepoint(const TimepointScans& scans,
                                   const filters::AnatomyTemplate& anatomy_template,
                                   const DetectionParameters& parameters) {
  TimepointAnalysis result;
  StageClock clock(result.stage_seconds);
  const io::Volume& post = scans.post;

  std::optional<io::Volume>& pre_on_post = result.pre_on_post;
  if (scans.pre) {
    // Same session, same scanner frame: the grids' centres are the best start. Gadolinium moves the post
    // scan's centre of mass (dura, sinuses); starting from it left one phantom visit 2.5 mm off.
    filters::RegistrationOptions same_session;
    same_session.align_centers_of_mass = false;
    result.pre_to_post = clock("register pre to post",
                               [&] { return filters::Register(post, *scans.pre, same_session).transform; });
    pre_on_post = clock("resample pre", [&] {
      return filters::ResampleOnto(*scans.pre, post.geometry, *result.pre_to_post);
    });
  }
  // Anatomy comes from the scan without contrast when there is one: enhancement blurs the pia.
  const io::Volume& anatomy_image = pre_on_post ? *pre_on_post : post;
  // The priors come first: the ventricle prior finds ventricles the brain mask leaves out.
  const filters::SubjectPriors priors =
      clock("template priors", [&] { return filters::MapPriors(anatomy_template, anatomy_image); });
  const Anatomy anatomy = clock("anatomy", [&] { return MeasureAnatomy(anatomy_image, priors); });
  result.enhancement = clock("enhancement", [&] {
    return pre_on_post ? filters::EnhancementMap(post, *pre_on_post, anatomy.masks.brain)
                       : filters::PostOnlyEnhancementMap(post, anatomy.masks.brain);
  });

  filters::EnhancementAnatomy where;
  where.pial_distance = &anatomy.pial_distance;
  where.inner_skull_distance = &anatomy.inner_skull_distance;
  where.ependymal_distance = &anatomy.ependymal_distance;
  where.priors = &priors;
  const io::Volume intracranial = filters::MaskWhere(
      post.geometry, [&](std::size_t v) { return anatomy.inner_skull_distance.voxels[v] < 0; });
  const io::Volume vesselness =
      clock("vesselness", [&] { return filters::Vesselness(result.enhancement, {}, &intracranial); });
  where.vesselness = &vesselness;
  const io::Volume classes = clock("normal enhancement", [&] {
    return filters::ClassifyEnhancement(result.enhancement, where, parameters.normal);
  });
  // Unpaired plexus enhancement may be a nodule against the plexus; if it is none, it stays plexus.
  const io::Volume nodule_candidates = filters::MaskWhere(post.geometry, [&](std::size_t v) {
    return classes.voxels[v] == filters::kCandidate ||
           classes.voxels[v] == filters::kUnpairedPlexusEnhancement;
  });
  filters::NoduleDetection nodules = clock("nodules", [&] {
    return filters::DetectNodules(nodule_candidates, result.enhancement, anatomy.pial_distance,
                                  anatomy.ependymal_distance, parameters.nodules);
  });
  const io::Volume nerve_courses = clock("nerve courses", [&] {
    return filters::CisternalNerveCourses(priors, anatomy.pial_distance, parameters.nerves);
  });
  filters::ReturnNerveEnhancement(nodules, nerve_courses, parameters.nerves);
  for (std::size_t v = 0; v < classes.voxels.size(); ++v) {
    if (classes.voxels[v] != filters::kCandidate) nodules.remainder.voxels[v] = 0;
  }
  const auto sulcal = clock("sulcal", [&] {
    return OffTheDura(
        WithAPieceOf(Reportable(filters::DetectSulcalEnhancement(nodules.remainder, anatomy.pial_distance,
                                                                 anatomy.ependymal_distance, nerve_courses,
                                                                 priors, parameters.sulcal),
                                parameters),
                     post.geometry, parameters.min_sulcal_piece_mm3),
        classes, parameters.max_sulcal_dura_contact, [&](const filters::EnhancingRegion& region) {
          return filters::ReachesBeyondClass(region, classes, filters::kDuralEnhancement,
                                             parameters.sulcal_dura_reach_mm,
                                             parameters.sulcal_dura_piece_mm3);
        });
  });
  const auto ependymal = clock("ependymal", [&] {
    return Reportable(filters::DetectEpendymalEnhancement(nodules.remainder, anatomy.ependymal_distance,
                                                          parameters.ependymal),
                      parameters);
  });
  const auto nerves = clock("cranial nerves", [&] {
    return OffTheDura(
        filters::DetectCranialNerveEnhancement(nodules.remainder, nerve_courses, parameters.nerves), classes,
        parameters.max_nerve_dura_contact);
  });

  scoring::Findings& findings = result.findings;
  findings.subject = scans.subject;
  findings.timepoint = scans.timepoint;
  findings.date = scans.date;
  findings.source =
      std::string("leptoscan ") + LEPTOSCAN_VERSION + (scans.pre ? "" : " (post-contrast only)");
  findings.brain_imaged = true;

  bool lm_nodule = false;
  for (const filters::DetectedNodule& n : nodules.nodules) {
    findings.lesions.push_back(
        NoduleLesion(n, "N" + std::to_string(findings.lesions.size() + 1), scoring::Compartment::kBrain));
    lm_nodule = lm_nodule || findings.lesions.back().IsLeptomeningeal();
  }
  findings.items[static_cast<std::size_t>(Item::kBrainNodules)] = Present(lm_nodule);
  AddLinearItem(sulcal, "L", findings, Item::kBrainLinear);
  AddLinearItem(ependymal, "L", findings, Item::kEpendymal);

  auto& nerve_item = findings.items[static_cast<std::size_t>(Item::kCranialNerves)];
  for (const auto& region : nerves) {
    findings.lesions.push_back(LayerLesion("C" + std::to_string(findings.lesions.size() + 1),
                                           scoring::LesionKind::kCranialNerve, region, region.surface_mm2));
    nerve_item.nerves.push_back(region.region);
  }
  const auto named = nerve_item.nerves;
  nerve_item = Present(!named.empty());
  std::set<std::string> unique(named.begin(), named.end());
  nerve_item.nerves.assign(unique.begin(), unique.end());

  auto& hydrocephalus = findings.items[static_cast<std::size_t>(Item::kHydrocephalus)];
  hydrocephalus = Present(anatomy.ventricle_measures.evans_index > parameters.evans_hydrocephalus);
  hydrocephalus.evans_index = scoring::RoundToUnit(anatomy.ventricle_measures.evans_index, 1000);
  AnalyzeSpineOfTimepoint(scans, parameters.spine, result);

  // The pattern map: suppressed enhancement first, then what was detected over it.
  result.patterns = filters::MaskWhere(post.geometry, [](std::size_t) { return false; });
  for (std::size_t v = 0; v < classes.voxels.size(); ++v) {
    if (classes.voxels[v] > filters::kCandidate)
      result.patterns.voxels[v] = kPatternNormalEnhancement + classes.voxels[v];
  }
  const auto paint = [&](const std::vector<filters::EnhancingRegion>& regions, PatternLabel label) {
    for (const auto& region : regions)
      for (std::size_t v : region.voxels)
        result.patterns.voxels[v] = label;
  };
  paint(sulcal, kPatternSulcal);
  paint(ependymal, kPatternEpendymal);
  paint(nerves, kPatternCranialNerve);
  for (const filters::DetectedNodule& n : nodules.nodules)
    for (std::size_t v : n.voxels)
      result.patterns.voxels[v] = n.location == "parenchymal" ? kPatternParenchymalNodule : kPatternNodule;
  return result;
}

}  // namespace leptoscan::pipeline
