#pragma once

#include <vpnaas/core/diagnostic.hpp>
#include <vpnaas/inventory/model.hpp>
#include <vpnaas/topology/lock_file.hpp>
#include <vpnaas/topology/tunnel.hpp>

#include <string>
#include <vector>

namespace vpnaas::topology {

// How one tunnel's allocation changed relative to the previous lock.
//  added:    a new tunnel took a free subnet (reason says when it is a reused retired one)
//  removed:  the tunnel left the inventory; its subnet is retired, kept for its return
//  moved:    the tunnel lost its subnet (reason) and took another
//  restored: a tunnel came back and got its retired subnet again
//  dropped:  a retired subnet was forgotten (reason: reused, unusable, pruned)
struct LockChange {
  enum class Kind { added, removed, moved, restored, dropped } kind = Kind::added;
  std::string tunnel_id;
  std::optional<Ipv4Prefix> before;
  std::optional<Ipv4Prefix> after;
  std::string reason;
};

const char* kind_name(LockChange::Kind kind);

struct Allocation {
  LockFile lock;                   // the lock the inventory needs now
  std::vector<LockChange> changes; // sorted by tunnel id; empty when up to date
};

// Gives every tunnel a /30 transit subnet from its customer's pool (or the
// global pool minus all customer slices). A tunnel keeps the subnet it has in
// `previous` (live or retired) whenever that subnet is still inside its pool
// and not taken by another tunnel or overlapping a LAN; new tunnels take the
// lowest free /30 in tunnel-id order, so the result depends only on the
// inventory and the lock, never on file or entry order. Subnets of tunnels
// that left are retired, not freed: new tunnels take them only when their pool
// has nothing else, the lowest first. A pool that runs out is reported in
// `diags` at the pool's location.
Allocation allocate(const inventory::Inventory& inv, const std::vector<Tunnel>& tunnels,
                    const LockFile& previous, Diagnostics& diags);

// The lock without its retired entries, and a `dropped` change for each.
Allocation prune_retired(const LockFile& lock);

// How many of `previous`'s live tunnels `allocation` removes.
std::size_t removed_count(const Allocation& allocation);

// The two host addresses of a /30: a takes .1, b takes .2.
struct TransitAddresses {
  Ipv4Address a;
  Ipv4Address b;
};
TransitAddresses transit_addresses(const Ipv4Prefix& subnet);

// "tunnel X: added 10.255.0.4/30" style lines for people.
std::string describe(const LockChange& change);

} // namespace vpnaas::topology
