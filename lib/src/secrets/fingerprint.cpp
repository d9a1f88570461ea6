#include <vpnaas/secrets/fingerprint.hpp>

#include <fmt/format.h>
#include <openssl/sha.h>

#include <array>

namespace vpnaas::secrets {

std::string fingerprint(std::string_view secret) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
  SHA256(reinterpret_cast<const unsigned char*>(secret.data()), secret.size(), digest.data());
  return fmt::format("sha256:{:02x}{:02x}{:02x}{:02x}", digest[0], digest[1], digest[2], digest[3]);
}

} // namespace vpnaas::secrets
