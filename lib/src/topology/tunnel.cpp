#include <vpnaas/topology/tunnel.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <string_view>
#include <unordered_map>

namespace vpnaas::topology {
namespace {

using inventory::Cluster;
using inventory::Customer;
using inventory::Device;
using inventory::Site;

std::string tunnel_id(std::string_view a, std::string_view b) {
  std::string id;
  id.reserve(a.size() + 1 + b.size());
  id.append(a).append(1, '~').append(b);
  return id;
}

// One endpoint per router of the site. The primary (or only) router keeps the
// site's id; a backup router's id adds its name after '+', which no name may
// contain, so turning a site into an HA site keeps every existing tunnel.
std::vector<Endpoint> site_endpoints(const Customer& customer, const Site& site) {
  std::vector<Endpoint> out{Endpoint{site_endpoint_id(customer.name.value, site.name.value),
                                     &site.device, &site, nullptr}};
  if (site.backup) {
    out.push_back(
        Endpoint{backup_endpoint_id(customer.name.value, site.name.value, site.backup->name.value),
                 &*site.backup, &site, nullptr});
  }
  return out;
}

Endpoint cluster_endpoint(const Cluster& cluster, const Device& device) {
  return Endpoint{cluster_endpoint_id(cluster.name.value, device.name.value), &device, nullptr,
                  &cluster};
}

Tunnel make_tunnel(const Customer& customer, TunnelKind kind, Endpoint x, Endpoint y) {
  if (y.id < x.id) {
    std::swap(x, y);
  }
  Tunnel t;
  t.id = tunnel_id(x.id, y.id);
  t.customer = &customer;
  t.kind = kind;
  t.a = std::move(x);
  t.b = std::move(y);
  return t;
}

// Turns one name of a `tunnels:` entry into an endpoint id. Users write bare
// names ("brussels", "dc1-r1"); a full id ("acme/brussels") is accepted too.
// A bare name that is both a site and a cluster device means the site, the
// nearer scope; validation reports names that match nothing.
std::string resolve_override_name(const Customer& customer, const Cluster* cluster,
                                  std::string_view name) {
  if (name.find('/') != std::string_view::npos) {
    return std::string(name);
  }
  for (const Site& site : customer.sites) {
    if (site.name.value == name) {
      return site_endpoint_id(customer.name.value, name);
    }
    if (site.backup && site.backup->name.value == name) {
      return backup_endpoint_id(customer.name.value, site.name.value, name);
    }
  }
  if (cluster != nullptr) {
    for (const Device& device : cluster->devices) {
      if (device.name.value == name) {
        return cluster_endpoint_id(cluster->name.value, name);
      }
    }
  }
  return {};
}

// Tunnel id -> epoch from the customer's `tunnels:` list. When two entries
// name the same tunnel the larger epoch wins, so a rotation is never undone
// by an older duplicate (validation reports the conflict).
std::unordered_map<std::string, int> override_epochs(const Customer& customer,
                                                     const Cluster* cluster) {
  std::unordered_map<std::string, int> epochs;
  for (const auto& entry : customer.tunnels) {
    std::string x = resolve_override_name(customer, cluster, entry.a.value);
    std::string y = resolve_override_name(customer, cluster, entry.b.value);
    if (x.empty() || y.empty() || x == y) {
      continue;
    }
    if (y < x) {
      std::swap(x, y);
    }
    int& epoch = epochs[tunnel_id(x, y)];
    epoch = std::max(epoch, entry.psk_epoch);
  }
  return epochs;
}

void add_customer_tunnels(const Customer& customer, const Cluster* cluster,
                          std::vector<Tunnel>& out) {
  const std::size_t first = out.size();
  std::vector<Endpoint> sites;
  sites.reserve(customer.sites.size());
  for (const Site& site : customer.sites) {
    for (Endpoint& end : site_endpoints(customer, site)) {
      sites.push_back(std::move(end));
    }
  }
  if (customer.topology == inventory::Topology::full_mesh) {
    // Every router of a site to every router of every other site; the two
    // routers of one HA site share a LAN and need no tunnel between them.
    for (std::size_t i = 0; i < sites.size(); ++i) {
      for (std::size_t j = i + 1; j < sites.size(); ++j) {
        if (sites[i].site != sites[j].site) {
          out.push_back(make_tunnel(customer, TunnelKind::site_to_site, sites[i], sites[j]));
        }
      }
    }
  }
  if (cluster != nullptr) {
    for (const Endpoint& site : sites) {
      for (const Device& device : cluster->devices) {
        out.push_back(make_tunnel(customer, TunnelKind::site_to_cluster, site,
                                  cluster_endpoint(*cluster, device)));
      }
    }
  }
  if (customer.tunnels.empty()) {
    return;
  }
  const auto epochs = override_epochs(customer, cluster);
  for (std::size_t i = first; i < out.size(); ++i) {
    if (auto it = epochs.find(out[i].id); it != epochs.end()) {
      out[i].psk_epoch = it->second;
    }
  }
}

} // namespace

int Endpoint::psk_epoch() const {
  if (site != nullptr) {
    // Site and site-device epochs both count, so neither is silently ignored.
    return site->psk_epoch + (device != nullptr ? device->psk_epoch : 0);
  }
  return device != nullptr ? device->psk_epoch : 0;
}

std::vector<Tunnel> build_tunnels(const inventory::Inventory& inv) {
  std::size_t expected = 0;
  for (const Customer& customer : inv.customers) {
    expected += inventory::tunnel_count(customer, inv.find_cluster(customer.cluster.value));
  }

  std::vector<Tunnel> tunnels;
  tunnels.reserve(expected);
  for (const Customer& customer : inv.customers) {
    add_customer_tunnels(customer, inv.find_cluster(customer.cluster.value), tunnels);
  }
  std::sort(tunnels.begin(), tunnels.end(),
            [](const Tunnel& x, const Tunnel& y) { return x.id < y.id; });
  return tunnels;
}

std::string site_endpoint_id(std::string_view customer, std::string_view site) {
  std::string id;
  id.reserve(customer.size() + 1 + site.size());
  id.append(customer).append(1, '/').append(site);
  return id;
}

std::string cluster_endpoint_id(std::string_view cluster, std::string_view device) {
  return site_endpoint_id(cluster, device);
}

std::string backup_endpoint_id(std::string_view customer, std::string_view site,
                               std::string_view device) {
  std::string id = site_endpoint_id(customer, site);
  id.append(1, '+').append(device);
  return id;
}

std::string psk_epoch_tag(const Tunnel& tunnel) {
  return fmt::format("t{}.a{}.b{}", tunnel.psk_epoch, tunnel.a.psk_epoch(), tunnel.b.psk_epoch());
}

} // namespace vpnaas::topology
