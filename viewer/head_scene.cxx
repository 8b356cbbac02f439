// The 3-D view shared by 3-D snapshots and the review window: surfaces extracted in voxel-index coordinates
// (as the slices sample the volumes) and placed in LPS mm by each actor's matrix, so that the direction
// matrix and spacing of any scan are honoured without resampling.
#include <vtkActor.h>
#include <vtkCamera.h>
#include <vtkDiscreteFlyingEdges3D.h>
#include <vtkFlyingEdges3D.h>
#include <vtkImageGaussianSmooth.h>
#include <vtkImageShrink3D.h>
#include <vtkMatrix4x4.h>
#include <vtkPointData.h>
#include <vtkPolyDataMapper.h>
#include <vtkPolyDataNormals.h>
#include <vtkProperty.h>
#include <vtkRenderer.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <vector>

#include "viewer/slice_image.h"

namespace leptoscan::viewer {
namespace {

using Point = std::array<double, 3>;

// Surfaces of the head this many voxels across at most: a 1 mm head has millions of triangles, and a
// translucent outline needs none of that detail.
constexpr int kHeadSurfaceVoxels = 128;
constexpr double kHeadOpacity = 0.2;

// Voxel index -> LPS mm: origin + direction * diag(spacing) * index.
Ptr<vtkMatrix4x4> IndexToWorld(const io::VolumeGeometry& g) {
  auto matrix = Ptr<vtkMatrix4x4>::New();
  for (int row = 0; row < 3; ++row) {
    for (int axis = 0; axis < 3; ++axis)
      matrix->SetElement(row, axis, g.direction[3 * row + axis] * g.spacing_mm[axis]);
    matrix->SetElement(row, 3, g.origin_mm[row]);
  }
  return matrix;
}

void AddSurface(vtkRenderer* renderer, vtkAlgorithm* surface, vtkMatrix4x4* index_to_world,
                const std::array<double, 3>& rgb, double opacity) {
  // Normals for smooth shading; consistent orientation does not matter, the lighting is two-sided.
  auto normals = Ptr<vtkPolyDataNormals>::New();
  normals->SetInputConnection(surface->GetOutputPort());
  normals->SplittingOff();
  auto mapper = Ptr<vtkPolyDataMapper>::New();
  mapper->SetInputConnection(normals->GetOutputPort());
  mapper->ScalarVisibilityOff();
  auto actor = Ptr<vtkActor>::New();
  actor->SetMapper(mapper);
  actor->SetUserMatrix(index_to_world);
  vtkProperty& property = *actor->GetProperty();
  property.SetColor(rgb[0], rgb[1], rgb[2]);
  property.SetOpacity(opacity);
  property.SetAmbient(0.3);
  property.SetDiffuse(0.7);
  property.SetSpecular(0);  // white highlights would hide the pattern colours
  renderer->AddActor(actor);
}

// Marks (0) the voxels of `out` reachable from the grid's faces through voxels of `values` darker than
// `threshold`; with `in_slices` set to an axis, only within each slice across it (from the slice's edges).
void MarkOutside(vtkDataArray& values, const int dims[3], double threshold, int in_slices, float* out) {
  std::vector<vtkIdType> queue;
  const auto reach = [&](int i, int j, int k) {
    const vtkIdType at = i + dims[0] * (j + static_cast<vtkIdType>(dims[1]) * k);
    if (out[at] == 0 || values.GetComponent(at, 0) >= threshold) return;
    out[at] = 0;
    queue.push_back(at);
  };
  const auto step = [&](std::array<int, 3> index) {
    for (int a = 0; a < 3; ++a) {
      if (a == in_slices) continue;
      for (int d : {-1, 1}) {
        std::array<int, 3> next = index;
        next[a] += d;
        if (next[a] >= 0 && next[a] < dims[a]) reach(next[0], next[1], next[2]);
      }
    }
  };
  for (int k = 0; k < dims[2]; ++k) {
    for (int j = 0; j < dims[1]; ++j) {
      for (int i = 0; i < dims[0]; ++i) {
        const std::array<int, 3> index = {i, j, k};
        for (int a = 0; a < 3; ++a) {
          if (a != in_slices && (index[a] == 0 || index[a] == dims[a] - 1)) reach(i, j, k);
        }
      }
    }
  }
  while (!queue.empty()) {
    const vtkIdType at = queue.back();
    queue.pop_back();
    step({static_cast<int>(at % dims[0]), static_cast<int>(at / dims[0] % dims[1]),
          static_cast<int>(at / (static_cast<vtkIdType>(dims[0]) * dims[1]))});
  }
}

// The head as a solid: 1 inside, 0 where the grid's faces reach through voxels darker than `threshold`
// both in 3-D and within the slices across `axial_axis`. Its only surface is the scalp: the edges of brain,
// CSF and ventricles inside would each add a translucent layer and together hide the patterns. The slices
// close what 3-D misses: a neck cut by the field of view opens the skull's inside to its face.
Ptr<vtkImageData> FilledHead(vtkImageData* image, double threshold, int axial_axis) {
  int dims[3];
  image->GetDimensions(dims);
  const vtkIdType count = static_cast<vtkIdType>(dims[0]) * dims[1] * dims[2];
  vtkDataArray& values = *image->GetPointData()->GetScalars();
  std::vector<float> in_3d(count, 1.0f);
  MarkOutside(values, dims, threshold, -1, in_3d.data());
  auto filled = Ptr<vtkImageData>::New();
  filled->CopyStructure(image);
  filled->AllocateScalars(VTK_FLOAT, 1);
  auto* out = static_cast<float*>(filled->GetScalarPointer());
  std::fill(out, out + count, 1.0f);
  MarkOutside(values, dims, threshold, axial_axis, out);
  for (vtkIdType v = 0; v < count; ++v)
    out[v] = std::max(out[v], in_3d[v]);
  return filled;
}

// The index axis nearest the patient's superior-inferior axis: slices across it are axial.
int AxialAxis(const io::VolumeGeometry& g) {
  int axis = 0;
  for (int a = 1; a < 3; ++a) {
    if (std::abs(g.direction[6 + a]) > std::abs(g.direction[6 + axis])) axis = a;
  }
  return axis;
}

}  // namespace

void AddHeadScene(vtkRenderer* renderer, const io::Volume& post, const io::Volume& patterns) {
  if (patterns.geometry.size != post.geometry.size)
    throw std::invalid_argument("3-D view: the pattern labels are not on the post-contrast grid");
  const auto index_to_world = IndexToWorld(post.geometry);

  auto shrink = Ptr<vtkImageShrink3D>::New();
  shrink->SetInputData(IndexImage(post));
  int factors[3];
  for (int a = 0; a < 3; ++a)
    factors[a] =
        std::max<int>(1, static_cast<int>(std::ceil(post.geometry.size[a] / double(kHeadSurfaceVoxels))));
  shrink->SetShrinkFactors(factors);
  shrink->AveragingOn();
  shrink->Update();
  const double sum = std::accumulate(post.voxels.begin(), post.voxels.end(), 0.0);
  const double mean = post.voxels.empty() ? 0 : sum / static_cast<double>(post.voxels.size());
  // The filled head, blurred a little so that its surface is smooth rather than voxel steps.
  auto blur = Ptr<vtkImageGaussianSmooth>::New();
  blur->SetInputData(FilledHead(shrink->GetOutput(), mean, AxialAxis(post.geometry)));
  blur->SetStandardDeviations(1, 1, 1);
  auto head = Ptr<vtkFlyingEdges3D>::New();
  head->SetInputConnection(blur->GetOutputPort());
  head->SetValue(0, 0.5);
  AddSurface(renderer, head, index_to_world, {0.9, 0.9, 0.9}, kHeadOpacity);

  const auto labels = IndexImage(patterns);
  for (const pipeline::PatternColour& pattern : pipeline::PatternColours()) {
    if (std::find(patterns.voxels.begin(), patterns.voxels.end(), static_cast<float>(pattern.label)) ==
        patterns.voxels.end())
      continue;
    auto surface = Ptr<vtkDiscreteFlyingEdges3D>::New();
    surface->SetInputData(labels);
    surface->SetValue(0, pattern.label);
    AddSurface(renderer, surface, index_to_world,
               {pattern.rgb[0] / 255.0, pattern.rgb[1] / 255.0, pattern.rgb[2] / 255.0}, 1.0);
  }
}

void AimCamera(vtkRenderer* renderer, const Point& point_mm, const Point& head_centre) {
  Point out = {point_mm[0] - head_centre[0], point_mm[1] - head_centre[1], point_mm[2] - head_centre[2]};
  double length = std::hypot(out[0], out[1], out[2]);
  if (length < 5) {
    out = {0, -1, 0};  // LPS: anterior, the patient facing the viewer
    length = 1;
  }
  for (double& c : out)
    c /= length;
  vtkCamera& camera = *renderer->GetActiveCamera();
  camera.SetFocalPoint(point_mm.data());
  camera.SetPosition(point_mm[0] + out[0], point_mm[1] + out[1], point_mm[2] + out[2]);
  camera.SetViewUp(std::abs(out[2]) > 0.9 ? Point{0, -1, 0}.data() : Point{0, 0, 1}.data());
  camera.OrthogonalizeViewUp();
  // Far enough that the half-height of the view at the point is the scene's widest reach from the point along
  // an axis (with a margin): the head fills the view when the point is its centre, and stays in it otherwise.
  double bounds[6];
  renderer->ComputeVisiblePropBounds(bounds);
  double reach = 1;
  for (int a = 0; a < 3; ++a)
    reach = std::max({reach, point_mm[a] - bounds[2 * a], bounds[2 * a + 1] - point_mm[a]});
  const double distance = 1.1 * reach / std::tan(camera.GetViewAngle() / 2 * M_PI / 180);
  camera.SetPosition(point_mm[0] + out[0] * distance, point_mm[1] + out[1] * distance,
                     point_mm[2] + out[2] * distance);
  renderer->ResetCameraClippingRange();
}

}  // namespace leptoscan::viewer
