#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace vpnaas::routeros {

// A RouterOS release: 7.12 is {7, 12, 0}, 6.49.6 is {6, 49, 6}.
struct Version {
  int major = 7;
  int minor = 0;
  int patch = 0;
  auto operator<=>(const Version&) const = default;
};

// "7", "7.12", "6.49.6" (and "7.0"); nullopt for anything else. A plain
// major parses as {major, 0, 0}: use oldest_supported() for what that means to
// vpnaas.
std::optional<Version> parse_version(std::string_view text);

// "7.12", "6.49.6": the patch is written only when it is not 0.
std::string to_string(const Version& v);

// The oldest release vpnaas supports for a major version (6 or 7); a device
// that states only its major version is rendered for this release. The
// reasons are in README ("Supported RouterOS versions").
Version oldest_supported(int major);

// True when `v` is a release vpnaas renders for: major 6 or 7, not older than
// oldest_supported(major).
bool is_supported(const Version& v);

// The release a generated script says it needs, from its header comment
// "# Needs RouterOS 7.1 or later"; nullopt when the script has no such line
// among its leading comment lines.
std::optional<Version> declared_minimum(std::string_view script);

// The header line declared_minimum() reads, without the "# ".
std::string minimum_line(const Version& v);

} // namespace vpnaas::routeros
