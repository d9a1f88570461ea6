#pragma once

#include <vpnaas/inventory/model.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace vpnaas::topology {

// One end of a tunnel. `id` is stable across router swaps and file reordering:
// "<customer>/<site>" for a site ("<customer>/<site>+<device>" for the backup
// router of an HA site), "<cluster>/<device>" for a cluster router
// (validation forbids a customer and a cluster sharing a name).
struct Endpoint {
  std::string id;
  const inventory::Device* device = nullptr;
  const inventory::Site* site = nullptr;       // null for a cluster router
  const inventory::Cluster* cluster = nullptr; // null for a site
  int psk_epoch() const; // site + site-device epoch, or the cluster router's own
};

enum class TunnelKind { site_to_site, site_to_cluster };

// A GRE-over-IPsec link between two ends. `a` is the end whose id sorts first
// (for site-to-cluster tunnels that is whichever sorts first too); `a` takes
// the first host address of the transit subnet, `b` the second.
struct Tunnel {
  std::string id; // "<a.id>~<b.id>"
  const inventory::Customer* customer = nullptr;
  TunnelKind kind = TunnelKind::site_to_site;
  Endpoint a;
  Endpoint b;
  int psk_epoch = 0; // from the customer's `tunnels:` list, 0 when absent
};

// Every tunnel the inventory asks for, sorted by id: the full mesh between
// each customer's sites (unless hub-and-spoke) plus every site to every device
// of its cluster. Customers naming an unknown cluster contribute only their
// site-to-site tunnels. Pointers refer into `inv`, which must outlive the result.
std::vector<Tunnel> build_tunnels(const inventory::Inventory& inv);

// The epoch string that goes into a tunnel's key derivation
// (secrets::derive_psk): the tunnel's own epoch and both ends' epochs, so
// bumping any one rotates exactly the tunnels it covers. "t3.a2.b1".
std::string psk_epoch_tag(const Tunnel& tunnel);

// "<customer>/<site>" and "<cluster>/<device>".
std::string site_endpoint_id(std::string_view customer, std::string_view site);
std::string cluster_endpoint_id(std::string_view cluster, std::string_view device);
// The backup router of an HA site: "<customer>/<site>+<device>" (the primary
// keeps the site's id).
std::string backup_endpoint_id(std::string_view customer, std::string_view site,
                               std::string_view device);

} // namespace vpnaas::topology
