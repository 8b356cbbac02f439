// A phantom head as an anatomical template (filters/template_priors.h): the head without lesions, rendered
// as a noise-free 1 mm axial T1 before contrast, with its prior regions drawn from the label map and
// widened by a margin, since a subject meets them only through an affine registration.
#pragma once

#include "filters/template_priors.h"
#include "testdata/phantom/anatomy.h"

namespace leptoscan::phantom {

// Named after the head (Anatomy::Name).
filters::AnatomyTemplate HeadTemplate(const Anatomy& head);
// The default analytic head's template: the pipeline's priors when no template folder is given.
filters::AnatomyTemplate AnalyticTemplate();

}  // namespace leptoscan::phantom
