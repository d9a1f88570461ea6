#include <vpnaas/inventory/crypto.hpp>

#include <algorithm>
#include <array>

namespace vpnaas::inventory {

const std::vector<std::string>& ike_encryptions() {
  static const std::vector<std::string> names{"aes-128",      "aes-192",      "aes-256",
                                              "3des",         "des",          "blowfish",
                                              "camellia-128", "camellia-192", "camellia-256"};
  return names;
}

const std::vector<std::string>& ike_hashes() {
  static const std::vector<std::string> names{"sha256", "sha512", "sha1", "md5"};
  return names;
}

const std::vector<std::string>& dh_groups() {
  static const std::vector<std::string> names{"modp2048", "modp3072", "modp4096", "modp6144",
                                              "modp8192", "ecp256",   "ecp384",   "ecp521",
                                              "modp1536", "modp1024", "modp768"};
  return names;
}

const std::vector<std::string>& esp_encryptions() {
  static const std::vector<std::string> names{
      "aes-128-cbc", "aes-192-cbc", "aes-256-cbc", "aes-128-ctr",  "aes-192-ctr",  "aes-256-ctr",
      "aes-128-gcm", "aes-192-gcm", "aes-256-gcm", "camellia-128", "camellia-192", "camellia-256",
      "blowfish",    "twofish",     "3des",        "des",          "null"};
  return names;
}

const std::vector<std::string>& esp_auths() {
  static const std::vector<std::string> names{"sha256", "sha512", "sha1", "md5", "null"};
  return names;
}

bool is_weak_algorithm(std::string_view name) {
  static constexpr std::array<std::string_view, 7> weak{"des",     "3des",     "md5", "sha1",
                                                        "modp768", "modp1024", "null"};
  return std::find(weak.begin(), weak.end(), name) != weak.end();
}

bool is_aead(std::string_view esp_encryption) {
  return esp_encryption.size() > 4 && esp_encryption.substr(esp_encryption.size() - 4) == "-gcm";
}

} // namespace vpnaas::inventory
