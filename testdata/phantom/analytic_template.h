// The analytic head as an anatomical template (filters/template_priors.h): the default head without
// lesions, rendered as a noise-free 1 mm axial T1 before contrast, with its prior regions drawn from the
// label map and widened by a margin, since a subject meets them only through an affine registration.
#pragma once

#include "filters/template_priors.h"

namespace leptoscan::phantom {

filters::AnatomyTemplate AnalyticTemplate();

}  // namespace leptoscan::phantom
