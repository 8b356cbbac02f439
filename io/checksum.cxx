#include "io/checksum.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <fstream>
#include <memory>

#include "io/errors.h"

namespace leptoscan::io {
namespace {

std::string HexDigits(const unsigned char* bytes, unsigned size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (unsigned i = 0; i < size; ++i) {
    hex += kDigits[bytes[i] >> 4];
    hex += kDigits[bytes[i] & 15];
  }
  return hex;
}

class Sha256 {
 public:
  Sha256() : context_(EVP_MD_CTX_new(), EVP_MD_CTX_free) {
    if (!context_ || EVP_DigestInit_ex(context_.get(), EVP_sha256(), nullptr) != 1)
      throw std::runtime_error("OpenSSL: cannot start a SHA-256 digest");
  }
  void Add(const void* data, std::size_t size) { EVP_DigestUpdate(context_.get(), data, size); }
  void Add(const std::string& text) { Add(text.data(), text.size()); }
  std::string Hex() {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned size = 0;
    EVP_DigestFinal_ex(context_.get(), digest.data(), &size);
    return HexDigits(digest.data(), size);
  }

 private:
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> context_;
};

}  // namespace

std::string FileSha256(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError(file, "cannot be read for its checksum");
  Sha256 digest;
  std::array<char, 1 << 16> buffer;
  while (in.read(buffer.data(), buffer.size()) || in.gcount() > 0)
    digest.Add(buffer.data(), in.gcount());
  if (in.bad()) throw InputError(file, "read error while computing its checksum");
  return digest.Hex();
}

std::string FilesSha256(const std::vector<std::filesystem::path>& files) {
  Sha256 digest;
  for (const std::filesystem::path& file : files) {
    digest.Add(file.filename().string() + '\0' + FileSha256(file) + '\n');
  }
  return digest.Hex();
}

std::string HmacSha256(const std::string& key, const std::string& message) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned size = 0;
  if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
            reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest.data(), &size))
    throw std::runtime_error("OpenSSL: cannot compute an HMAC-SHA-256");
  return HexDigits(digest.data(), size);
}

}  // namespace leptoscan::io
