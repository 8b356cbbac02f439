// Nodular enhancement: enhancing blobs thicker than a leptomeningeal layer, measured as RANO-LM asks (two
// orthogonal diameters on the slice of largest cross-section, the third extent, the volume) and routed by
// the 2 mm rule (domain.md section 1): an outer edge nearer than 2 mm to the leptomeninges (pia or
// ependyma) is LM, subarachnoid or ventricular; a deeper one is a parenchymal metastasis.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "filters/nodule_measures.h"
#include "io/volume.h"

namespace leptoscan::filters {

struct NoduleOptions {
  // Opening radius: an LM layer (1-2 mm, three voxels thick with partial volume at 1 mm) vanishes under
  // it, a nodule a few millimetres across keeps its core.
  double core_radius_mm = 1.5;
  double min_core_mm3 = 10;
  // What survives the opening must be compact, not a patch of a thick sheet (a sulcus filled with
  // enhancement): the spread along its thinnest axis over that along its longest, at least this.
  double min_compactness = 0.25;
  // A whole group of candidates too thin for the opening is a nodule when it is this large, this compact
  // and no more spread out than this along its longest axis (a ball of 13 mm): a 5 mm nodule at 1 mm
  // voxels is four voxels across, but a patch of layer is flat and a coat around the brainstem is wide.
  double min_whole_mm3 = 50;
  double min_whole_compactness = 0.5;
  double max_whole_spread_mm = 3;
  // ... and solid: its volume at least this fraction of the ellipsoid of its spreads (a coat of layer
  // around a small ventricle horn or a vessel is hollow).
  double min_whole_solidity = 0.75;
  // A nodule stands out of the layer it sits on, where a thickening of a sheet (a sulcus filled with
  // enhancement) is surrounded by it. Of the voxels within two 26-neighbour steps of a blob, at most this
  // share are other candidates, or those that are lie to one side of the blob (the layer beneath a
  // nodule): the mean of the unit vectors from its centroid to them is at least this long (near 0 when they
  // surround it). Set on the seed-1 Colin27 cohort, checked on seed 2 (bench/RESULTS.md, "Nodules that
  // stand out of their layer").
  double max_surrounding_share = 0.06;
  double min_one_sidedness = 0.5;
  double leptomeningeal_mm = 2.0;
  // A blob lying wholly farther out from the pia than this is no nodule of the leptomeninges or the brain:
  // a sinus or a dural fold seen end-on (the subarachnoid space over the convexity is 1-3 mm deep).
  double max_outside_mm = 3.0;
  // A nodule whose surroundings are at least this fraction ventricular CSF sits in a ventricle.
  double ventricular_fraction = 0.3;
};

struct DetectedNodule {
  NoduleMeasures measures;
  std::string location;  // subarachnoid, ventricular or parenchymal
  double distance_to_leptomeninges_mm = 0;
  std::vector<std::size_t> voxels;  // on the candidates' grid
};

struct NoduleDetection {
  std::vector<DetectedNodule> nodules;  // in raster order of their first voxel
  io::Volume remainder;                 // candidates that are not part of a nodule (0/1)
};

// `candidates`: 0/1 mask of enhancing voxels left after suppression; `enhancement` the map they come
// from; distance maps as filters/surface_distance.h makes them; all on one grid.
NoduleDetection DetectNodules(const io::Volume& candidates, const io::Volume& enhancement,
                              const io::Volume& pial_distance, const io::Volume& ependymal_distance,
                              const NoduleOptions& options = {});

// The fraction of a nodule each voxel of its box (with a margin of 2 voxels) holds: the enhancement over
// the nodule's own full-voxel level (its 90th percentile), for the nodule's voxels and the rim beside them
// that is not another candidate (partial volume below the threshold). What MeasureNodule measures.
io::Volume NoduleMembership(const io::Volume& enhancement, const io::Volume& candidates,
                            const std::vector<std::size_t>& voxels);

// The standard deviations (mm) of the voxel centres along their principal axes, thinnest first.
std::array<double, 3> PrincipalSpreads(const io::VolumeGeometry& geometry,
                                       const std::vector<std::size_t>& voxels);

}  // namespace leptoscan::filters
