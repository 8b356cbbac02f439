// Checks shared by the filters before they start on a volume; each caller words the error for its input.
#pragma once

#include <string>

#include "io/volume.h"

namespace leptoscan::filters {

// What makes `volume` unusable for 3-D processing ("2-D or too thin (256x256x1 voxels)...",
// "flat (every voxel is 0)"), or an empty string when it is usable.
std::string ProblemFor3D(const io::Volume& volume);

// The two grids have the same size, and the same spacing, origin and direction within 1e-3 mm.
bool SameGrid(const io::VolumeGeometry& a, const io::VolumeGeometry& b);

}  // namespace leptoscan::filters
