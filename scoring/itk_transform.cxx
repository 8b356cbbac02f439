#include "scoring/itk_transform.h"

#include <fmt/format.h>

#include <cmath>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "scoring/errors.h"
#include "scoring/json_fields.h"

namespace leptoscan::scoring {
namespace {

using Matrix = AffineMap::Matrix;

Matrix Multiply(const Matrix& a, const Matrix& b) {
  Matrix product{};
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j)
      for (int k = 0; k < 3; ++k)
        product[i][j] += a[i][k] * b[k][j];
  return product;
}

// itk::Euler3DTransform::ComputeMatrix: Z*X*Y by default, Z*Y*X when ComputeZYX is set.
Matrix EulerMatrix(double x, double y, double z, bool zyx) {
  const Matrix rx = {{{1, 0, 0}, {0, std::cos(x), -std::sin(x)}, {0, std::sin(x), std::cos(x)}}};
  const Matrix ry = {{{std::cos(y), 0, std::sin(y)}, {0, 1, 0}, {-std::sin(y), 0, std::cos(y)}}};
  const Matrix rz = {{{std::cos(z), -std::sin(z), 0}, {std::sin(z), std::cos(z), 0}, {0, 0, 1}}};
  return zyx ? Multiply(rz, Multiply(ry, rx)) : Multiply(rz, Multiply(rx, ry));
}

// itk::Versor::GetMatrix; the parameters hold the vector part of a unit quaternion.
Matrix VersorMatrix(double x, double y, double z) {
  const double norm2 = x * x + y * y + z * z;
  if (norm2 > 1 + 1e-9) throw std::domain_error("versor parameters have a norm above 1");
  const double w = std::sqrt(std::max(0.0, 1 - norm2));
  return {{{1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)},
           {2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)},
           {2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)}}};
}

struct TransformKind {
  const char* name;
  std::size_t parameters;
};
constexpr TransformKind kKinds[] = {{"AffineTransform", 12},
                                    {"MatrixOffsetTransformBase", 12},
                                    {"Euler3DTransform", 6},
                                    {"VersorRigid3DTransform", 6}};

std::vector<double> Numbers(const std::string& text, const std::string& file, const char* field) {
  std::istringstream in(text);
  std::vector<double> numbers;
  std::string token;
  while (in >> token) {
    std::size_t used = 0;
    double value = 0;
    try {
      value = std::stod(token, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != token.size() || !std::isfinite(value))
      throw DocumentError(file, field, fmt::format("\"{}\" is not a number", token));
    numbers.push_back(value);
  }
  return numbers;
}

}  // namespace

AffineMap::AffineMap() : matrix_{{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}}, offset_{0, 0, 0} {}

Point3 AffineMap::Apply(const Point3& point) const {
  Point3 mapped = offset_;
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j)
      mapped[i] += matrix_[i][j] * point[j];
  return mapped;
}

AffineMap AffineMap::Inverse() const {
  const Matrix& m = matrix_;
  const double det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
                     m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
                     m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  if (std::abs(det) < 1e-12) throw std::domain_error("the transform matrix is singular");
  Matrix inverse{};
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) {
      // Cofactor of m[j][i], by cyclic indices, divided by the determinant.
      const int r1 = (j + 1) % 3, r2 = (j + 2) % 3, c1 = (i + 1) % 3, c2 = (i + 2) % 3;
      inverse[i][j] = (m[r1][c1] * m[r2][c2] - m[r1][c2] * m[r2][c1]) / det;
    }
  Point3 offset{};
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j)
      offset[i] -= inverse[i][j] * offset_[j];
  return AffineMap(inverse, offset);
}

AffineMap ParseItkTransform(const std::string& text, const std::string& file) {
  std::istringstream in(text);
  std::string line, type, parameters_text, fixed_text;
  int transforms = 0;
  bool header = false;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.rfind("#Insight Transform File", 0) == 0) header = true;
    const auto value_of = [&line](const char* key) { return line.substr(std::string(key).size()); };
    if (line.rfind("Transform:", 0) == 0) {
      ++transforms;
      type = value_of("Transform:");
      type.erase(0, type.find_first_not_of(' '));
    } else if (line.rfind("Parameters:", 0) == 0) {
      parameters_text = value_of("Parameters:");
    } else if (line.rfind("FixedParameters:", 0) == 0) {
      fixed_text = value_of("FixedParameters:");
    }
  }
  if (!header)
    throw DocumentError(file, "", "not an ITK transform file (no \"#Insight Transform File\" line)");
  if (transforms != 1)
    throw DocumentError(file, "Transform",
                        fmt::format("expected exactly one transform, found {} (composite transforms are not "
                                    "supported; write the rigid or affine result alone)",
                                    transforms));
  const auto suffix = type.find('_');
  const std::string family = type.substr(0, suffix);
  const std::string precision = suffix == std::string::npos ? "" : type.substr(suffix);
  const TransformKind* kind = nullptr;
  for (const auto& candidate : kKinds)
    if (family == candidate.name) kind = &candidate;
  if (!kind || (precision != "_double_3_3" && precision != "_float_3_3"))
    throw DocumentError(file, "Transform",
                        fmt::format("\"{}\" is not supported (expected AffineTransform, Euler3DTransform or "
                                    "VersorRigid3DTransform, _double_3_3 or _float_3_3)",
                                    type));
  const std::vector<double> p = Numbers(parameters_text, file, "Parameters");
  const std::vector<double> fixed = Numbers(fixed_text, file, "FixedParameters");
  if (p.size() != kind->parameters)
    throw DocumentError(file, "Parameters",
                        fmt::format("{} needs {} parameters, found {}", family, kind->parameters, p.size()));
  // Euler3DTransform may append its ComputeZYX flag to the centre.
  const std::size_t fixed_count = family == "Euler3DTransform" && fixed.size() == 4 ? 4 : 3;
  if (fixed.size() != fixed_count)
    throw DocumentError(file, "FixedParameters",
                        fmt::format("expected the centre of rotation (3 numbers), found {}", fixed.size()));

  Matrix matrix{};
  Point3 translation{};
  try {
    if (kind->parameters == 12) {
      for (int i = 0; i < 9; ++i)
        matrix[i / 3][i % 3] = p[i];
      translation = {p[9], p[10], p[11]};
    } else {
      matrix = family == "Euler3DTransform" ? EulerMatrix(p[0], p[1], p[2], fixed_count == 4 && fixed[3] != 0)
                                            : VersorMatrix(p[0], p[1], p[2]);
      translation = {p[3], p[4], p[5]};
    }
  } catch (const std::domain_error& e) {
    throw DocumentError(file, "Parameters", e.what());
  }
  // itk::MatrixOffsetTransformBase: y = M (x - c) + c + t, so the offset is t + c - M c.
  const Point3 center = {fixed[0], fixed[1], fixed[2]};
  Point3 offset{};
  for (int i = 0; i < 3; ++i) {
    offset[i] = translation[i] + center[i];
    for (int j = 0; j < 3; ++j)
      offset[i] -= matrix[i][j] * center[j];
  }
  return AffineMap(matrix, offset);
}

AffineMap ReadItkTransform(const std::filesystem::path& file) {
  return ParseItkTransform(ReadDocumentText(file), file.string());
}

AffineMap ReadFollowupToBaseline(const std::filesystem::path& file) {
  try {
    return ReadItkTransform(file).Inverse();
  } catch (const std::domain_error& e) {
    throw DocumentError(file.string(), "Parameters", e.what());
  }
}

}  // namespace leptoscan::scoring
