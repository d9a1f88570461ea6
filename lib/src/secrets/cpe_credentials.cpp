#include <vpnaas/core/printable.hpp>
#include <vpnaas/secrets/cpe_credentials.hpp>
#include <vpnaas/secrets/psk.hpp>

#include <fmt/format.h>
#include <openssl/crypto.h>

namespace vpnaas::secrets {
namespace {

// Salts are part of the credential format: changing one changes every CPE's
// password, so they carry a version. Two salts keep the two logins
// independent: a CPE's own password does not reveal the one the ACS uses on it.
constexpr std::string_view kAcsLoginSalt = "vpnaas/cpe-acs-login/v1";
constexpr std::string_view kConnectionRequestSalt = "vpnaas/cpe-connection-request/v1";
// The management API's bearer token has its own salt, so that it reveals no
// CPE password and no CPE password reveals it.
constexpr std::string_view kManagementTokenSalt = "vpnaas/acs-management-token/v1";
// 128 bits: as strong as a password needs to be, and short enough to type
// into a router's console when staging it.
constexpr std::size_t kPasswordBytes = 16;
constexpr std::size_t kMaxSerialLength = 64;

Result<std::string> derive_password(const MasterKey& key, std::string_view salt,
                                    std::string_view serial, std::size_t length = kPasswordBytes) {
  auto bytes = hkdf_sha256(key.bytes(), salt, serial, length);
  if (!bytes) {
    return bytes.error();
  }
  constexpr const char* kDigits = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * bytes->size());
  for (unsigned char b : *bytes) {
    hex += kDigits[b >> 4];
    hex += kDigits[b & 0x0f];
  }
  OPENSSL_cleanse(bytes->data(), bytes->size());
  return hex;
}

} // namespace

Result<CpeCredentials> derive_cpe_credentials(const MasterKey& key, std::string_view serial) {
  bool bad_byte = false;
  for (char c : serial) {
    const auto u = static_cast<unsigned char>(c);
    bad_byte = bad_byte || u < 0x20 || u == 0x7f || c == ':';
  }
  if (serial.empty() || serial.size() > kMaxSerialLength || bad_byte) {
    return make_error(ErrorCode::usage,
                      fmt::format("'{}' is not a CPE serial number", printable(serial)),
                      "give the SerialNumber the router sends in its Inform: 1 to 64 characters, "
                      "no control characters or ':'");
  }
  if (key.bytes().size() < kMasterKeyBytes) {
    return make_error(ErrorCode::missing_secret,
                      fmt::format("cannot derive CPE credentials: the master key has {} bytes, at "
                                  "least {} are needed",
                                  key.bytes().size(), kMasterKeyBytes));
  }
  auto acs = derive_password(key, kAcsLoginSalt, serial);
  if (!acs) {
    return acs.error();
  }
  auto request = derive_password(key, kConnectionRequestSalt, serial);
  if (!request) {
    return request.error();
  }
  const std::string username(serial);
  return CpeCredentials{CpeLogin{username, std::move(*acs)},
                        CpeLogin{username, std::move(*request)}};
}

Result<std::string> derive_acs_management_token(const MasterKey& key) {
  if (key.bytes().size() < kMasterKeyBytes) {
    return make_error(ErrorCode::missing_secret,
                      fmt::format("cannot derive the ACS management token: the master key has {} "
                                  "bytes, at least {} are needed",
                                  key.bytes().size(), kMasterKeyBytes));
  }
  // 256 bits: nobody types it, it sits in $VPNAAS_ACS_TOKEN.
  return derive_password(key, kManagementTokenSalt, "management", 32);
}

} // namespace vpnaas::secrets
