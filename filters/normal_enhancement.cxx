#include "filters/normal_enhancement.h"

#include <cmath>
#include <stdexcept>

#include "filters/input_checks.h"

namespace leptoscan::filters {
namespace {

void Check(const io::Volume& enhancement, const io::Volume* input, const char* name) {
  if (input == nullptr || !SameGrid(enhancement.geometry, input->geometry))
    throw std::invalid_argument(std::string("enhancement classes: ") + name +
                                " is missing or not on the enhancement map's grid");
}

bool InNerve(const SubjectPriors& priors, std::size_t v) {
  for (PriorRegion nerve : kNerveRegions) {
    if (priors.Has(v, nerve)) return true;
  }
  return false;
}

}  // namespace

io::Volume ClassifyEnhancement(const io::Volume& enhancement, const EnhancementAnatomy& anatomy,
                               const NormalEnhancementOptions& options) {
  Check(enhancement, anatomy.pial_distance, "the pial distance map");
  Check(enhancement, anatomy.inner_skull_distance, "the inner skull distance map");
  Check(enhancement, anatomy.ependymal_distance, "the ependymal distance map");
  Check(enhancement, anatomy.priors ? &anatomy.priors->regions : nullptr, "the template priors");
  if (anatomy.vesselness) Check(enhancement, anatomy.vesselness, "the vesselness map");
  const SubjectPriors& priors = *anatomy.priors;

  io::Volume classes;
  classes.geometry = enhancement.geometry;
  classes.integer_valued = true;
  classes.voxels.assign(enhancement.voxels.size(), kNotEnhancing);
  for (std::size_t v = 0; v < enhancement.voxels.size(); ++v) {
    if (enhancement.voxels[v] < options.threshold) continue;
    const double pial = anatomy.pial_distance->voxels[v];
    const double skull = anatomy.inner_skull_distance->voxels[v];
    EnhancementClass c = kCandidate;
    if (InNerve(priors, v)) {
      // A nerve's cisternal course runs to its foramen in the skull base, past dura and vessels.
      c = kCandidate;
    } else if (skull > 0) {
      c = kExtracranialEnhancement;
    } else if (priors.Has(v, PriorRegion::kPituitary)) {
      c = kPituitaryEnhancement;
    } else if (priors.Has(v, PriorRegion::kChoroidPlexus) && anatomy.ependymal_distance->voxels[v] < 0.5) {
      c = kChoroidPlexusEnhancement;
    } else if (pial < 0 && (priors.Has(v, PriorRegion::kDura) || -skull < -pial)) {
      // Outside the brain and nearer the inner table than the pia: the dura of the convexity, which
      // hugs the skull and never follows the pia into a sulcus; the falx and tentorium from the priors.
      c = kDuralEnhancement;
    } else if (anatomy.vesselness && anatomy.vesselness->voxels[v] > options.vessel_threshold) {
      c = kVesselEnhancement;
    }
    classes.voxels[v] = c;
  }
  return classes;
}

}  // namespace leptoscan::filters
