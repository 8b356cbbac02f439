#include "filters/enhancement.h"

#include <Eigen/Dense>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "filters/input_checks.h"
#include "filters/intensity_normalization.h"

namespace leptoscan::filters {
namespace {

constexpr int kTerms = 10;  // 1, x, y, z, xy, xz, yz, x^2, y^2, z^2

// The quadratic's terms at a point, in decimetres so that the normal equations stay well conditioned.
std::array<double, kTerms> Terms(const std::array<double, 3>& p) {
  const double x = p[0] / 100, y = p[1] / 100, z = p[2] / 100;
  return {1, x, y, z, x * y, x * z, y * z, x * x, y * y, z * z};
}

double Evaluate(const Eigen::VectorXd& c, const std::array<double, kTerms>& t) {
  double sum = 0;
  for (int n = 0; n < kTerms; ++n)
    sum += c[n] * t[n];
  return sum;
}

// log(post / pre) = p(x, y, z) over non-enhancing tissue, refitted without the voxels that stand out.
Eigen::VectorXd FitLogRatio(const io::Volume& post, const io::Volume& pre,
                            const std::vector<std::size_t>& tissue, const EnhancementOptions& options) {
  const auto& g = post.geometry;
  std::vector<std::array<double, kTerms>> terms(tissue.size());
  std::vector<double> log_ratio(tissue.size());
  for (std::size_t n = 0; n < tissue.size(); ++n) {
    const std::size_t v = tissue[n];
    terms[n] = Terms(g.VoxelCentre(v));
    log_ratio[n] = std::log(post.voxels[v] / pre.voxels[v]);
  }
  Eigen::VectorXd coefficients = Eigen::VectorXd::Zero(kTerms);
  std::vector<bool> used(tissue.size(), true);
  for (unsigned round = 0; round < options.fit_rounds; ++round) {
    Eigen::MatrixXd normal = Eigen::MatrixXd::Zero(kTerms, kTerms);
    Eigen::VectorXd rhs = Eigen::VectorXd::Zero(kTerms);
    for (std::size_t n = 0; n < tissue.size(); ++n) {
      if (!used[n]) continue;
      const Eigen::Map<const Eigen::Matrix<double, kTerms, 1>> t(terms[n].data());
      normal.noalias() += t * t.transpose();
      rhs.noalias() += t * log_ratio[n];
    }
    coefficients = normal.ldlt().solve(rhs);
    // The median comes first: the first fit is pulled by enhancing voxels, so the cut starts generous.
    const double cut = round == 0 ? 3 * options.outlier_log_ratio : options.outlier_log_ratio;
    for (std::size_t n = 0; n < tissue.size(); ++n)
      used[n] = std::abs(log_ratio[n] - Evaluate(coefficients, terms[n])) < cut;
  }
  return coefficients;
}

}  // namespace

io::Volume EnhancementMap(const io::Volume& post, const io::Volume& pre, const io::Volume& brain_mask,
                          const EnhancementOptions& options) {
  if (!SameGrid(post.geometry, pre.geometry) || !SameGrid(post.geometry, brain_mask.geometry))
    throw std::invalid_argument(
        "enhancement map: the pre-contrast volume and the mask must be on the post grid");
  const double pre_white = WhiteMatterPeak(pre, brain_mask);
  std::vector<std::size_t> tissue;
  for (std::size_t v = 0; v < post.voxels.size(); ++v) {
    if (brain_mask.voxels[v] > 0 && pre.voxels[v] > options.tissue_fraction * pre_white && post.voxels[v] > 0)
      tissue.push_back(v);
  }
  if (tissue.size() < 1000)
    throw std::invalid_argument(
        "enhancement map: fewer than 1000 brain tissue voxels to compare the scans on");
  const Eigen::VectorXd field = FitLogRatio(post, pre, tissue, options);

  io::Volume out;
  out.geometry = post.geometry;
  out.voxels.resize(post.voxels.size());
  const auto& g = post.geometry;
  for (std::size_t k = 0, v = 0; k < g.size[2]; ++k) {
    for (std::size_t j = 0; j < g.size[1]; ++j) {
      for (std::size_t i = 0; i < g.size[0]; ++i, ++v) {
        const double gain = std::exp(Evaluate(field, Terms(g.IndexToPoint(i, j, k))));
        out.voxels[v] = static_cast<float>((post.voxels[v] / gain - pre.voxels[v]) / pre_white);
      }
    }
  }
  return out;
}

io::Volume PostOnlyEnhancementMap(const io::Volume& post, const io::Volume& brain_mask) {
  io::Volume out = NormalizeToWhiteMatter(post, brain_mask);
  for (float& v : out.voxels)
    v -= 1.0f;
  return out;
}

}  // namespace leptoscan::filters
