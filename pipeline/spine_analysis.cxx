#include "pipeline/spine_analysis.h"

#include <chrono>

#include "pipeline/timepoint_analysis.h"
#include "scoring/findings_writer.h"

namespace leptoscan::pipeline {
namespace {

using scoring::Item;
using scoring::Status;

template <typename Work>
auto Timed(std::vector<std::pair<std::string, double>>& record, const std::string& stage, Work work) {
  const auto start = std::chrono::steady_clock::now();
  auto result = work();
  record.emplace_back(stage, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return result;
}

io::Volume PatternMap(const SpineAnalysis& analysis) {
  const filters::SpineMasks& anatomy = analysis.anatomy;
  io::Volume patterns = anatomy.cord;
  patterns.integer_valued = true;
  for (std::size_t v = 0; v < patterns.voxels.size(); ++v) {
    patterns.voxels[v] = anatomy.cord.voxels[v] > 0         ? kSpinePatternCord
                         : anatomy.thecal_sac.voxels[v] > 0 ? kSpinePatternSac
                                                            : 0;
    if (analysis.detection.normal.voxels[v] > 0) patterns.voxels[v] = kSpinePatternNormal;
  }
  const auto paint = [&](const std::vector<filters::EnhancingRegion>& regions, SpinePatternLabel label) {
    for (const auto& region : regions)
      for (std::size_t v : region.voxels)
        patterns.voxels[v] = label;
  };
  paint(analysis.detection.cord_surface, kSpinePatternLinear);
  paint(analysis.detection.nerve_roots, kSpinePatternNerveRoots);
  for (const filters::DetectedNodule& n : analysis.detection.nodules)
    for (std::size_t v : n.voxels)
      patterns.voxels[v] = n.location == "intramedullary" ? kSpinePatternIntramedullary : kSpinePatternNodule;
  return patterns;
}

scoring::Point3 Rounded(const std::array<double, 3>& p) {
  return {scoring::RoundToUnit(p[0], 100), scoring::RoundToUnit(p[1], 100), scoring::RoundToUnit(p[2], 100)};
}

scoring::ItemFinding Present(bool present) {
  scoring::ItemFinding item;
  item.status = present ? Status::kPresent : Status::kAbsent;
  return item;
}

// An extent item from its lesions: present with the total extent when it has any.
void AddExtentItem(const std::vector<filters::EnhancingRegion>& regions, scoring::LesionKind kind,
                   const std::string& prefix, double (*extent_of)(const filters::EnhancingRegion&), Item item,
                   scoring::Findings& findings) {
  double total = 0;
  for (const filters::EnhancingRegion& region : regions) {
    scoring::Lesion lesion;
    lesion.id = prefix + std::to_string(findings.lesions.size() + 1);
    lesion.kind = kind;
    lesion.compartment = scoring::Compartment::kSpine;
    lesion.location = region.region;
    lesion.center_mm = Rounded(region.center_mm);
    lesion.extent_mm2 = scoring::RoundToUnit(extent_of(region), 10);
    total += extent_of(region);
    findings.lesions.push_back(std::move(lesion));
  }
  auto& finding = findings.items[static_cast<std::size_t>(item)];
  finding = Present(total > 0);
  if (total > 0) finding.extent_mm2 = scoring::RoundToUnit(total, 10);
}

double RootExtent(const filters::EnhancingRegion& region) {
  return region.surface_mm2;
}

}  // namespace

SpineAnalysis AnalyzeSpine(const io::Volume& post, const io::Volume& pre,
                           const SpineDetectionParameters& parameters) {
  SpineAnalysis analysis;
  auto& clock = analysis.stage_seconds;
  // One session, one frame of reference: start from the grids' centres, as the brain's pre and post do.
  filters::RegistrationOptions same_session;
  same_session.align_centers_of_mass = false;
  // The spine series (1 x 1 x 3 mm, a narrow sagittal slab) register to about 0.4 mm (mean over the grid
  // against the phantom's truth) with either step relaxation; the root detector is that sensitive to which
  // 0.4 mm, so the spine keeps the relaxation it was tuned on until it is not (bench/RESULTS.md, "Spine").
  same_session.relaxation_factor = 0.5;
  analysis.pre_to_post = Timed(clock, "spine: register pre to post",
                               [&] { return filters::Register(post, pre, same_session).transform; });
  const io::Volume pre_on_post = Timed(clock, "spine: resample pre", [&] {
    return filters::ResampleOnto(pre, post.geometry, analysis.pre_to_post);
  });
  analysis.anatomy = Timed(clock, "spine: anatomy", [&] {
    return filters::MoveSpineMasks(filters::SegmentSpine(pre, parameters.anatomy), post.geometry,
                                   analysis.pre_to_post);
  });
  analysis.enhancement = Timed(clock, "spine: enhancement", [&] {
    return filters::SpineEnhancementMap(post, pre_on_post, analysis.anatomy);
  });
  analysis.detection = Timed(clock, "spine: detection", [&] {
    return filters::DetectSpineEnhancement(analysis.enhancement, pre_on_post, analysis.anatomy,
                                           parameters.enhancement);
  });
  analysis.patterns = PatternMap(analysis);
  return analysis;
}

void AddSpineFindings(const SpineAnalysis& analysis, scoring::Findings& findings) {
  findings.spine_imaged = true;
  bool lm_nodule = false;
  for (const filters::DetectedNodule& n : analysis.detection.nodules) {
    findings.lesions.push_back(
        NoduleLesion(n, "SN" + std::to_string(findings.lesions.size() + 1), scoring::Compartment::kSpine));
    lm_nodule = lm_nodule || findings.lesions.back().IsLeptomeningeal();
  }
  findings.items[static_cast<std::size_t>(Item::kSpineNodules)] = Present(lm_nodule);
  AddExtentItem(analysis.detection.cord_surface, scoring::LesionKind::kLinear, "SL", filters::LayerExtentMm2,
                Item::kSpineLinear, findings);
  AddExtentItem(analysis.detection.nerve_roots, scoring::LesionKind::kNerveRoot, "SR", RootExtent,
                Item::kSpinalNerveRoots, findings);
}

void MarkSpineNotEvaluable(scoring::Findings& findings) {
  findings.spine_imaged = false;
  for (Item spine : {Item::kSpineNodules, Item::kSpineLinear, Item::kSpinalNerveRoots})
    findings.items[static_cast<std::size_t>(spine)] = scoring::ItemFinding{};
}

}  // namespace leptoscan::pipeline
