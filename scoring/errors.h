// The error for a document or file that breaks its contract: the message names the file, then the field
// (as a JSON path such as "lesions[2].diameters_mm") and the problem, so a hand-written form can be fixed.
#pragma once

#include <stdexcept>
#include <string>

namespace leptoscan::scoring {

class DocumentError : public std::runtime_error {
 public:
  DocumentError(const std::string& file, const std::string& field, const std::string& problem)
      : std::runtime_error(file + ": " + (field.empty() ? "" : field + ": ") + problem),
        file_(file),
        field_(field),
        problem_(problem) {}
  const std::string& file() const { return file_; }
  const std::string& field() const { return field_; }
  const std::string& problem() const { return problem_; }

 private:
  std::string file_;
  std::string field_;
  std::string problem_;
};

}  // namespace leptoscan::scoring
