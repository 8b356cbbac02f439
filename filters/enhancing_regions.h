// Groups enhancing voxels into lesions, the step the linear-enhancement detectors (sulcal, ependymal,
// cranial nerve) share: each voxel carries a region (e.g. "sulcal", "V_L"), nearby voxels of a region
// form one lesion, and each lesion gets its centre, volume and enhancing surface.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "io/volume.h"

namespace leptoscan::filters {

struct EnhancingRegion {
  std::string region;
  std::array<double, 3> center_mm{0, 0, 0};  // LPS centroid
  double volume_mm3 = 0;
  double surface_mm2 = 0;  // of the voxels' outer boundary (see BoundaryAreaMm2)
  std::vector<std::size_t> voxels;
};

struct RegionGrouping {
  // Voxels of one region closer than this join one lesion: a layer broken by noise or by a suppressed
  // vessel crossing it stays one lesion, as a reader would count it.
  double merge_mm = 4.0;
  double min_volume_mm3 = 8.0;  // smaller groups are noise
};

// `region_of[v]` is an index into `region_names`, or -1 for a voxel that does not enhance. Groups come
// out in raster order of their first voxel.
std::vector<EnhancingRegion> GroupEnhancingRegions(const io::VolumeGeometry& geometry,
                                                   const std::vector<int>& region_of,
                                                   const std::vector<std::string>& region_names,
                                                   const RegionGrouping& grouping = {});

// Area (mm2) of the boundary of a voxel set: its faces against voxels outside the set, divided by 1.5,
// the mean of |nx| + |ny| + |nz| over all orientations, so that an oblique surface does not count as a
// staircase.
double BoundaryAreaMm2(const io::VolumeGeometry& geometry, const std::vector<std::size_t>& voxels);

// The 26-connected pieces of a region's voxels (indices on `geometry`), each in raster order, the pieces in
// raster order of their first voxel. A region groups pieces lying within RegionGrouping::merge_mm.
std::vector<std::vector<std::size_t>> RegionPieces(const io::VolumeGeometry& geometry,
                                                   const EnhancingRegion& region);

// The volume (mm3) of the largest of those pieces; 0 for a region without voxels.
double LargestPieceMm3(const io::VolumeGeometry& geometry, const EnhancingRegion& region);

// The extent (mm2) of a region that is a layer: a layer has two faces, so the surface it covers is half its
// boundary. (A tube, a root or a nerve, enhances over its whole boundary.)
inline double LayerExtentMm2(const EnhancingRegion& region) {
  return region.surface_mm2 / 2;
}

}  // namespace leptoscan::filters
