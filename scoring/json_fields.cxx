#include "scoring/json_fields.h"

#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "scoring/errors.h"

namespace leptoscan::scoring {
namespace {

// Deeper documents are refused while parsing: nlohmann::json prints values (as errors quote them)
// recursively, and a million nested brackets overflowed the stack. The contract's documents nest a few
// levels.
constexpr int kMaxDepth = 64;

std::string Shown(const nlohmann::json& value) {
  std::string text = value.dump();
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  return fmt::format("{} {}", value.type_name(), text);
}

}  // namespace

std::string JoinPath(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

std::string ReadDocumentText(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw DocumentError(file.string(), "", "cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

nlohmann::json JsonFields::Parse(const std::string& text) const {
  try {
    return nlohmann::json::parse(text, [this](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
      if (depth > kMaxDepth) Fail("", fmt::format("not accepted: nested deeper than {} levels", kMaxDepth));
      return true;
    });
  } catch (const nlohmann::json::exception& e) {  // parse_error, and out_of_range for numbers like 1e400
    Fail("", fmt::format("not valid JSON ({})", e.what()));
  }
}

void JsonFields::Fail(const std::string& path, const std::string& problem) const {
  throw DocumentError(file_, path, problem);
}

const nlohmann::json& JsonFields::Object(const nlohmann::json& value, const std::string& path) const {
  if (!value.is_object()) Fail(path, "expected an object, got " + Shown(value));
  return value;
}

const nlohmann::json& JsonFields::Array(const nlohmann::json& value, const std::string& path) const {
  if (!value.is_array()) Fail(path, "expected an array, got " + Shown(value));
  return value;
}

const nlohmann::json& JsonFields::Member(const nlohmann::json& object, const std::string& path,
                                         const std::string& key) const {
  const auto found = Object(object, path).find(key);
  if (found == object.end()) Fail(JoinPath(path, key), "required field is missing");
  return *found;
}

std::string JsonFields::String(const nlohmann::json& value, const std::string& path) const {
  if (!value.is_string()) Fail(path, "expected a string, got " + Shown(value));
  return value.get<std::string>();
}

bool JsonFields::Bool(const nlohmann::json& value, const std::string& path) const {
  if (!value.is_boolean()) Fail(path, "expected true or false, got " + Shown(value));
  return value.get<bool>();
}

double JsonFields::Number(const nlohmann::json& value, const std::string& path, double minimum) const {
  if (!value.is_number()) Fail(path, "expected a number, got " + Shown(value));
  const double number = value.get<double>();
  if (!std::isfinite(number)) Fail(path, "expected a finite number");
  if (number < minimum) Fail(path, fmt::format("{} is below the minimum {}", number, minimum));
  return number;
}

double JsonFields::Positive(const nlohmann::json& value, const std::string& path) const {
  const double number = Number(value, path, 0);
  if (number == 0) Fail(path, "must be greater than 0");
  return number;
}

}  // namespace leptoscan::scoring
