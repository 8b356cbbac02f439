#include "filters/rigid_registration.h"

#include <fmt/format.h>
#include <itkAffineTransform.h>
#include <itkCenteredTransformInitializer.h>
#include <itkCommand.h>
#include <itkImageRegistrationMethodv4.h>
#include <itkLinearInterpolateImageFunction.h>
#include <itkMattesMutualInformationImageToImageMetricv4.h>
#include <itkNearestNeighborInterpolateImageFunction.h>
#include <itkRegistrationParameterScalesFromPhysicalShift.h>
#include <itkRegularStepGradientDescentOptimizerv4.h>
#include <itkResampleImageFilter.h>
#include <itkTransformFileReader.h>
#include <itkTransformFileWriter.h>
#include <itkTxtTransformIOFactory.h>
#include <itkVersorRigid3DTransform.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "filters/input_checks.h"
#include "io/atomic_file.h"
#include "io/errors.h"
#include "io/itk_volume.h"

namespace leptoscan::filters {
namespace {

using io::FloatImage;
using RigidTransform = itk::VersorRigid3DTransform<double>;
using AffineTransform = itk::AffineTransform<double, 3>;
using MatrixOffset = itk::MatrixOffsetTransformBase<double, 3, 3>;
using Which = RegistrationInputError::Image;

void CheckVolume(const io::Volume& volume, Which which) {
  const std::string problem = ProblemFor3D(volume);
  if (!problem.empty()) {
    throw RegistrationInputError(which, std::string(which == Which::kFixed ? "fixed" : "moving") + " image " +
                                            problem + "; cannot register");
  }
}

// World-space (LPS) bounding box of a volume's voxels, edges included.
std::pair<std::array<double, 3>, std::array<double, 3>> WorldBounds(const io::VolumeGeometry& g) {
  std::array<double, 3> lo, hi;
  lo.fill(std::numeric_limits<double>::max());
  hi.fill(std::numeric_limits<double>::lowest());
  for (int corner = 0; corner < 8; ++corner) {
    const auto p =
        g.IndexToPoint((corner & 1) ? g.size[0] - 0.5 : -0.5, (corner & 2) ? g.size[1] - 0.5 : -0.5,
                       (corner & 4) ? g.size[2] - 0.5 : -0.5);
    for (int a = 0; a < 3; ++a) {
      lo[a] = std::min(lo[a], p[a]);
      hi[a] = std::max(hi[a], p[a]);
    }
  }
  return {lo, hi};
}

// Scans of one head share scanner coordinates, so disjoint boxes mean the wrong pair of files; the
// centre-of-mass initialisation would otherwise "align" them silently.
void CheckOverlap(const io::Volume& fixed, const io::Volume& moving) {
  const auto [flo, fhi] = WorldBounds(fixed.geometry);
  const auto [mlo, mhi] = WorldBounds(moving.geometry);
  for (int a = 0; a < 3; ++a) {
    if (fhi[a] <= mlo[a] || mhi[a] <= flo[a]) {
      throw RegistrationInputError(
          Which::kBoth,
          fmt::format(
              "fixed and moving images do not overlap in world space (LPS mm: fixed spans "
              "[{:.1f} {:.1f} {:.1f}]..[{:.1f} {:.1f} {:.1f}], moving [{:.1f} {:.1f} {:.1f}]..[{:.1f} "
              "{:.1f} {:.1f}])",
              flo[0], flo[1], flo[2], fhi[0], fhi[1], fhi[2], mlo[0], mlo[1], mlo[2], mhi[0], mhi[1],
              mhi[2]));
    }
  }
}

itk::TransformBaseTemplate<double>::Pointer ToItk(const SpatialTransform& t) {
  MatrixOffset::Pointer transform;
  if (t.kind == TransformKind::kRigid) {
    transform = RigidTransform::New();
  } else {
    transform = AffineTransform::New();
  }
  MatrixOffset::FixedParametersType center(3);
  std::copy(t.center.begin(), t.center.end(), center.begin());
  transform->SetFixedParameters(center);
  MatrixOffset::ParametersType parameters(t.parameters.size());
  std::copy(t.parameters.begin(), t.parameters.end(), parameters.begin());
  transform->SetParameters(parameters);
  return transform;
}

SpatialTransform FromItk(const MatrixOffset& transform, TransformKind kind) {
  SpatialTransform t;
  t.kind = kind;
  const auto& parameters = transform.GetParameters();
  t.parameters.assign(parameters.begin(), parameters.end());
  const auto& center = transform.GetFixedParameters();
  std::copy(center.begin(), center.end(), t.center.begin());
  return t;
}

// ITK's Mattes MI adds the work units' histogram derivatives into one sum under a lock, in the order
// they finish, so the last bits vary from run to run; one work unit keeps registration deterministic.
class DeterministicMattes : public itk::MattesMutualInformationImageToImageMetricv4<FloatImage, FloatImage> {
 public:
  ITK_DISALLOW_COPY_AND_MOVE(DeterministicMattes);
  using Self = DeterministicMattes;
  using Superclass = itk::MattesMutualInformationImageToImageMetricv4<FloatImage, FloatImage>;
  using Pointer = itk::SmartPointer<Self>;
  using ConstPointer = itk::SmartPointer<const Self>;
  itkNewMacro(Self);

 protected:
  DeterministicMattes() {
    this->m_SparseGetValueAndDerivativeThreader->SetNumberOfWorkUnits(1);
    this->m_DenseGetValueAndDerivativeThreader->SetNumberOfWorkUnits(1);
  }
  ~DeterministicMattes() override = default;
};

struct StageOutcome {
  double metric;
  unsigned iterations;
  bool converged;
  std::string stop_condition;
  double overlap;
};

// One multi-resolution optimisation of `transform` (updated in place) with Mattes MI.
template <typename Transform>
StageOutcome RunStage(const FloatImage* fixed, const FloatImage* moving, Transform* transform,
                      const RegistrationOptions& options) {
  using Metric = DeterministicMattes;
  using Optimizer = itk::RegularStepGradientDescentOptimizerv4<double>;
  using Method = itk::ImageRegistrationMethodv4<FloatImage, FloatImage, Transform>;

  auto metric = Metric::New();
  metric->SetNumberOfHistogramBins(options.histogram_bins);
  // Gradients at the sample points only: with sparse sampling that is cheaper than gradient images.
  metric->SetUseMovingImageGradientFilter(false);
  metric->SetUseFixedImageGradientFilter(false);

  auto scales = itk::RegistrationParameterScalesFromPhysicalShift<Metric>::New();
  scales->SetMetric(metric);
  auto optimizer = Optimizer::New();
  optimizer->SetScalesEstimator(scales);
  optimizer->SetLearningRate(options.initial_step_mm);
  optimizer->SetMinimumStepLength(options.minimum_step_mm);
  optimizer->SetRelaxationFactor(options.relaxation_factor);
  optimizer->SetGradientMagnitudeTolerance(1e-8);
  optimizer->SetNumberOfIterations(options.max_iterations_per_level);
  optimizer->SetReturnBestParametersAndValue(false);

  unsigned iterations = 0;
  auto counter = itk::CStyleCommand::New();
  counter->SetClientData(&iterations);
  counter->SetCallback(
      [](itk::Object*, const itk::EventObject&, void* count) { ++*static_cast<unsigned*>(count); });
  optimizer->AddObserver(itk::IterationEvent(), counter);

  const std::size_t levels = options.shrink_factors.size();
  typename Method::ShrinkFactorsArrayType shrink(levels);
  typename Method::SmoothingSigmasArrayType sigmas(levels);
  typename Method::MetricSamplingPercentageArrayType sampling(levels);
  const double voxels = fixed->GetLargestPossibleRegion().GetNumberOfPixels();
  for (std::size_t level = 0; level < levels; ++level) {
    shrink[level] = options.shrink_factors[level];
    sigmas[level] = options.smoothing_sigmas_mm[level];
    const double level_voxels = voxels / std::pow(options.shrink_factors[level], 3);
    sampling[level] = std::min(1.0, options.samples_per_level / level_voxels);
  }

  auto method = Method::New();
  method->SetFixedImage(fixed);
  method->SetMovingImage(moving);
  method->SetMetric(metric);
  method->SetOptimizer(optimizer);
  method->SetInitialTransform(transform);
  method->InPlaceOn();
  method->SetNumberOfLevels(levels);
  method->SetShrinkFactorsPerLevel(shrink);
  method->SetSmoothingSigmasPerLevel(sigmas);
  method->SetSmoothingSigmasAreSpecifiedInPhysicalUnits(true);
  method->SetMetricSamplingStrategy(Method::MetricSamplingStrategyEnum::REGULAR);
  method->SetMetricSamplingPercentagePerLevel(sampling);
  method->MetricSamplingReinitializeSeed(static_cast<int>(options.random_seed));
  try {
    method->Update();
  } catch (const itk::ExceptionObject& e) {
    // Mattes MI gives up when too few samples land in the moving image: the images hardly overlap.
    throw RegistrationInputError(
        Which::kBoth,
        fmt::format("fixed and moving images do not overlap enough to register ({})", e.GetDescription()));
  }
  const auto stop = optimizer->GetStopCondition();
  using Stop = itk::StopConditionObjectToObjectOptimizerEnum;
  return {optimizer->GetValue(), iterations,
          stop == Stop::STEP_TOO_SMALL || stop == Stop::GRADIENT_MAGNITUDE_TOLEARANCE,
          optimizer->GetStopConditionDescription(),
          static_cast<double>(metric->GetNumberOfValidPoints()) /
              std::max<itk::SizeValueType>(1, metric->GetNumberOfDomainPoints())};
}

void RegisterTransformIO() {
  static const bool registered = [] {
    itk::TxtTransformIOFactory::RegisterOneFactory();
    return true;
  }();
  (void)registered;
}

}  // namespace

SpatialTransform SpatialTransform::Identity(TransformKind kind, const std::array<double, 3>& center) {
  SpatialTransform t;
  t.kind = kind;
  t.center = center;
  if (kind == TransformKind::kRigid) {
    t.parameters.assign(6, 0.0);
  } else {
    t.parameters = {1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0};
  }
  return t;
}

std::array<double, 3> SpatialTransform::TransformPoint(const std::array<double, 3>& point) const {
  const auto m = Matrix();
  const auto o = Offset();
  std::array<double, 3> out;
  for (int r = 0; r < 3; ++r)
    out[r] = m[r * 3] * point[0] + m[r * 3 + 1] * point[1] + m[r * 3 + 2] * point[2] + o[r];
  return out;
}

std::array<double, 9> SpatialTransform::Matrix() const {
  const auto transform = ToItk(*this);
  const auto& matrix = static_cast<const MatrixOffset&>(*transform).GetMatrix();
  std::array<double, 9> m;
  for (int r = 0; r < 3; ++r) {
    for (int c = 0; c < 3; ++c)
      m[r * 3 + c] = matrix(r, c);
  }
  return m;
}

std::array<double, 3> SpatialTransform::Offset() const {
  const auto transform = ToItk(*this);
  const auto& offset = static_cast<const MatrixOffset&>(*transform).GetOffset();
  return {offset[0], offset[1], offset[2]};
}

RegistrationNotConverged::RegistrationNotConverged(RegistrationResult result)
    : std::runtime_error(fmt::format("registration did not converge after {} iterations (final Mattes MI "
                                     "{:.4f}, {:.0f}% of samples inside "
                                     "the moving image): {}",
                                     result.iterations, result.final_metric, 100 * result.overlap,
                                     result.stop_condition)),
      result_(std::move(result)) {}

RegistrationResult Register(const io::Volume& fixed_volume, const io::Volume& moving_volume,
                            const RegistrationOptions& options) {
  if (options.shrink_factors.empty() || options.shrink_factors.size() != options.smoothing_sigmas_mm.size())
    throw std::invalid_argument("registration options: need one smoothing sigma per shrink factor");
  CheckVolume(fixed_volume, Which::kFixed);
  CheckVolume(moving_volume, Which::kMoving);
  CheckOverlap(fixed_volume, moving_volume);
  const auto fixed = io::ViewAsItk(fixed_volume);
  const auto moving = io::ViewAsItk(moving_volume);

  auto rigid = RigidTransform::New();
  auto initializer = itk::CenteredTransformInitializer<RigidTransform, FloatImage, FloatImage>::New();
  initializer->SetTransform(rigid);
  initializer->SetFixedImage(fixed);
  initializer->SetMovingImage(moving);
  if (options.align_centers_of_mass) {
    initializer->MomentsOn();
  } else {
    initializer->GeometryOn();
  }
  initializer->InitializeTransform();

  StageOutcome outcome = RunStage(fixed.GetPointer(), moving.GetPointer(), rigid.GetPointer(), options);
  RegistrationResult result;
  result.transform = FromItk(*rigid, TransformKind::kRigid);
  unsigned iterations = outcome.iterations;
  if (options.kind == TransformKind::kAffine) {
    // Starting the affine stage from the rigid solution keeps the 12-parameter search well conditioned.
    auto affine = AffineTransform::New();
    affine->SetCenter(rigid->GetCenter());
    affine->SetMatrix(rigid->GetMatrix());
    affine->SetTranslation(rigid->GetTranslation());
    outcome = RunStage(fixed.GetPointer(), moving.GetPointer(), affine.GetPointer(), options);
    result.transform = FromItk(*affine, TransformKind::kAffine);
    iterations += outcome.iterations;
  }
  result.final_metric = outcome.metric;
  result.iterations = iterations;
  result.converged = outcome.converged;
  result.stop_condition = outcome.stop_condition;
  result.overlap = outcome.overlap;
  if (!result.converged) throw RegistrationNotConverged(result);
  return result;
}

io::Volume ResampleOnto(const io::Volume& moving, const io::VolumeGeometry& fixed_grid,
                        const SpatialTransform& transform, float outside_value, Interpolation interpolation) {
  using Resampler = itk::ResampleImageFilter<FloatImage, FloatImage, double>;
  auto resampler = Resampler::New();
  if (interpolation == Interpolation::kNearest)
    resampler->SetInterpolator(itk::NearestNeighborInterpolateImageFunction<FloatImage, double>::New());
  resampler->SetInput(io::ViewAsItk(moving));
  auto itk_transform = ToItk(transform);
  resampler->SetTransform(static_cast<const MatrixOffset*>(itk_transform.GetPointer()));
  auto reference = FloatImage::New();
  io::SetItkGeometry(fixed_grid, *reference);
  resampler->SetOutputParametersFromImage(reference);
  resampler->SetDefaultPixelValue(outside_value);
  resampler->Update();

  io::Volume out;
  out.geometry = fixed_grid;
  const FloatImage* image = resampler->GetOutput();
  out.voxels.assign(image->GetBufferPointer(), image->GetBufferPointer() + fixed_grid.VoxelCount());
  return out;
}

void WriteTransformFile(const SpatialTransform& transform, const std::filesystem::path& path) {
  RegisterTransformIO();
  io::AtomicFile file(path);
  auto writer = itk::TransformFileWriterTemplate<double>::New();
  writer->SetFileName(file.temporary().string());
  writer->SetInput(ToItk(transform));
  try {
    writer->Update();
  } catch (const itk::ExceptionObject& e) {
    throw io::InputError(path, std::string("cannot write the transform: ") + e.GetDescription());
  }
  file.Commit();
}

SpatialTransform ReadTransformFile(const std::filesystem::path& path) {
  RegisterTransformIO();
  auto reader = itk::TransformFileReaderTemplate<double>::New();
  reader->SetFileName(path.string());
  try {
    reader->Update();
  } catch (const itk::ExceptionObject& e) {
    throw io::InputError(path, std::string("not a readable ITK transform file: ") + e.GetDescription());
  }
  const auto* list = reader->GetTransformList();
  if (list->size() != 1)
    throw io::InputError(path, fmt::format("holds {} transforms; expected one", list->size()));
  const auto* transform = list->front().GetPointer();
  if (const auto* rigid = dynamic_cast<const RigidTransform*>(transform))
    return FromItk(*rigid, TransformKind::kRigid);
  if (const auto* affine = dynamic_cast<const AffineTransform*>(transform))
    return FromItk(*affine, TransformKind::kAffine);
  throw io::InputError(path, std::string("holds a ") + transform->GetNameOfClass() +
                                 "; expected a VersorRigid3DTransform or an AffineTransform");
}

}  // namespace leptoscan::filters
