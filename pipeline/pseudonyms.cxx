#include "pipeline/pseudonyms.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sys/random.h>
#include <sys/stat.h>

#include <array>
#include <cerrno>
#include <fstream>
#include <map>
#include <mutex>
#include <system_error>

#include "io/atomic_file.h"
#include "io/checksum.h"
#include "io/errors.h"

namespace leptoscan::pipeline {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kPseudonymDigits = 10;  // 40 bits: a collision in 10,000 subjects has p < 5e-5
constexpr std::size_t kMinimumKeyBytes = 32;
const char* const kIdentifiersHeader = "subject\tpatient_id\n";

std::string NewKey(const fs::path& file) {
  std::array<unsigned char, 32> bits{};
  std::size_t filled = 0;
  while (filled < bits.size()) {
    const ssize_t n = ::getrandom(bits.data() + filled, bits.size() - filled, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      throw io::InputError(file, "no random bits for a new key: " + std::generic_category().message(errno));
    filled += static_cast<std::size_t>(n);
  }
  std::string hex;
  for (unsigned char b : bits)
    hex += fmt::format("{:02x}", b);
  return hex + "\n";
}

std::string Escaped(const std::string& text) {
  std::string escaped;
  for (char c : text) {
    switch (c) {
      case '\\':
        escaped += "\\\\";
        break;
      case '\t':
        escaped += "\\t";
        break;
      case '\n':
        escaped += "\\n";
        break;
      case '\r':
        escaped += "\\r";
        break;
      default:
        escaped += c;
    }
  }
  return escaped;
}

}  // namespace

SubjectIds::SubjectIds(std::string key) : key_(std::move(key)) {}

std::string SubjectIds::operator()(const std::string& patient_id) const {
  if (key_.empty()) return patient_id;
  return "LS-" + io::HmacSha256(key_, patient_id).substr(0, kPseudonymDigits);
}

fs::path DefaultPseudonymKeyFile(const fs::path& out) {
  return out / ".leptoscan-key";
}

std::string ReadOrCreatePseudonymKey(const fs::path& file) {
  if (!fs::exists(file)) {
    if (file.has_parent_path()) fs::create_directories(file.parent_path());
    if (io::CreatePrivateFile(file, NewKey(file)))
      spdlog::info("created the pseudonym key {}: keep it to keep the pseudonyms, and keep it private",
                   file.string());
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) throw io::InputError(file, "cannot be read as a pseudonym key");
  std::string key((std::istreambuf_iterator<char>(in)), {});
  key.erase(key.find_last_not_of(" \t\r\n") + 1);
  if (key.size() < kMinimumKeyBytes) {
    throw io::InputError(file, fmt::format("a pseudonym key needs at least {} characters (`openssl rand -hex "
                                           "32` makes one), this one has {}",
                                           kMinimumKeyBytes, key.size()));
  }
  struct stat status {};
  if (::stat(file.c_str(), &status) == 0 && (status.st_mode & (S_IRWXG | S_IRWXO)) != 0)
    spdlog::warn("{}: others than its owner may read this pseudonym key (chmod 600 it)", file.string());
  return key;
}

void RecordIdentifier(const fs::path& out, const std::string& subject, const std::string& patient_id) {
  static std::mutex mutex;
  const std::lock_guard<std::mutex> lock(mutex);
  const fs::path file = out / "identifiers.tsv";
  const std::string id = Escaped(patient_id);
  // Sorted by subject, so that cases finishing in another order give the same file.
  std::map<std::string, std::string> rows;
  if (std::ifstream in{file}) {
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
      const std::size_t tab = line.find('\t');
      if (tab == std::string::npos) throw io::InputError(file, "malformed row: " + line);
      rows[line.substr(0, tab)] = line.substr(tab + 1);
    }
  }
  if (const auto found = rows.find(subject); found != rows.end()) {
    if (found->second == id) return;
    throw io::InputError(
        file,
        fmt::format("subject {} is there for another PatientID: two PatientIDs share a pseudonym", subject));
  }
  rows[subject] = id;
  std::string table = kIdentifiersHeader;
  for (const auto& [s, p] : rows)
    table += s + "\t" + p + "\n";
  io::WritePrivateFileAtomically(file, table);
}

}  // namespace leptoscan::pipeline
