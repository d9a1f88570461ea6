#pragma once

#include <string>
#include <string_view>

namespace vpnaas::secrets {

// A short, one-way name for a secret, for messages that must tell two keys
// apart without showing either: "sha256:" and the first 8 hex digits of the
// secret's SHA-256. Cannot fail.
std::string fingerprint(std::string_view secret);

} // namespace vpnaas::secrets
