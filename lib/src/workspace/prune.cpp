#include <vpnaas/topology/lock_file.hpp>
#include <vpnaas/workspace/prune.hpp>

namespace vpnaas {

Result<PruneResult> prune_retired_subnets(Workspace& ws, const std::filesystem::path& root,
                                          bool dry_run) {
  PruneResult result;
  topology::Allocation pruned = topology::prune_retired(ws.allocation.lock);
  result.dropped = std::move(pruned.changes);
  // Written also when nothing was retired but the allocation itself changed,
  // as every other command that opens the inventory would.
  const bool changed = !result.dropped.empty() || !ws.allocation.changes.empty();
  ws.allocation.lock = std::move(pruned.lock);
  if (changed && !dry_run) {
    if (auto written = topology::write_lock(root, ws.allocation.lock); !written) {
      return written.error();
    }
    result.written = true;
  }
  return result;
}

} // namespace vpnaas
