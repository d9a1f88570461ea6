#include <vpnaas/secrets/psk.hpp>
#include <vpnaas/topology/tunnel.hpp>
#include <vpnaas/workspace/tunnel_table.hpp>

#include <algorithm>

namespace vpnaas {

Result<std::vector<TunnelRow>> tunnel_rows(const Workspace& ws,
                                           const std::vector<std::string>& customers,
                                           const secrets::MasterKey* key) {
  std::vector<TunnelRow> rows;
  rows.reserve(ws.tunnels.size());
  for (const auto& tunnel : ws.tunnels) {
    const std::string& customer = tunnel.customer->name.value;
    if (!customers.empty() &&
        std::find(customers.begin(), customers.end(), customer) == customers.end()) {
      continue;
    }
    const Ipv4Prefix& subnet = ws.subnet_of(tunnel);
    auto hosts = topology::transit_addresses(subnet);
    TunnelRow row;
    row.customer = customer;
    row.id = tunnel.id;
    row.kind = tunnel.kind == topology::TunnelKind::site_to_site ? "site-site" : "site-cluster";
    row.a = {tunnel.a.id, tunnel.a.device->name.value, tunnel.a.device->public_ip.value, hosts.a};
    row.b = {tunnel.b.id, tunnel.b.device->name.value, tunnel.b.device->public_ip.value, hosts.b};
    row.subnet = subnet;
    if (key != nullptr) {
      auto psk = secrets::derive_psk(*key, tunnel.id, topology::psk_epoch_tag(tunnel));
      if (!psk) {
        return psk.error();
      }
      row.psk = *psk;
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

} // namespace vpnaas
