#include <vpnaas/core/join.hpp>
#include <vpnaas/inventory/loader.hpp>
#include <vpnaas/inventory/validate.hpp>
#include <vpnaas/topology/lock_file.hpp>
#include <vpnaas/workspace/workspace.hpp>

#include <fmt/format.h>

#include <set>

namespace vpnaas {
namespace {

Error lock_out_of_date(const std::filesystem::path& root,
                       const std::vector<topology::LockChange>& changes) {
  constexpr std::size_t kShown = 20;
  std::string list;
  for (std::size_t i = 0; i < changes.size() && i < kShown; ++i) {
    list += "\n  " + topology::describe(changes[i]);
  }
  if (changes.size() > kShown) {
    list += fmt::format("\n  ... and {} more", changes.size() - kShown);
  }
  return make_error(ErrorCode::lock_out_of_date,
                    fmt::format("{} is out of date ({} change{}):{}",
                                (root / topology::kLockFileName).generic_string(), changes.size(),
                                changes.size() == 1 ? "" : "s", list),
                    "run `vpnaas inventory validate` without --locked and commit vpnaas.lock");
}

// The endpoints ("acme/brussels") of the tunnels that would go, for the message.
std::string leaving_endpoints(const std::vector<topology::LockChange>& changes) {
  std::set<std::string> endpoints;
  for (const auto& c : changes) {
    if (c.kind == topology::LockChange::Kind::removed) {
      const auto tilde = c.tunnel_id.find('~');
      endpoints.insert(c.tunnel_id.substr(0, tilde));
      if (tilde != std::string::npos) {
        endpoints.insert(c.tunnel_id.substr(tilde + 1));
      }
    }
  }
  return join_first({endpoints.begin(), endpoints.end()}, 8);
}

void check_mass_removal(const std::filesystem::path& root, const topology::LockFile& previous,
                        const topology::Allocation& allocation, Diagnostics& diags) {
  const std::size_t removed = topology::removed_count(allocation);
  const auto recorded = previous.tunnels.size();
  if (removed == 0 || removed * 100 <= kMassRemovalPercent * recorded) {
    return;
  }
  diags.error(
      SourceLocation{(root / topology::kLockFileName).generic_string(), 0, 0}, "mass-removal",
      fmt::format("the inventory would remove {} of the {} tunnels that vpnaas.lock "
                  "records (more than {}%), the tunnels of {}; nothing was written",
                  removed, recorded, kMassRemovalPercent, leaving_endpoints(allocation.changes)),
      "if that is meant, run again with --allow-mass-removal; if not, check that "
      "--inventory names the right folder and that customers/ holds every customer "
      "file (a sparse or partial checkout)");
}

} // namespace

const Ipv4Prefix& Workspace::subnet_of(const topology::Tunnel& tunnel) const {
  return allocation.lock.tunnels.at(tunnel.id);
}

Result<std::unique_ptr<Workspace>> open_workspace(const WorkspaceOptions& options) {
  auto ws = std::make_unique<Workspace>();
  Diagnostics& diags = ws->diagnostics;
  auto inv = options.files ? inventory::load_inventory_from(options.root, *options.files, diags)
                           : inventory::load_inventory(options.root, diags);
  if (!inv) {
    return ws;
  }
  ws->inventory = std::move(*inv);
  inventory::validate_inventory(ws->inventory, diags);
  if (diags.has_errors()) {
    return ws;
  }

  ws->tunnels = topology::build_tunnels(ws->inventory);
  topology::LockFile previous;
  if (options.files) {
    auto it = options.files->find(topology::kLockFileName);
    if (it != options.files->end()) {
      previous = topology::parse_lock(
          it->second, (options.root / topology::kLockFileName).generic_string(), diags);
    }
  } else {
    previous = topology::read_lock(options.root, diags);
  }
  if (diags.has_errors()) {
    return ws;
  }
  ws->allocation = topology::allocate(ws->inventory, ws->tunnels, previous, diags);
  if (!options.allow_mass_removal) {
    check_mass_removal(options.root, previous, ws->allocation, diags);
  }
  if (diags.has_errors() || ws->allocation.changes.empty()) {
    return ws;
  }
  if (options.locked) {
    return lock_out_of_date(options.root, ws->allocation.changes);
  }
  if (options.write_lock && !options.files) {
    if (auto written = topology::write_lock(options.root, ws->allocation.lock); !written) {
      return written.error();
    }
    ws->lock_written = true;
  }
  return ws;
}

} // namespace vpnaas
