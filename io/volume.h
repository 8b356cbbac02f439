// A 3-D scalar image in DICOM patient coordinates (LPS, mm), as plain C++ types so that headers stay
// free of ITK. Filters wrap it in an itk::Image without copying (see itk_volume.h).
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <utility>
#include <vector>

namespace leptoscan::io {

// Leaves new elements uninitialised: a 35-million-voxel buffer that is decoded into at once does not
// need zeroing first (that memset alone cost a fifth of a conversion).
template <typename T>
struct UninitializedAllocator : std::allocator<T> {
  template <typename U>
  struct rebind {
    using other = UninitializedAllocator<U>;
  };
  UninitializedAllocator() = default;
  template <typename U>
  UninitializedAllocator(const UninitializedAllocator<U>&) {}
  template <typename U>
  void construct(U* p) noexcept {
    ::new (static_cast<void*>(p)) U;
  }
  template <typename U, typename... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};

using VoxelBuffer = std::vector<float, UninitializedAllocator<float>>;

struct VolumeGeometry {
  std::array<std::size_t, 3> size{0, 0, 0};   // columns, rows, slices
  std::array<double, 3> spacing_mm{1, 1, 1};  // along each index axis
  std::array<double, 3> origin_mm{0, 0, 0};   // LPS position of the centre of voxel (0,0,0)
  std::array<double, 9> direction{1, 0, 0, 0, 1,
                                  0, 0, 0, 1};  // row-major; column k = LPS unit vector of axis k

  std::size_t VoxelCount() const { return size[0] * size[1] * size[2]; }
  double VoxelVolumeMm3() const { return spacing_mm[0] * spacing_mm[1] * spacing_mm[2]; }
  // Buffer positions between neighbouring voxels along index axis 0, 1 or 2.
  std::size_t Stride(unsigned axis) const { return axis == 0 ? 1 : axis == 1 ? size[0] : size[0] * size[1]; }
  // The (i, j, k) of a voxel given by its position in the buffer (i fastest, then j, then k).
  std::array<std::size_t, 3> VoxelIndex(std::size_t voxel) const {
    return {voxel % size[0], voxel / size[0] % size[1], voxel / (size[0] * size[1])};
  }
  // LPS position (mm) of the centre of voxel (i, j, k); fractional indices are allowed.
  std::array<double, 3> IndexToPoint(double i, double j, double k) const;
  // LPS position (mm) of the centre of the voxel at this position in the buffer.
  std::array<double, 3> VoxelCentre(std::size_t voxel) const {
    const auto index = VoxelIndex(voxel);
    return IndexToPoint(index[0], index[1], index[2]);
  }
  // Continuous index of an LPS point; the direction matrix is orthonormal, so its inverse is its transpose.
  std::array<double, 3> PointToIndex(const std::array<double, 3>& point) const;
};

struct Volume {
  VolumeGeometry geometry;
  VoxelBuffer voxels;           // index i fastest, then j, then k
  bool integer_valued = false;  // every voxel is a whole number (stored integers, identity rescale)
};

// Trilinear value at a continuous index (i, j, k), clamped to the grid; an axis of one voxel is constant.
double InterpolateLinear(const Volume& volume, const std::array<double, 3>& index);

}  // namespace leptoscan::io
