#pragma once

#include <vpnaas/core/diagnostic.hpp>
#include <vpnaas/core/error.hpp>
#include <vpnaas/net/ipv4.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace vpnaas::topology {

// What must not move when the inventory changes, as recorded in
// `inventory/vpnaas.lock`: each tunnel's transit subnet, keyed by tunnel id.
// `retired` keeps the subnets of tunnels that left the inventory, so that a
// tunnel which comes back (a file restored, a sparse checkout fixed) gets its
// old subnet again instead of one that reconfigures its routers.
struct LockFile {
  int version = 1;
  std::map<std::string, Ipv4Prefix> tunnels;
  std::map<std::string, Ipv4Prefix> retired;
  bool operator==(const LockFile&) const = default;
};

inline constexpr const char* kLockFileName = "vpnaas.lock";

// Parses lock text; problems (bad syntax, bad prefixes, duplicate ids) go to
// `diags` with their line. `display_path` is used in messages only.
LockFile parse_lock(const std::string& text, const std::string& display_path, Diagnostics& diags);

// Reads `<root>/vpnaas.lock`; a missing file is an empty lock, not an error.
LockFile read_lock(const std::filesystem::path& root, Diagnostics& diags);

// Human-readable, sorted, one tunnel per line, so git diffs show exactly the
// tunnels that came and went. A lock with retired entries is version 2, so a
// vpnaas that predates them refuses it by version instead of by syntax; one
// without stays version 1, byte for byte what older releases wrote.
std::string render_lock(const LockFile& lock);

// Writes `<root>/vpnaas.lock` through a temporary file and rename, so a crash
// never leaves a truncated lock. Fails with an io error naming the path.
Status write_lock(const std::filesystem::path& root, const LockFile& lock);

} // namespace vpnaas::topology
