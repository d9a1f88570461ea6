#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <sstream>
#include <string_view>

#include "load_parts.hpp"

namespace vpnaas::inventory::detail {
namespace {

// The host key types OpenSSH writes into known_hosts.
constexpr std::array<std::string_view, 8> kKeyTypes{"ssh-ed25519",
                                                    "ssh-rsa",
                                                    "ecdsa-sha2-nistp256",
                                                    "ecdsa-sha2-nistp384",
                                                    "ecdsa-sha2-nistp521",
                                                    "ssh-dss",
                                                    "sk-ssh-ed25519@openssh.com",
                                                    "sk-ecdsa-sha2-nistp256@openssh.com"};

bool is_base64(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
           c == '/' || c == '=';
  });
}

} // namespace

PinnedKnownHosts load_known_hosts(const std::string& where, const std::string& text,
                                  Diagnostics& diags) {
  // A line the SSH layer cannot read would pin nothing: every entry is checked
  // here so that a typo is an inventory error, not a silently unpinned host.
  std::istringstream in(text);
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    std::istringstream words(line);
    std::vector<std::string> fields;
    for (std::string word; words >> word;) {
      fields.push_back(word);
    }
    if (fields.empty() || fields.front().front() == '#') {
      continue;
    }
    const SourceLocation at{where, number, 0};
    if (fields.front().front() == '@') {
      diags.error(at, "known-hosts-marker",
                  fmt::format("known_hosts marker {} is not supported", fields.front()),
                  "pin each router's own key: `vpnaas device host-key NAME` prints it");
      continue;
    }
    if (fields.size() < 3) {
      diags.error(at, "known-hosts-syntax",
                  "a known_hosts line needs host names, a key type and a key",
                  "copy the line as `ssh-keyscan -p PORT HOST` prints it, or pin the "
                  "fingerprint with host-key: on the device's ssh: block instead");
      continue;
    }
    if (std::find(kKeyTypes.begin(), kKeyTypes.end(), fields[1]) == kKeyTypes.end()) {
      diags.error(at, "known-hosts-syntax",
                  fmt::format("known_hosts key type \"{}\" is not known", fields[1]),
                  "the second field names the key type, e.g. ssh-ed25519 or ssh-rsa");
      continue;
    }
    if (!is_base64(fields[2])) {
      diags.error(at, "known-hosts-syntax", "the known_hosts key is not base64 text",
                  "copy the line as `ssh-keyscan -p PORT HOST` prints it");
    }
  }
  return PinnedKnownHosts{where, text};
}

} // namespace vpnaas::inventory::detail
