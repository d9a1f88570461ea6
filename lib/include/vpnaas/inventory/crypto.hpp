#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace vpnaas::inventory {

// Algorithm names as RouterOS spells them (reference/routeros.md 1.2); the
// inventory uses the same names so nothing is translated on the way out.
const std::vector<std::string>& ike_encryptions(); // profile enc-algorithm
const std::vector<std::string>& ike_hashes();      // profile hash-algorithm
const std::vector<std::string>& dh_groups();       // profile dh-group, proposal pfs-group
const std::vector<std::string>& esp_encryptions(); // proposal enc-algorithms
const std::vector<std::string>& esp_auths();       // proposal auth-algorithms

// des, 3des, md5, sha1, modp768, modp1024 and null encryption: broken or too
// short for a network that must stay private for years.
bool is_weak_algorithm(std::string_view name);

// AEAD ciphers carry their own integrity, so ESP auth may be "null" with them.
bool is_aead(std::string_view esp_encryption);

} // namespace vpnaas::inventory
