#include "filters/binary_masks.h"

#include <itkBinaryFillholeImageFilter.h>
#include <itkConnectedComponentImageFilter.h>
#include <itkSliceBySliceImageFilter.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "filters/input_checks.h"
#include "io/itk_volume.h"

namespace leptoscan::filters {
namespace {

using MaskImage = itk::Image<unsigned char, 3>;
using ComponentImage = itk::Image<unsigned, 3>;

MaskImage::Pointer ToItkMask(const io::Volume& mask) {
  auto image = MaskImage::New();
  io::SetItkGeometry(mask.geometry, *image);
  image->Allocate();
  unsigned char* out = image->GetBufferPointer();
  for (std::size_t i = 0; i < mask.voxels.size(); ++i)
    out[i] = mask.voxels[i] > 0;
  return image;
}

io::Volume EmptyLike(const io::Volume& like) {
  io::Volume out;
  out.geometry = like.geometry;
  out.voxels.assign(like.voxels.size(), 0.0f);
  out.integer_valued = true;
  return out;
}

// A filter's 0/1 output image as a mask on the grid of `like`.
io::Volume FromItkMask(const MaskImage& image, const io::Volume& like) {
  io::Volume out = EmptyLike(like);
  const unsigned char* in = image.GetBufferPointer();
  for (std::size_t i = 0; i < out.voxels.size(); ++i)
    out.voxels[i] = in[i];
  return out;
}

// Component labels 1..count (0 is background), fully connected so that diagonal bridges join.
ComponentImage::Pointer Components(const io::Volume& mask, unsigned* count) {
  auto components = itk::ConnectedComponentImageFilter<MaskImage, ComponentImage>::New();
  components->SetInput(ToItkMask(mask));
  components->SetFullyConnected(true);
  components->Update();
  *count = static_cast<unsigned>(components->GetObjectCount());
  return components->GetOutput();
}

io::Volume KeepLabels(const ComponentImage& components, const std::vector<bool>& keep,
                      const io::Volume& like) {
  io::Volume out = EmptyLike(like);
  const unsigned* label = components.GetBufferPointer();
  for (std::size_t i = 0; i < out.voxels.size(); ++i)
    out.voxels[i] = keep[label[i]] ? 1.0f : 0.0f;
  return out;
}

}  // namespace

std::vector<unsigned> LabelComponents(const io::Volume& mask, unsigned* count) {
  const auto components = Components(mask, count);
  const unsigned* label = components->GetBufferPointer();
  return std::vector<unsigned>(label, label + mask.voxels.size());
}

std::vector<std::size_t> ComponentSizes(const std::vector<unsigned>& component, unsigned count) {
  std::vector<std::size_t> sizes(count + 1, 0);
  for (unsigned c : component)
    ++sizes[c];
  sizes[0] = 0;
  return sizes;
}

io::Volume LargestComponent(const io::Volume& mask) {
  unsigned count = 0;
  const auto components = Components(mask, &count);
  std::vector<std::size_t> sizes(count + 1, 0);
  const unsigned* label = components->GetBufferPointer();
  for (std::size_t i = 0; i < mask.voxels.size(); ++i)
    ++sizes[label[i]];
  std::vector<bool> keep(count + 1, false);
  std::size_t best = 0;
  for (unsigned l = 1; l <= count; ++l) {
    if (sizes[l] > sizes[best] || best == 0) best = l;
  }
  if (best > 0) keep[best] = true;
  return KeepLabels(*components, keep, mask);
}

io::Volume ComponentsTouching(const io::Volume& mask, const io::Volume& seeds) {
  if (!SameGrid(mask.geometry, seeds.geometry))
    throw std::invalid_argument("connected components: the seeds are not on the mask's grid");
  unsigned count = 0;
  const auto components = Components(mask, &count);
  std::vector<bool> keep(count + 1, false);
  const unsigned* label = components->GetBufferPointer();
  for (std::size_t i = 0; i < mask.voxels.size(); ++i) {
    if (seeds.voxels[i] > 0 && label[i] > 0) keep[label[i]] = true;
  }
  return KeepLabels(*components, keep, mask);
}

io::Volume FillHoles(const io::Volume& mask) {
  auto fill = itk::BinaryFillholeImageFilter<MaskImage>::New();
  fill->SetInput(ToItkMask(mask));
  fill->SetForegroundValue(1);
  fill->SetFullyConnected(false);
  fill->Update();
  return FromItkMask(*fill->GetOutput(), mask);
}

io::Volume FillHolesInSlices(const io::Volume& mask, unsigned axis) {
  using SliceFill = itk::BinaryFillholeImageFilter<itk::Image<unsigned char, 2>>;
  auto fill = SliceFill::New();
  fill->SetForegroundValue(1);
  fill->SetFullyConnected(false);
  auto slices = itk::SliceBySliceImageFilter<MaskImage, MaskImage, SliceFill>::New();
  slices->SetFilter(fill);
  slices->SetDimension(axis);
  slices->SetInput(ToItkMask(mask));
  slices->Update();
  return FromItkMask(*slices->GetOutput(), mask);
}

io::VolumeGeometry VoxelBox::Geometry(const io::VolumeGeometry& grid) const {
  io::VolumeGeometry box = grid;
  box.size = {hi[0] - lo[0] + 1, hi[1] - lo[1] + 1, hi[2] - lo[2] + 1};
  box.origin_mm = grid.IndexToPoint(lo[0], lo[1], lo[2]);
  return box;
}

std::size_t VoxelBox::GridVoxel(const io::VolumeGeometry& grid, std::size_t box_voxel) const {
  const std::size_t nx = hi[0] - lo[0] + 1, ny = hi[1] - lo[1] + 1;
  const std::size_t i = box_voxel % nx, j = box_voxel / nx % ny, k = box_voxel / (nx * ny);
  return ((lo[2] + k) * grid.size[1] + lo[1] + j) * grid.size[0] + lo[0] + i;
}

std::size_t VoxelBox::BoxVoxel(const io::VolumeGeometry& grid, std::size_t grid_voxel) const {
  const auto index = grid.VoxelIndex(grid_voxel);
  const std::size_t nx = hi[0] - lo[0] + 1, ny = hi[1] - lo[1] + 1;
  return ((index[2] - lo[2]) * ny + index[1] - lo[1]) * nx + index[0] - lo[0];
}

namespace {

// The box of the voxels for_each(visit) visits, grown by `margin_mm` (clipped to the grid); none for none.
template <typename ForEach>
std::optional<VoxelBox> BoxOf(const io::VolumeGeometry& grid, ForEach for_each, double margin_mm) {
  VoxelBox box{{grid.size[0], grid.size[1], grid.size[2]}, {0, 0, 0}};
  bool any = false;
  for_each([&](std::size_t v) {
    any = true;
    const auto index = grid.VoxelIndex(v);
    for (int a = 0; a < 3; ++a) {
      box.lo[a] = std::min(box.lo[a], index[a]);
      box.hi[a] = std::max(box.hi[a], index[a]);
    }
  });
  if (!any) return std::nullopt;
  for (int a = 0; a < 3; ++a) {
    const auto margin = static_cast<std::size_t>(std::ceil(margin_mm / grid.spacing_mm[a]));
    box.lo[a] = box.lo[a] > margin ? box.lo[a] - margin : 0;
    box.hi[a] = std::min(grid.size[a] - 1, box.hi[a] + margin);
  }
  return box;
}

}  // namespace

std::optional<VoxelBox> VoxelsBox(const io::VolumeGeometry& grid, const std::vector<std::size_t>& voxels,
                                  double margin_mm) {
  return BoxOf(
      grid,
      [&](auto visit) {
        for (std::size_t v : voxels)
          visit(v);
      },
      margin_mm);
}

std::optional<VoxelBox> MaskBox(const io::Volume& mask, double margin_mm) {
  return BoxOf(
      mask.geometry,
      [&](auto visit) {
        for (std::size_t v = 0; v < mask.voxels.size(); ++v)
          if (mask.voxels[v] > 0) visit(v);
      },
      margin_mm);
}

io::Volume Crop(const io::Volume& volume, const VoxelBox& box) {
  io::Volume part;
  part.geometry = box.Geometry(volume.geometry);
  part.integer_valued = volume.integer_valued;
  part.voxels.resize(part.geometry.VoxelCount());
  for (std::size_t b = 0; b < part.voxels.size(); ++b)
    part.voxels[b] = volume.voxels[box.GridVoxel(volume.geometry, b)];
  return part;
}

double Dice(const io::Volume& a, const io::Volume& b) {
  if (!SameGrid(a.geometry, b.geometry)) throw std::invalid_argument("Dice: the masks are not on one grid");
  std::size_t both = 0, total = 0;
  for (std::size_t i = 0; i < a.voxels.size(); ++i) {
    const bool in_a = a.voxels[i] > 0, in_b = b.voxels[i] > 0;
    both += in_a && in_b;
    total += in_a + in_b;
  }
  return total == 0 ? 1.0 : 2.0 * both / total;
}

}  // namespace leptoscan::filters
