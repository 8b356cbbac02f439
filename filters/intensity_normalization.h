// Intensity normalisation that makes two visits (and pre- and post-contrast scans) comparable: a T1
// volume is divided by its white-matter intensity, so white matter reads 1.0 in every normalised scan.
//
// Why the white-matter peak and not a percentile: gadolinium brightens vessels, dura, choroid plexus
// and lesions, which moves the upper percentiles of a post-contrast scan but hardly the white matter,
// the largest and (on T1) brightest tissue of the brain. Only a scale is applied: MR signal has no offset.
#pragma once

#include "io/volume.h"

namespace leptoscan::filters {

// The intensity of the white-matter mode: the peak of the smoothed histogram of the brain voxels
// (mask > 0) between the brain's median and twice the median. Throws std::invalid_argument for an
// empty mask, a mask on another grid, or a brain whose median is not positive.
double WhiteMatterPeak(const io::Volume& t1, const io::Volume& brain_mask);

// `t1` divided by WhiteMatterPeak(t1, brain_mask).
io::Volume NormalizeToWhiteMatter(const io::Volume& t1, const io::Volume& brain_mask);

}  // namespace leptoscan::filters
