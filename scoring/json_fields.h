// Typed access to JSON fields with the contract's error messages (file, field path, problem); shared by
// the readers of findings and parameters documents. Internal to the scoring library.
#pragma once

#include <filesystem>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>

namespace leptoscan::scoring {

class JsonFields {
 public:
  explicit JsonFields(std::string file) : file_(std::move(file)) {}

  nlohmann::json Parse(const std::string& text) const;
  [[noreturn]] void Fail(const std::string& path, const std::string& problem) const;

  const nlohmann::json& Object(const nlohmann::json& value, const std::string& path) const;
  const nlohmann::json& Array(const nlohmann::json& value, const std::string& path) const;
  // The member `key` of `object` (at `path`), which must be there.
  const nlohmann::json& Member(const nlohmann::json& object, const std::string& path,
                               const std::string& key) const;
  std::string String(const nlohmann::json& value, const std::string& path) const;
  bool Bool(const nlohmann::json& value, const std::string& path) const;
  // A finite number no smaller than `minimum`.
  double Number(const nlohmann::json& value, const std::string& path,
                double minimum = -std::numeric_limits<double>::infinity()) const;
  // A number strictly greater than zero: a size that is there at all.
  double Positive(const nlohmann::json& value, const std::string& path) const;

 private:
  std::string file_;
};

std::string JoinPath(const std::string& path, const std::string& key);

// The whole text of a document file (JSON, or an ITK transform); a DocumentError "cannot be read" otherwise.
std::string ReadDocumentText(const std::filesystem::path& file);

}  // namespace leptoscan::scoring
