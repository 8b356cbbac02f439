// Exact Euclidean distance transforms on a voxel grid (Felzenszwalb and Huttenlocher's separable lower
// envelope of parabolas), in plain C++ so that the phantom's data-driven heads need no image library.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace leptoscan::phantom {

// Per voxel: the distance (mm) from its centre to the nearest voxel centre where `mask` is non-zero
// (0 there); voxels are `spacing_mm` apart on every axis, index i fastest. Very large without any such voxel.
std::vector<float> DistanceToMask(const std::vector<std::uint8_t>& mask,
                                  const std::array<std::size_t, 3>& size, double spacing_mm);

// Signed distance (mm) to the boundary of `mask`, taken half-way between voxel centres: negative inside.
// Interpolated linearly, its zero level is a smooth version of the voxelised surface.
std::vector<float> SignedDistanceToMask(const std::vector<std::uint8_t>& mask,
                                        const std::array<std::size_t, 3>& size, double spacing_mm);

}  // namespace leptoscan::phantom
