#pragma once

#include <vpnaas/core/error.hpp>
#include <vpnaas/topology/allocation.hpp>
#include <vpnaas/workspace/workspace.hpp>

#include <filesystem>
#include <vector>

namespace vpnaas {

struct PruneResult {
  std::vector<topology::LockChange> dropped; // one `dropped` change per retired subnet
  bool written = false;
};

// Forgets the retired subnets of an opened, valid workspace's lock, so that
// their tunnels get fresh subnets if they ever return; writes `<root>/vpnaas.lock`
// unless `dry_run`. The workspace's lock is updated in memory either way.
Result<PruneResult> prune_retired_subnets(Workspace& ws, const std::filesystem::path& root,
                                          bool dry_run);

} // namespace vpnaas
