#pragma once

#include <vpnaas/core/diagnostic.hpp>
#include <vpnaas/inventory/model.hpp>
#include <vpnaas/topology/lock_file.hpp>
#include <vpnaas/topology/tunnel.hpp>

#include <string>
#include <vector>

namespace vpnaas::topology {

// How one tunnel's allocation changed relative to the previous lock.
struct LockChange {
  enum class Kind { added, removed, moved } kind = Kind::added;
  std::string tunnel_id;
  std::optional<Ipv4Prefix> before;
  std::optional<Ipv4Prefix> after;
  std::string reason; // for `moved`: why the old subnet could not be kept
};

struct Allocation {
  LockFile lock;                   // the lock the inventory needs now
  std::vector<LockChange> changes; // sorted by tunnel id; empty when up to date
};

// Gives every tunnel a /30 transit subnet from its customer's pool (or the
// global pool minus all customer slices). A tunnel keeps the subnet it has in
// `previous` whenever that subnet is still inside its pool and not taken by
// another tunnel or overlapping a LAN; new tunnels take the lowest free /30 in
// tunnel-id order, so the result depends only on the inventory and the lock,
// never on file or entry order. A pool that runs out is reported in `diags`
// at the pool's location.
Allocation allocate(const inventory::Inventory& inv, const std::vector<Tunnel>& tunnels,
                    const LockFile& previous, Diagnostics& diags);

// The two host addresses of a /30: a takes .1, b takes .2.
struct TransitAddresses {
  Ipv4Address a;
  Ipv4Address b;
};
TransitAddresses transit_addresses(const Ipv4Prefix& subnet);

// "tunnel X: added 10.255.0.4/30" style lines for people.
std::string describe(const LockChange& change);

} // namespace vpnaas::topology
