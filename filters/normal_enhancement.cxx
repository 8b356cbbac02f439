#include "filters/normal_enhancement.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "filters/binary_masks.h"
#include "filters/input_checks.h"
#include "filters/surface_distance.h"

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
  FalxOptions falx_options = options.falx;
  falx_options.threshold = options.threshold;
  const std::optional<MidSagittalPlane> falx =
      FindFalxPlane(enhancement, *anatomy.pial_distance, *anatomy.inner_skull_distance,
                    *anatomy.ependymal_distance, falx_options);
  const auto& g = enhancement.geometry;
  const int reach = static_cast<int>(
      std::ceil(options.plexus_pair_mm / *std::min_element(g.spacing_mm.begin(), g.spacing_mm.end())));
  const auto paired = [&](std::size_t v) {
    if (!falx) return true;  // without a mid-sagittal plane no side can be told from the other
    const std::array<double, 3> mirror = falx->Mirror(g.VoxelCentre(v));
    const auto index = g.PointToIndex(mirror);
    std::array<long, 3> centre;
    for (int a = 0; a < 3; ++a) {
      centre[a] = std::lround(index[a]);
      if (centre[a] < 0 || centre[a] >= static_cast<long>(g.size[a])) return true;
    }
    for (long k = centre[2] - reach; k <= centre[2] + reach; ++k)
      for (long j = centre[1] - reach; j <= centre[1] + reach; ++j)
        for (long i = centre[0] - reach; i <= centre[0] + reach; ++i) {
          if (i < 0 || j < 0 || k < 0 || i >= static_cast<long>(g.size[0]) ||
              j >= static_cast<long>(g.size[1]) || k >= static_cast<long>(g.size[2]))
            continue;
          const auto q = g.IndexToPoint(i, j, k);
          const double dx = q[0] - mirror[0], dy = q[1] - mirror[1], dz = q[2] - mirror[2];
          const std::size_t w = (static_cast<std::size_t>(k) * g.size[1] + j) * g.size[0] + i;
          if (dx * dx + dy * dy + dz * dz <= options.plexus_pair_mm * options.plexus_pair_mm &&
              enhancement.voxels[w] >= options.threshold)
            return true;
        }
    return false;
  };
  // The falx reaches from the vertex down to the corpus callosum, in front of and behind it lower; below
  // the tentorium and in the basal cisterns the midline is the vermis and the cisterns' own LM.
  const auto on_falx = [&](std::size_t v) {
    return falx && anatomy.pial_distance->voxels[v] <= falx_options.max_depth_mm &&
           anatomy.ependymal_distance->voxels[v] > falx_options.max_depth_mm &&
           !priors.Has(v, PriorRegion::kBasalCisterns) && !priors.Has(v, PriorRegion::kInfratentorial) &&
           std::abs(falx->SignedDistanceMm(g.VoxelCentre(v))) <= options.falx_half_width_mm;
  };

  io::Volume classes;
  classes.geometry = enhancement.geometry;
  classes.integer_valued = true;
  classes.voxels.assign(enhancement.voxels.size(), kNotEnhancing);
  for (std::size_t v = 0; v < enhancement.voxels.size(); ++v) {
    if (enhancement.voxels[v] < options.threshold) continue;
    const double pial = anatomy.pial_distance->voxels[v];
    const double skull = anatomy.inner_skull_distance->voxels[v];
    EnhancementClass c = kCandidate;
    if (InNerve(priors, v) && -skull > options.foramen_dura_mm) {
      // A nerve's cisternal course runs to its foramen in the skull base, past dura and vessels; at the
      // foramen the nerve prior meets the dura lining it, which is judged as dura.
      c = kCandidate;
    } else if (skull > 0) {
      c = kExtracranialEnhancement;
    } else if (priors.Has(v, PriorRegion::kPituitary)) {
      c = kPituitaryEnhancement;
    } else if (priors.Has(v, PriorRegion::kChoroidPlexus) && priors.Has(v, PriorRegion::kInfratentorial)) {
      // The fourth ventricle's plexus: single and midline, nothing to pair with, in a ventricle too small
      // for the ventricle mask (left to the nodule detector it was a nodule in most scans).
      c = kChoroidPlexusEnhancement;
    } else if (priors.Has(v, PriorRegion::kChoroidPlexus) && anatomy.ependymal_distance->voxels[v] < 0.5) {
      c = paired(v) ? kChoroidPlexusEnhancement : kUnpairedPlexusEnhancement;
    } else if (pial < 0 && (priors.Has(v, PriorRegion::kDura) || -skull < -pial)) {
      // Outside the brain and nearer the inner table than the pia: the dura of the convexity, which
      // hugs the skull and never follows the pia into a sulcus; the falx and tentorium from the priors.
      c = kDuralEnhancement;
    } else if (on_falx(v)) {
      // The falx where the brain mask closes over a narrow fissure: on or just under the mask's surface.
      c = kDuralEnhancement;
    }
    classes.voxels[v] = c;
  }
  if (!anatomy.vesselness) return classes;

  // Vessels among what is left: thickness is judged on it alone, since a vein reaching a sinus or the
  // dura stays a vein.
  const io::Volume left = MaskWhere(g, [&](std::size_t v) { return classes.voxels[v] == kCandidate; });
  const std::optional<io::Volume> to_thick = DistanceToCore(left, options.max_vessel_radius_mm);
  for (std::size_t v = 0; v < classes.voxels.size(); ++v) {
    if (classes.voxels[v] != kCandidate || InNerve(priors, v) ||
        anatomy.vesselness->voxels[v] <= options.vessel_threshold)
      continue;
    // The opening, and as far again around it: a nodule's ends taper thinner than the ball.
    if (to_thick && to_thick->voxels[v] < 2 * options.max_vessel_radius_mm) continue;
    classes.voxels[v] = kVesselEnhancement;
  }
  return classes;
}

double ShareTouchingClass(const EnhancingRegion& region, const io::Volume& classes, EnhancementClass of) {
  if (region.voxels.empty()) return 0;
  const io::VolumeGeometry& g = classes.geometry;
  const auto touches = [&](std::size_t v) {
    const auto [i, j, k] = g.VoxelIndex(v);
    for (long dk = -1; dk <= 1; ++dk)
      for (long dj = -1; dj <= 1; ++dj)
        for (long di = -1; di <= 1; ++di) {
          const long x = static_cast<long>(i) + di, y = static_cast<long>(j) + dj,
                     z = static_cast<long>(k) + dk;
          if (x < 0 || y < 0 || z < 0 || x >= static_cast<long>(g.size[0]) ||
              y >= static_cast<long>(g.size[1]) || z >= static_cast<long>(g.size[2]))
            continue;
          const std::size_t w = (static_cast<std::size_t>(z) * g.size[1] + y) * g.size[0] + x;
          if (classes.voxels[w] == of) return true;
        }
    return false;
  };
  const auto touching = std::count_if(region.voxels.begin(), region.voxels.end(), touches);
  return static_cast<double>(touching) / static_cast<double>(region.voxels.size());
}

bool ReachesBeyondClass(const EnhancingRegion& region, const io::Volume& classes, EnhancementClass of,
                        double reach_mm, double min_piece_mm3) {
  // In a box grown by the reach, any voxel of the class outside the box is farther than the reach from
  // every voxel of the region: whether a voxel reaches that far is decided inside the box.
  const auto box = VoxelsBox(classes.geometry, region.voxels, reach_mm);
  if (!box) return false;
  const io::Volume part = Crop(classes, *box);
  const io::Volume of_class = MaskWhere(part.geometry, [&](std::size_t b) { return part.voxels[b] == of; });
  const bool none_of_class =
      std::none_of(of_class.voxels.begin(), of_class.voxels.end(), [](float v) { return v > 0; });
  const io::Volume distance = none_of_class ? io::Volume{} : SignedDistanceMm(of_class);
  const double voxel_mm3 = classes.geometry.VoxelVolumeMm3();
  for (const std::vector<std::size_t>& piece : RegionPieces(classes.geometry, region)) {
    if (static_cast<double>(piece.size()) * voxel_mm3 < min_piece_mm3) continue;
    if (none_of_class) return true;
    for (std::size_t v : piece)
      if (distance.voxels[box->BoxVoxel(classes.geometry, v)] >= reach_mm) return true;
  }
  return false;
}

}  // namespace leptoscan::filters
