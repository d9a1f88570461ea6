#pragma once

#include <vpnaas/inventory/model.hpp>
#include <vpnaas/topology/tunnel.hpp>

namespace vpnaas::topology {

// What one tunnel runs, the same for both of its ends. Cluster routers are
// shared by many customers, so a site's own override (a lower MTU behind
// PPPoE, a different suite for an old box) must win over the cluster's
// defaults rather than conflict with them.
struct TunnelSettings {
  std::string crypto; // site-cluster: the site's; site-site: both agree (validated)
  int mtu = 1400;     // the smaller of the two ends, so neither end fragments
  bool ospf = true;   // OSPF only when both ends use it; otherwise static routes
  inventory::OspfSettings ospf_timers; // area, hello, dead as the site (site-site: a) has them
};

// Settings of `tunnel`, derived from both ends' device settings as above.
TunnelSettings tunnel_settings(const Tunnel& tunnel);

} // namespace vpnaas::topology
