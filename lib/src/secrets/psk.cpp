#include <vpnaas/secrets/psk.hpp>

#include <fmt/format.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include <array>
#include <memory>

namespace vpnaas::secrets {
namespace {

// Salt and info layout are part of the key format: changing either changes
// every tunnel's key, so they carry a version.
constexpr std::string_view kPskSalt = "vpnaas/psk/v1";
constexpr std::size_t kPskBytes = 32;
constexpr std::size_t kSha256Bytes = 32;

struct KdfDeleter {
  void operator()(EVP_KDF* kdf) const { EVP_KDF_free(kdf); }
  void operator()(EVP_KDF_CTX* ctx) const { EVP_KDF_CTX_free(ctx); }
};

Error openssl_error(std::string_view what) {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  std::string detail = "no OpenSSL error queued";
  if (code != 0) {
    std::array<char, 256> buffer{};
    ERR_error_string_n(code, buffer.data(), buffer.size());
    detail = buffer.data();
  }
  return make_error(ErrorCode::internal, fmt::format("HKDF-SHA256 failed: {}: {}", what, detail));
}

// OSSL_PARAM takes non-const pointers but only reads through them here.
OSSL_PARAM octets(const char* name, const void* data, std::size_t size) {
  return OSSL_PARAM_construct_octet_string(name, const_cast<void*>(data), size);
}

} // namespace

Result<std::vector<unsigned char>> hkdf_sha256(const std::vector<unsigned char>& ikm,
                                               std::string_view salt, std::string_view info,
                                               std::size_t length) {
  // RFC 5869 2.3: at most 255 blocks of output.
  if (length == 0 || length > 255 * kSha256Bytes) {
    return make_error(ErrorCode::internal,
                      fmt::format("HKDF-SHA256 cannot produce {} bytes (1 to {} allowed)", length,
                                  255 * kSha256Bytes));
  }
  // Fetched once: a fetch searches the provider tables under a lock and was
  // a quarter of `plan` on a 500-site mesh, which derives 250k keys. An
  // EVP_KDF may be shared between threads once fetched.
  static const std::unique_ptr<EVP_KDF, KdfDeleter> kdf(
      EVP_KDF_fetch(nullptr, OSSL_KDF_NAME_HKDF, nullptr));
  if (!kdf) {
    return openssl_error("fetching the HKDF implementation");
  }
  std::unique_ptr<EVP_KDF_CTX, KdfDeleter> ctx(EVP_KDF_CTX_new(kdf.get()));
  if (!ctx) {
    return openssl_error("creating a context");
  }
  // An empty salt or info is the same as an absent one (RFC 5869 2.2), and
  // OpenSSL rejects some zero-length parameters, so those are left out.
  static const unsigned char kEmpty = 0;
  std::array<OSSL_PARAM, 5> params{};
  std::size_t n = 0;
  params[n++] =
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, const_cast<char*>(SN_sha256), 0);
  params[n++] = octets(OSSL_KDF_PARAM_KEY, ikm.empty() ? &kEmpty : ikm.data(), ikm.size());
  if (!salt.empty()) {
    params[n++] = octets(OSSL_KDF_PARAM_SALT, salt.data(), salt.size());
  }
  if (!info.empty()) {
    params[n++] = octets(OSSL_KDF_PARAM_INFO, info.data(), info.size());
  }
  params[n] = OSSL_PARAM_construct_end();

  std::vector<unsigned char> out(length);
  if (EVP_KDF_derive(ctx.get(), out.data(), out.size(), params.data()) != 1) {
    OPENSSL_cleanse(out.data(), out.size());
    return openssl_error("deriving");
  }
  return out;
}

Result<std::string> derive_psk(const MasterKey& key, std::string_view tunnel_id,
                               std::string_view epoch_tag) {
  if (key.bytes().size() < kMasterKeyBytes) {
    return make_error(ErrorCode::missing_secret,
                      fmt::format("cannot derive a pre-shared key: the master key has {} bytes, "
                                  "at least {} are needed",
                                  key.bytes().size(), kMasterKeyBytes));
  }
  // '|' separates the two parts of `info`; it must not occur inside the tag,
  // or two different (id, tag) pairs could give the same info and key.
  if (tunnel_id.empty() || epoch_tag.find('|') != std::string_view::npos) {
    return make_error(ErrorCode::internal,
                      fmt::format("cannot derive a pre-shared key for tunnel '{}' with epoch tag "
                                  "'{}'",
                                  tunnel_id, epoch_tag));
  }
  std::string info = fmt::format("{}|{}", tunnel_id, epoch_tag);
  auto bytes = hkdf_sha256(key.bytes(), kPskSalt, info, kPskBytes);
  if (!bytes) {
    return bytes.error();
  }
  std::string hex;
  hex.reserve(2 * bytes->size());
  constexpr const char* kDigits = "0123456789abcdef";
  for (unsigned char b : *bytes) {
    hex += kDigits[b >> 4];
    hex += kDigits[b & 0x0f];
  }
  OPENSSL_cleanse(bytes->data(), bytes->size());
  return hex;
}

} // namespace vpnaas::secrets
