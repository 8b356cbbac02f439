#include "filters/vesselness.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>

#include "filters/input_checks.h"

namespace leptoscan::filters {
namespace {

using Vector = std::array<double, 3>;

// A tube measure below this is not worth the side checks (the threshold of use is 0.1).
constexpr float kCandidate = 0.02f;

// Sampled Gaussian derivative kernels of one scale along each index axis, in mm and multiplied by
// sigma^order, so that the Hessian they give is sigma^2 H and compares across scales.
struct Kernels {
  double sigma_mm = 0;
  std::array<std::array<std::vector<float>, 3>, 3> taps;  // [axis][order][tap], tap radius = size / 2
  std::size_t Radius(int axis) const { return taps[axis][0].size() / 2; }
};

Kernels GaussianDerivatives(double sigma_mm, const std::array<double, 3>& spacing_mm) {
  Kernels k;
  k.sigma_mm = sigma_mm;
  for (int a = 0; a < 3; ++a) {
    const double s = sigma_mm / spacing_mm[a];
    const int radius = std::max(1, static_cast<int>(std::ceil(3 * s)));
    std::vector<double> g0, g1, g2;
    for (int t = -radius; t <= radius; ++t) {
      const double e = std::exp(-0.5 * t * t / (s * s));
      g0.push_back(e), g1.push_back(t * e), g2.push_back((t * t / (s * s) - 1) * e);
    }
    // Moments set exactly, so that truncation and sampling at small sigma bias no derivative:
    // sum g0 = 1, sum t g1 = 1, sum g2 = 0 and sum t^2/2 g2 = 1.
    double m0 = 0, m1 = 0, mean2 = 0, m2 = 0;
    for (int t = -radius; t <= radius; ++t)
      m0 += g0[t + radius], m1 += t * g1[t + radius], mean2 += g2[t + radius] / (2 * radius + 1);
    for (int t = -radius; t <= radius; ++t)
      m2 += 0.5 * t * t * (g2[t + radius] - mean2);
    for (std::size_t t = 0; t < g0.size(); ++t) {
      k.taps[a][0].push_back(static_cast<float>(g0[t] / m0));
      k.taps[a][1].push_back(static_cast<float>(g1[t] / m1 * s));
      k.taps[a][2].push_back(static_cast<float>((g2[t] - mean2) / m2 * s * s));
    }
  }
  return k;
}

// Eigenvalues of the symmetric matrix (xx, xy, xz, yy, yz, zz) in closed form (the trigonometric solution
// of its characteristic cubic, in float: it runs for every voxel at every scale), sorted by magnitude:
// |l[0]| <= |l[1]| <= |l[2]|.
Vector EigenvaluesByMagnitude(const float* h) {
  const float xx = h[0], xy = h[1], xz = h[2], yy = h[3], yz = h[4], zz = h[5];
  const float q = (xx + yy + zz) / 3;
  const float p2 =
      (xx - q) * (xx - q) + (yy - q) * (yy - q) + (zz - q) * (zz - q) + 2 * (xy * xy + xz * xz + yz * yz);
  float l[3] = {q, q, q};
  if (p2 > 1e-20f) {
    const float p = std::sqrt(p2 / 6);
    const float a = (xx - q) / p, b = (yy - q) / p, c = (zz - q) / p, d = xy / p, e = xz / p, f = yz / p;
    const float half_det = (a * (b * c - f * f) - d * (d * c - f * e) + e * (d * f - b * e)) / 2;
    const float phi = std::acos(std::clamp(half_det, -1.0f, 1.0f)) / 3;
    l[0] = q + 2 * p * std::cos(phi);
    l[2] = q + 2 * p * std::cos(phi + static_cast<float>(2 * M_PI / 3));
    l[1] = 3 * q - l[0] - l[2];
  }
  std::sort(l, l + 3, [](float x, float y) { return std::abs(x) < std::abs(y); });
  return {l[0], l[1], l[2]};
}

Vector Cross(const Vector& a, const Vector& b) {
  return {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
}

Vector Unit(Vector v) {
  const double norm = std::sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
  if (norm > 0)
    for (double& c : v)
      c /= norm;
  return v;
}

// Unit eigenvector of eigenvalue l, which is well apart from the other two (a tube's axis): the longest
// cross product of two rows of H - l I.
Vector Eigenvector(const float* h, double l) {
  const Vector rows[3] = {{h[0] - l, h[1], h[2]}, {h[1], h[3] - l, h[4]}, {h[2], h[4], h[5] - l}};
  Vector best{0, 0, 1};
  double longest = 0;
  for (int a = 0; a < 3; ++a) {
    const Vector c = Cross(rows[a], rows[(a + 1) % 3]);
    const double norm = c[0] * c[0] + c[1] * c[1] + c[2] * c[2];
    if (norm > longest) longest = norm, best = c;
  }
  return Unit(best);
}

struct Shapes {
  float tube = 0, sheet = 0, blob = 0;
};

// Frangi's measures of bright shapes from the eigenvalues (by magnitude): tube (l1 ~ 0, l2 ~ l3 < 0),
// sheet (l1 ~ l2 ~ 0, l3 < 0) and blob (l1 ~ l2 ~ l3 < 0), each times the structureness.
Shapes FrangiShapes(const Vector& l, const VesselnessOptions& o) {
  Shapes s;
  if (l[2] >= 0) return s;  // no bright shape curves upward most strongly
  const double a1 = std::abs(l[0]), a2 = std::abs(l[1]), a3 = std::abs(l[2]);
  const double structure = 1 - std::exp(-(a1 * a1 + a2 * a2 + a3 * a3) / (2 * o.gamma * o.gamma));
  const double ra = a2 / a3;                                 // 0 for a sheet, 1 for a tube or a blob
  const double rsheet = (2 * a3 - a2 - a1) / a3;             // 2 for a sheet, 0 for a blob
  const double rb = l[1] < 0 ? a1 / std::sqrt(a2 * a3) : 0;  // 0 for a tube, 1 for a blob
  const double not_sheet = 1 - std::exp(-ra * ra / (2 * o.alpha * o.alpha));
  const double not_blob = std::exp(-rb * rb / (2 * o.beta * o.beta));
  s.sheet = static_cast<float>(std::exp(-ra * ra / (2 * o.alpha * o.alpha)) *
                               (1 - std::exp(-rsheet * rsheet / (2 * o.beta * o.beta))) * structure);
  if (l[1] < 0) s.tube = static_cast<float>(not_sheet * not_blob * structure);
  if (l[0] < 0) s.blob = static_cast<float>(not_sheet * (1 - not_blob) * structure);
  return s;
}

// Index box [lo, hi) of the voxels computed: the mask's bounding box, or the whole grid.
struct Bounds {
  std::array<std::size_t, 3> lo{0, 0, 0}, hi{0, 0, 0};
};

Bounds MaskBounds(const io::VolumeGeometry& g, const io::Volume* mask) {
  Bounds b;
  if (!mask) {
    b.hi = g.size;
    return b;
  }
  b.lo = g.size;
  std::size_t index = 0;
  for (std::size_t k = 0; k < g.size[2]; ++k) {
    for (std::size_t j = 0; j < g.size[1]; ++j) {
      for (std::size_t i = 0; i < g.size[0]; ++i, ++index) {
        if (mask->voxels[index] <= 0) continue;
        const std::size_t at[3] = {i, j, k};
        for (int a = 0; a < 3; ++a)
          b.lo[a] = std::min(b.lo[a], at[a]), b.hi[a] = std::max(b.hi[a], at[a] + 1);
      }
    }
  }
  if (b.hi[0] == 0) throw std::invalid_argument("vesselness: the mask is empty");
  return b;
}

long Clamp(long v, std::size_t size) {
  return std::clamp<long>(v, 0, static_cast<long>(size) - 1);
}

// The six Hessian elements xx, xy, xz, yy, yz, zz over one plane of the bounds, by separable filtering:
// z-derivatives of orders 0-2 over the rows and columns the later kernels read, then the six y-derivative
// combinations the Hessian needs, then x along each row. Edges are clamped (zero flux).
class PlaneHessian {
 public:
  PlaneHessian(const io::Volume& image, const Bounds& bounds) : image_(image), b_(bounds) {}

  void Compute(std::size_t k, const Kernels& kernels) {
    const auto& n = image_.geometry.size;
    const std::size_t rx = kernels.Radius(0), ry = kernels.Radius(1), rz = kernels.Radius(2);
    i0_ = b_.lo[0] > rx ? b_.lo[0] - rx : 0;
    j0_ = b_.lo[1] > ry ? b_.lo[1] - ry : 0;
    width_ = std::min(n[0], b_.hi[0] + rx) - i0_;
    const std::size_t z_rows = std::min(n[1], b_.hi[1] + ry) - j0_, rows = b_.hi[1] - b_.lo[1];
    for (auto& buffer : z_)
      buffer.assign(width_ * z_rows, 0.0f);
    for (std::size_t t = 0; t < 2 * rz + 1; ++t) {
      const std::size_t kk = Clamp(static_cast<long>(k + t) - static_cast<long>(rz), n[2]);
      const float w[3] = {kernels.taps[2][0][t], kernels.taps[2][1][t], kernels.taps[2][2][t]};
      for (std::size_t j = 0; j < z_rows; ++j) {
        const float* in = image_.voxels.data() + (kk * n[1] + j + j0_) * n[0] + i0_;
        float* out[3] = {z_[0].data() + j * width_, z_[1].data() + j * width_, z_[2].data() + j * width_};
        for (std::size_t i = 0; i < width_; ++i)
          out[0][i] += w[0] * in[i], out[1][i] += w[1] * in[i], out[2][i] += w[2] * in[i];
      }
    }
    // (z order, y order) of each y buffer.
    constexpr int kFromZ[6][2] = {{0, 0}, {0, 1}, {0, 2}, {1, 0}, {1, 1}, {2, 0}};
    for (int c = 0; c < 6; ++c) {
      y_[c].assign(width_ * rows, 0.0f);
      const auto& w = kernels.taps[1][kFromZ[c][1]];
      for (std::size_t j = 0; j < rows; ++j) {
        float* out = y_[c].data() + j * width_;
        for (std::size_t t = 0; t < w.size(); ++t) {
          const long jj = Clamp(static_cast<long>(j + b_.lo[1] + t) - static_cast<long>(ry), n[1]);
          const float* in = z_[kFromZ[c][0]].data() + (jj - static_cast<long>(j0_)) * width_;
          for (std::size_t i = 0; i < width_; ++i)
            out[i] += w[t] * in[i];
        }
      }
    }
    kernels_ = &kernels;
  }

  // Element e (xx, xy, xz, yy, yz, zz) of row j (absolute) for the bounds' columns lo[0]..hi[0).
  void Row(std::size_t j, std::array<std::vector<float>, 6>& out) {
    // (x order, y buffer) of each element.
    constexpr int kFromY[6][2] = {{2, 0}, {1, 1}, {1, 3}, {0, 2}, {0, 4}, {0, 5}};
    const std::size_t n0 = image_.geometry.size[0], rx = kernels_->Radius(0), width = b_.hi[0] - b_.lo[0];
    padded_.resize(width + 2 * rx);
    for (int e = 0; e < 6; ++e) {
      // The row's columns lo[0] - rx .. hi[0] + rx, clamped to the volume, so that the taps need no test.
      const float* column = y_[kFromY[e][1]].data() + (j - b_.lo[1]) * width_ - i0_;
      for (std::size_t p = 0; p < padded_.size(); ++p)
        padded_[p] = column[Clamp(static_cast<long>(b_.lo[0] + p) - static_cast<long>(rx), n0)];
      const auto& w = kernels_->taps[0][kFromY[e][0]];
      out[e].assign(width, 0.0f);
      float* o = out[e].data();
      for (std::size_t t = 0; t < w.size(); ++t) {
        const float* in = padded_.data() + t;
        for (std::size_t i = 0; i < width; ++i)
          o[i] += w[t] * in[i];
      }
    }
  }

 private:
  const io::Volume& image_;
  Bounds b_;
  const Kernels* kernels_ = nullptr;
  std::size_t i0_ = 0, j0_ = 0, width_ = 0;
  std::array<std::vector<float>, 3> z_;
  std::array<std::vector<float>, 6> y_;
  std::vector<float> padded_;
};

// The image smoothed by the order-0 kernels (the sides of tube candidates are sampled on it).
io::Volume Smoothed(const io::Volume& image, const Kernels& kernels) {
  const auto& n = image.geometry.size;
  io::Volume from = image, to = image;
  const std::size_t stride[3] = {1, n[0], n[0] * n[1]};
  for (int axis = 0; axis < 3; ++axis) {
    const auto& w = kernels.taps[axis][0];
    const long radius = static_cast<long>(kernels.Radius(axis));
    tbb::parallel_for(std::size_t{0}, n[2], [&](std::size_t k) {
      for (std::size_t j = 0; j < n[1]; ++j) {
        for (std::size_t i = 0; i < n[0]; ++i) {
          const long at = static_cast<long>(axis == 0 ? i : axis == 1 ? j : k);
          const std::size_t index = (k * n[1] + j) * n[0] + i;
          const float* line = from.voxels.data() + index - at * stride[axis];
          float sum = 0;
          for (long t = -radius; t <= radius; ++t)
            sum += w[t + radius] * line[Clamp(at + t, n[axis]) * stride[axis]];
          to.voxels[index] = sum;
        }
      }
    });
    std::swap(from, to);
  }
  return from;
}

// The fraction of a tube measure that survives the side checks at voxel `at` (index) with axis `axis`
// (mm frame): in 8 directions across the axis the smoothed image must fall below the centre about
// equally (a sheet's edge or junction stays bright in some), and both ways along the axis it must keep
// `axial_continuity` of that contrast (a blob's rim goes dark outward).
double SideChecks(const io::Volume& smooth, const std::array<std::size_t, 3>& at, const Vector& axis,
                  double sigma_mm, const VesselnessOptions& o) {
  const auto& spacing = smooth.geometry.spacing_mm;
  const double reach = o.side_reach * sigma_mm;
  const auto offset = [&](const Vector& direction) {
    Vector p;
    for (int a = 0; a < 3; ++a)
      p[a] = static_cast<double>(at[a]) + reach * direction[a] / spacing[a];
    return io::InterpolateLinear(smooth, p);
  };
  const Vector u = Unit(Cross(axis, std::abs(axis[0]) < 0.9 ? Vector{1, 0, 0} : Vector{0, 1, 0}));
  const Vector v = Cross(axis, u);
  const double centre =
      smooth.voxels[(at[2] * smooth.geometry.size[1] + at[1]) * smooth.geometry.size[0] + at[0]];
  constexpr double kDiagonal = 0.70710678118654752;  // the 8 directions 45 degrees apart
  constexpr double kCos[8] = {1, kDiagonal, 0, -kDiagonal, -1, -kDiagonal, 0, kDiagonal};
  double lowest = INFINITY, highest = -INFINITY;
  for (int d = 0; d < 8; ++d) {
    const double c = kCos[d], s = kCos[(d + 6) % 8];
    const double contrast = centre - offset({c * u[0] + s * v[0], c * u[1] + s * v[1], c * u[2] + s * v[2]});
    lowest = std::min(lowest, contrast), highest = std::max(highest, contrast);
  }
  if (lowest <= 0) return 0;
  const double brightest_side = centre - lowest;
  const double along = std::min(offset(axis), offset({-axis[0], -axis[1], -axis[2]})) - brightest_side;
  return lowest / highest * std::clamp(along / (o.axial_continuity * lowest), 0.0, 1.0);
}

struct Centre {
  std::size_t index;
  float score, sigma_mm;
  std::array<float, 3> axis;
};

// Flags the voxels of the mask within the spread cylinder of each centre with the centre's score.
void Spread(const std::vector<Centre>& centres, const VesselnessOptions& o, const io::Volume* mask,
            io::Volume& vessel) {
  const auto& g = vessel.geometry;
  const auto& n = g.size;
  for (const Centre& c : centres) {
    const double radius = o.spread_radius * c.sigma_mm, length = o.spread_length * c.sigma_mm;
    const double reach = std::max(radius, length);
    const long at[3] = {static_cast<long>(c.index % n[0]), static_cast<long>(c.index / n[0] % n[1]),
                        static_cast<long>(c.index / (n[0] * n[1]))};
    long lo[3], hi[3];
    for (int a = 0; a < 3; ++a) {
      const auto r = static_cast<long>(reach / g.spacing_mm[a]);
      lo[a] = std::max(0L, at[a] - r), hi[a] = std::min(static_cast<long>(n[a]) - 1, at[a] + r);
    }
    for (long k = lo[2]; k <= hi[2]; ++k) {
      for (long j = lo[1]; j <= hi[1]; ++j) {
        for (long i = lo[0]; i <= hi[0]; ++i) {
          const double d[3] = {(i - at[0]) * g.spacing_mm[0], (j - at[1]) * g.spacing_mm[1],
                               (k - at[2]) * g.spacing_mm[2]};
          const double along = d[0] * c.axis[0] + d[1] * c.axis[1] + d[2] * c.axis[2];
          const double across2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2] - along * along;
          if (std::abs(along) > length || across2 > radius * radius) continue;
          const std::size_t q = (static_cast<std::size_t>(k) * n[1] + j) * n[0] + i;
          if (mask && mask->voxels[q] <= 0) continue;
          vessel.voxels[q] = std::max(vessel.voxels[q], c.score);
        }
      }
    }
  }
}

}  // namespace

HessianShapes MeasureShapes(const io::Volume& image, const VesselnessOptions& options,
                            const io::Volume* mask) {
  const std::string problem = ProblemFor3D(image);
  if (!problem.empty()) throw std::invalid_argument("vesselness: the image " + problem);
  if (mask && !SameGrid(mask->geometry, image.geometry))
    throw std::invalid_argument("vesselness: the mask is not on the image's grid");
  if (options.sigmas_mm.empty()) throw std::invalid_argument("vesselness: no tube scale given");
  const auto& g = image.geometry;
  const auto& n = g.size;
  std::vector<Kernels> scales;
  for (const auto* list : {&options.sigmas_mm, &options.blob_sigmas_mm}) {
    for (const double sigma : *list) {
      if (!(sigma > 0)) throw std::invalid_argument("vesselness: a scale is not positive");
      scales.push_back(GaussianDerivatives(sigma, g.spacing_mm));
    }
  }
  const Bounds bounds = MaskBounds(g, mask);
  const io::Volume smooth = Smoothed(
      image, GaussianDerivatives(*std::min_element(options.sigmas_mm.begin(), options.sigmas_mm.end()),
                                 g.spacing_mm));

  HessianShapes out;
  for (io::Volume* v : {&out.vessel, &out.sheet, &out.blob}) {
    v->geometry = g;
    v->voxels.assign(g.VoxelCount(), 0.0f);
  }
  const std::size_t width = bounds.hi[0] - bounds.lo[0], rows = bounds.hi[1] - bounds.lo[1];
  const auto faint = static_cast<float>(-2 * options.gamma * options.gamma * std::log(1 - kCandidate));
  // Tube centres per plane, so that their order is the same on any thread count.
  std::vector<std::vector<Centre>> centres(n[2]);
  tbb::parallel_for(
      tbb::blocked_range<std::size_t>(bounds.lo[2], bounds.hi[2]),
      [&](const tbb::blocked_range<std::size_t>& r) {
        PlaneHessian hessian(image, bounds);
        std::array<std::vector<float>, 6> h;
        std::vector<Centre> best(width * rows);
        for (std::size_t k = r.begin(); k != r.end(); ++k) {
          for (Centre& c : best)
            c.score = 0;
          for (std::size_t s = 0; s < scales.size(); ++s) {
            const double sigma = scales[s].sigma_mm;
            const bool tube_scale = s < options.sigmas_mm.size();
            hessian.Compute(k, scales[s]);
            for (std::size_t j = bounds.lo[1]; j < bounds.hi[1]; ++j) {
              hessian.Row(j, h);
              for (std::size_t i = bounds.lo[0]; i < bounds.hi[0]; ++i) {
                const std::size_t index = (k * n[1] + j) * n[0] + i, column = i - bounds.lo[0];
                if (mask && mask->voxels[index] <= 0) continue;
                const float element[6] = {h[0][column], h[1][column], h[2][column],
                                          h[3][column], h[4][column], h[5][column]};
                // The sum of squared eigenvalues, from the elements: where the structureness alone keeps
                // every measure under kCandidate, no eigenvalue is needed.
                const float norm2 =
                    element[0] * element[0] + element[3] * element[3] + element[5] * element[5] +
                    2 * (element[1] * element[1] + element[2] * element[2] + element[4] * element[4]);
                if (norm2 < faint) continue;
                const Vector l = EigenvaluesByMagnitude(element);
                const Shapes shapes = FrangiShapes(l, options);
                out.sheet.voxels[index] = std::max(out.sheet.voxels[index], shapes.sheet);
                out.blob.voxels[index] = std::max(out.blob.voxels[index], shapes.blob);
                Centre& b = best[(j - bounds.lo[1]) * width + column];
                if (!tube_scale || shapes.tube < kCandidate || shapes.tube <= b.score) continue;
                const Vector axis = Eigenvector(element, l[0]);
                const auto score =
                    static_cast<float>(shapes.tube * SideChecks(smooth, {i, j, k}, axis, sigma, options));
                if (score <= b.score) continue;
                b = {index,
                     score,
                     static_cast<float>(sigma),
                     {static_cast<float>(axis[0]), static_cast<float>(axis[1]), static_cast<float>(axis[2])}};
              }
            }
          }
          // A centre counts only where the tube beats the sheet and blob measures at every scale: a weak
          // tube reading inside a sheet or a nodule would otherwise spread over it.
          for (const Centre& c : best) {
            if (c.score >= kCandidate && c.score >= out.sheet.voxels[c.index] &&
                c.score >= out.blob.voxels[c.index])
              centres[k].push_back(c);
          }
        }
      });
  std::vector<Centre> all;
  for (const auto& plane : centres)
    all.insert(all.end(), plane.begin(), plane.end());
  Spread(all, options, mask, out.vessel);
  return out;
}

io::Volume Vesselness(const io::Volume& image, const VesselnessOptions& options, const io::Volume* mask) {
  return MeasureShapes(image, options, mask).vessel;
}

}  // namespace leptoscan::filters
