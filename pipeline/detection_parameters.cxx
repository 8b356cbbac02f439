#include "pipeline/detection_parameters.h"

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "scoring/errors.h"
#include "scoring/json_fields.h"

namespace leptoscan::pipeline {
namespace {

// Every detection parameter with its name in the file; one list for writing and reading. All are
// positive numbers.
template <typename Parameters, typename Visit>
void ForEachDetectionParameter(Parameters& p, Visit visit) {
  visit("enhancement_threshold_wm", p.normal.threshold);
  visit("vesselness_threshold", p.normal.vessel_threshold);
  visit("nerve_foramen_dura_mm", p.normal.foramen_dura_mm);
  visit("nodule_core_radius_mm", p.nodules.core_radius_mm);
  visit("nodule_min_core_mm3", p.nodules.min_core_mm3);
  visit("nodule_min_compactness", p.nodules.min_compactness);
  visit("nodule_leptomeningeal_mm", p.nodules.leptomeningeal_mm);
  visit("nodule_max_outside_mm", p.nodules.max_outside_mm);
  visit("nodule_ventricular_fraction", p.nodules.ventricular_fraction);
  visit("sulcal_max_depth_mm", p.sulcal.max_depth_mm);
  visit("sulcal_max_distance_mm", p.sulcal.max_distance_mm);
  visit("sulcal_ependymal_margin_mm", p.sulcal.ependymal_margin_mm);
  visit("sulcal_merge_mm", p.sulcal.grouping.merge_mm);
  visit("sulcal_min_volume_mm3", p.sulcal.grouping.min_volume_mm3);
  visit("ependymal_outer_margin_mm", p.ependymal.outer_margin_mm);
  visit("ependymal_merge_mm", p.ependymal.grouping.merge_mm);
  visit("ependymal_min_volume_mm3", p.ependymal.grouping.min_volume_mm3);
  visit("nerve_clearance_mm", p.nerves.clearance_mm);
  visit("nerve_bulk_depth_mm", p.nerves.bulk_depth_mm);
  visit("nerve_max_spread_mm", p.nerves.max_nerve_spread_mm);
  visit("nerve_min_connected_share", p.nerves.min_connected_share);
  visit("nerve_merge_mm", p.nerves.grouping.merge_mm);
  visit("nerve_min_volume_mm3", p.nerves.grouping.min_volume_mm3);
  visit("min_linear_extent_mm2", p.min_linear_extent_mm2);
  visit("max_sulcal_dura_contact", p.max_sulcal_dura_contact);
  visit("sulcal_dura_reach_mm", p.sulcal_dura_reach_mm);
  visit("sulcal_dura_piece_mm3", p.sulcal_dura_piece_mm3);
  visit("min_sulcal_piece_mm3", p.min_sulcal_piece_mm3);
  visit("max_nerve_dura_contact", p.max_nerve_dura_contact);
  visit("evans_hydrocephalus", p.evans_hydrocephalus);
  visit("spine_csf_fraction", p.spine.anatomy.csf_fraction);
  visit("spine_enhancement_threshold_cord", p.spine.enhancement.enhancing);
  visit("spine_sac_margin_mm", p.spine.enhancement.sac_margin_mm);
  visit("spine_nodule_enhancement_cord", p.spine.enhancement.nodule_enhancing);
  visit("spine_nodule_min_mm3", p.spine.enhancement.min_nodule_mm3);
  visit("spine_nodule_max_spread_mm", p.spine.enhancement.max_nodule_spread_mm);
  visit("spine_nodule_leptomeningeal_mm", p.spine.enhancement.leptomeningeal_mm);
  visit("spine_cord_surface_mm", p.spine.enhancement.cord_surface_mm);
  visit("spine_root_depth_mm", p.spine.enhancement.root_depth_mm);
  visit("spine_root_tissue", p.spine.enhancement.root_tissue);
  visit("spine_min_linear_extent_mm2", p.spine.enhancement.min_linear_extent_mm2);
  visit("spine_min_root_extent_mm2", p.spine.enhancement.min_root_extent_mm2);
}

}  // namespace

std::string DetectionParametersJson(const DetectionParameters& parameters) {
  nlohmann::ordered_json detection = nlohmann::ordered_json::object();
  ForEachDetectionParameter(parameters, [&](const char* name, double value) { detection[name] = value; });
  const nlohmann::ordered_json document{
      {"detection", detection},
      {"scoring", nlohmann::ordered_json::parse(scoring::ParametersJson(parameters.scoring))}};
  return document.dump(2) + "\n";
}

DetectionParameters ParseDetectionParameters(const std::string& text, const std::string& file) {
  const scoring::JsonFields fields(file);
  const nlohmann::json document = fields.Parse(text);
  fields.Object(document, "");
  DetectionParameters p;
  for (const auto& [section, values] : document.items()) {
    if (section == "scoring") {
      p.scoring = scoring::ParseParameters(fields.Object(values, section).dump(), file);
    } else if (section == "detection") {
      fields.Object(values, section);
      for (const auto& [key, value] : values.items()) {
        const std::string path = scoring::JoinPath(section, key);
        bool known = false;
        ForEachDetectionParameter(p, [&](const char* name, double& target) {
          if (key != name) return;
          target = fields.Positive(value, path);
          known = true;
        });
        // A misspelt threshold would silently keep its default.
        if (!known) fields.Fail(path, "unknown parameter (the parameters.json of any run lists them all)");
      }
    } else {
      fields.Fail(section, "unknown section (expected \"detection\" and \"scoring\")");
    }
  }
  return p;
}

DetectionParameters ReadDetectionParameters(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw scoring::DocumentError(file.string(), "", "cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  return ParseDetectionParameters(text.str(), file.string());
}

}  // namespace leptoscan::pipeline
