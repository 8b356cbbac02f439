// The detection and scoring parameters as a readable JSON file (in the manner of elastix's parameter
// files): written next to every result, and read back by `--parameters` to override any subset.
#pragma once

#include <filesystem>
#include <string>

#include "pipeline/timepoint_analysis.h"

namespace leptoscan::pipeline {

// {"detection": {"enhancement_threshold_wm": 0.3, ...}, "scoring": {"pr_change": -0.5, ...}}, every
// parameter with its value; the same text for the same parameters.
std::string DetectionParametersJson(const DetectionParameters& parameters);

// Starts from the defaults and overrides what the document names. Throws scoring::DocumentError naming
// the file and the field for an unknown name, a wrong type or a value out of range.
DetectionParameters ParseDetectionParameters(const std::string& text, const std::string& file);
DetectionParameters ReadDetectionParameters(const std::filesystem::path& file);

}  // namespace leptoscan::pipeline
