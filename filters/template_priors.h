// Anatomical priors from a template: regions an MR image does not show by intensity alone (the basal
// cisterns, the cisternal course of each cranial nerve, the pituitary, the choroid plexus, the dura of
// the falx and tentorium, and where the lateral and third ventricles lie), drawn once on a template T1 and
// carried onto a subject by affine registration.
//
// A template on disk is a folder: t1.nii.gz (a T1 before contrast), priors.nii.gz (on the same grid, each
// voxel the bitwise OR of the regions holding it, bit n = PriorRegion n) and template.json (its name and
// the region names by bit, so that a reader can tell the bits apart).
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "filters/rigid_registration.h"
#include "io/volume.h"

namespace leptoscan::filters {

enum class PriorRegion : unsigned {
  kInfratentorial,  // below the tentorium: cerebellum, its folia and the fourth ventricle
  kBasalCisterns,   // CSF around the brainstem and the suprasellar cistern
  kPituitary,       // pituitary and stalk
  kChoroidPlexus,   // where choroid plexus lies in the ventricles
  kDura,            // falx, tentorium and the dura of the convexity
  kNerveIII_L,
  kNerveIII_R,
  kNerveV_L,
  kNerveV_R,
  kNerveVII_VIII_L,
  kNerveVII_VIII_R,
  // The lateral and third ventricles: where the ventricles are, when the brain mask does not enclose
  // them (a real brain's choroidal fissure and foramina open them to the cisterns).
  kVentricles,
};
inline constexpr std::size_t kPriorRegionCount = 12;

// "infratentorial", "basal_cisterns", ..., and the nerves as the findings contract names them ("V_L").
std::string_view PriorRegionName(PriorRegion region);
// The nerve regions in bit order, with their contract names.
inline constexpr std::array<PriorRegion, 6> kNerveRegions = {
    PriorRegion::kNerveIII_L, PriorRegion::kNerveIII_R,      PriorRegion::kNerveV_L,
    PriorRegion::kNerveV_R,   PriorRegion::kNerveVII_VIII_L, PriorRegion::kNerveVII_VIII_R};

inline std::uint32_t PriorBit(PriorRegion region) {
  return 1u << static_cast<unsigned>(region);
}

struct AnatomyTemplate {
  std::string name;
  io::Volume t1;      // before contrast
  io::Volume priors;  // region bits, on the grid of t1
};

// Throws io::InputError naming the file for a missing or unreadable part, priors on another grid, or a
// template.json whose region names differ from this build's.
AnatomyTemplate ReadTemplate(const std::filesystem::path& folder);
// Written whole or not at all (a temporary folder renamed into place).
void WriteTemplate(const AnatomyTemplate& anatomy_template, const std::filesystem::path& folder);

// The template's priors on a subject's grid.
struct SubjectPriors {
  io::Volume regions;                    // region bits on the subject grid
  SpatialTransform subject_to_template;  // affine, maps subject points to template points
  bool Has(std::size_t voxel, PriorRegion region) const {
    return (static_cast<std::uint32_t>(regions.voxels[voxel]) & PriorBit(region)) != 0;
  }
};

// Registers the template T1 to `subject_t1` (a T1 before contrast; affine, mutual information) and
// resamples the priors onto the subject grid with nearest-neighbour interpolation.
SubjectPriors MapPriors(const AnatomyTemplate& anatomy_template, const io::Volume& subject_t1);

}  // namespace leptoscan::filters
