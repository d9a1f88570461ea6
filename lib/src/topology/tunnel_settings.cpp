#include <vpnaas/topology/tunnel_settings.hpp>

#include <algorithm>

namespace vpnaas::topology {

TunnelSettings tunnel_settings(const Tunnel& tunnel) {
  const auto& a = tunnel.a.device->settings;
  const auto& b = tunnel.b.device->settings;
  // For site-cluster tunnels the site's settings lead; for site-site tunnels
  // validation guarantees that both ends agree, so either end will do.
  const auto& lead = tunnel.a.site != nullptr ? a : b;
  TunnelSettings s;
  s.crypto = lead.crypto;
  s.mtu = std::min(a.mtu, b.mtu);
  s.ospf = a.routing == inventory::RoutingMode::ospf && b.routing == inventory::RoutingMode::ospf;
  s.ospf_timers = lead.ospf;
  return s;
}

} // namespace vpnaas::topology
