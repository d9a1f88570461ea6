#pragma once

#include <vpnaas/core/diagnostic.hpp>
#include <vpnaas/core/error.hpp>
#include <vpnaas/inventory/model.hpp>
#include <vpnaas/topology/allocation.hpp>
#include <vpnaas/topology/tunnel.hpp>

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace vpnaas {

struct WorkspaceOptions {
  std::filesystem::path root; // the inventory folder
  // Files to read instead of the folder (e.g. as committed at a git revision):
  // path relative to root -> content. The lock is then read from these files
  // and never written.
  std::optional<std::map<std::string, std::string>> files;
  bool locked = false;    // fail with lock_out_of_date if the lock would change
  bool write_lock = true; // write an updated lock (ignored with `files` or `locked`)
  // Removing more than half of the lock's tunnels at once is an inventory
  // error unless allowed: an empty customers/ folder (a sparse checkout, a
  // typo in --inventory) must not turn into configurations that tear down
  // every tunnel.
  bool allow_mass_removal = false;
};

// The percentage of a lock's live tunnels above which removal needs allow_mass_removal.
inline constexpr std::size_t kMassRemovalPercent = 50;

// An inventory loaded, validated, expanded into tunnels and allocated: what
// every command that reads the inventory starts from. Tunnels point into
// `inventory`, so a Workspace is not copyable or movable (held by unique_ptr).
struct Workspace {
  inventory::Inventory inventory;
  std::vector<topology::Tunnel> tunnels;
  topology::Allocation allocation;
  Diagnostics diagnostics;
  bool lock_written = false;

  Workspace() = default;
  Workspace(const Workspace&) = delete;
  Workspace& operator=(const Workspace&) = delete;

  bool valid() const { return !diagnostics.has_errors(); }
  // Transit subnet of a tunnel; only meaningful when valid().
  const Ipv4Prefix& subnet_of(const topology::Tunnel& tunnel) const;
};

// Loads, validates, builds tunnels and allocates. Inventory mistakes,
// including an unusable folder, are in the returned workspace's diagnostics
// (then tunnels and allocation are empty); an Error is returned only when
// `locked` is set and the lock would change (lock_out_of_date, message listing
// the changes) or when writing the lock fails (io).
Result<std::unique_ptr<Workspace>> open_workspace(const WorkspaceOptions& options);

} // namespace vpnaas
