#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "validate_parts.hpp"

namespace vpnaas::inventory::detail {
namespace {

struct Network {
  Ipv4Prefix prefix;
  SourceLocation where;
  std::string label;   // "lan of site brussels (customer acme)"
  bool shared = false; // a cluster network: reported against each customer, but once among its own
  std::string owner;   // the customer of a LAN
};

constexpr const char* kRenumber = "routed networks must not overlap; renumber one of them";

// Sweep over networks sorted by address: each one that starts inside an
// earlier one overlaps it. O(n log n), so a 500-site customer costs nothing.
// `between_customers` is the hint for LANs of two different customers.
void report_overlaps(std::vector<Network> networks, Diagnostics& diags,
                     const std::string& between_customers = kRenumber,
                     bool skip_shared_pairs = false) {
  std::sort(networks.begin(), networks.end(), [](const Network& a, const Network& b) {
    return std::tie(a.prefix, a.where) < std::tie(b.prefix, b.where);
  });
  const Network* widest = nullptr;
  for (const auto& n : networks) {
    bool both_shared = widest != nullptr && widest->shared && n.shared && skip_shared_pairs;
    if (widest != nullptr && n.prefix.network() <= widest->prefix.last() && !both_shared) {
      // Report at the entry written later, so the message points at the newer edit.
      const Network& later = widest->where < n.where ? n : *widest;
      const Network& earlier = widest->where < n.where ? *widest : n;
      bool customers = !later.shared && !earlier.shared && later.owner != earlier.owner;
      diags.error(later.where, "overlap",
                  fmt::format("{} {} overlaps {} {} at {}", later.label, later.prefix.to_string(),
                              earlier.label, earlier.prefix.to_string(), to_string(earlier.where)),
                  customers ? between_customers : kRenumber);
    }
    if (widest == nullptr || n.prefix.last() > widest->prefix.last()) {
      widest = &n;
    }
  }
}

std::vector<Network> customer_networks(const Customer& customer) {
  std::vector<Network> out;
  for (const auto& site : customer.sites) {
    for (const auto& lan : site.lan) {
      out.push_back(
          {lan.value, lan.where,
           fmt::format("lan of site {} (customer {})", site.name.value, customer.name.value), false,
           customer.name.value});
    }
  }
  return out;
}

std::vector<Network> cluster_networks(const Cluster& cluster) {
  std::vector<Network> out;
  for (const auto& n : cluster.networks) {
    out.push_back(
        {n.value, n.where, fmt::format("network of cluster {}", cluster.name.value), true, {}});
  }
  return out;
}

std::string fitting_length(std::uint64_t tunnels) {
  int length = 30;
  while (length > 0 && (std::uint64_t{1} << (32 - length)) / 4 < tunnels) {
    --length;
  }
  return fmt::format("/{}", length);
}

void check_pools(const Inventory& inv, Diagnostics& diags) {
  std::vector<Network> routed;
  for (const auto& cluster : inv.clusters) {
    auto n = cluster_networks(cluster);
    routed.insert(routed.end(), n.begin(), n.end());
  }
  for (const auto& customer : inv.customers) {
    auto n = customer_networks(customer);
    routed.insert(routed.end(), n.begin(), n.end());
  }
  for (const auto& range : inv.management.ranges) {
    routed.push_back({range.value, range.where, "management range", false, {}});
  }

  std::vector<Network> pools{{inv.defaults.transit_pool.value,
                              inv.defaults.transit_pool.where,
                              "global transit-pool",
                              false,
                              {}}};
  std::uint64_t shared_tunnels = 0;
  std::uint64_t sliced = 0; // /30 slots of the global pool taken by customer slices
  for (const auto& customer : inv.customers) {
    if (!customer.transit_pool) {
      shared_tunnels += tunnel_count(inv, customer);
      continue;
    }
    const auto& pool = *customer.transit_pool;
    pools.push_back({pool.value,
                     pool.where,
                     fmt::format("transit-pool of customer {}", customer.name.value),
                     false,
                     {}});
    std::uint64_t needed = tunnel_count(inv, customer);
    std::uint64_t capacity = pool.value.size() / 4;
    if (needed > capacity) {
      diags.error(pool.where, "pool-too-small",
                  fmt::format("transit-pool {} holds {} tunnels (a /30 each) but customer {} "
                              "needs {}",
                              pool.value.to_string(), capacity, customer.name.value, needed),
                  fmt::format("use a {} or larger", fitting_length(needed)));
    }
    if (inv.defaults.transit_pool.value.contains(pool.value)) {
      sliced += capacity;
    } else {
      diags.warning(pool.where, "pool-outside-global",
                    fmt::format("transit-pool {} of customer {} is outside the global "
                                "transit-pool {}",
                                pool.value.to_string(), customer.name.value,
                                inv.defaults.transit_pool.value.to_string()),
                    "keep customer pools inside the global pool so they cannot collide with "
                    "other address space");
    }
  }
  const auto& global = inv.defaults.transit_pool;
  std::uint64_t global_capacity = global.value.size() / 4;
  std::uint64_t free_capacity = global_capacity > sliced ? global_capacity - sliced : 0;
  if (shared_tunnels > free_capacity) {
    diags.error(global.where, "pool-too-small",
                fmt::format("transit-pool {} has room for {} tunnels (a /30 each) after customer "
                            "slices, but customers without their own pool need {}",
                            global.value.to_string(), free_capacity, shared_tunnels),
                fmt::format("use a {} or larger, or give large customers their own transit-pool",
                            fitting_length(shared_tunnels + sliced)));
  }

  // Customer slices must not overlap each other (the global pool contains them by design).
  std::vector<Network> slices(pools.begin() + 1, pools.end());
  report_overlaps(slices, diags);
  for (const auto& pool : pools) {
    for (const auto& net : routed) {
      if (pool.prefix.overlaps(net.prefix)) {
        diags.error(pool.where, "pool-overlap",
                    fmt::format("{} {} overlaps {} {} at {}", pool.label, pool.prefix.to_string(),
                                net.label, net.prefix.to_string(), to_string(net.where)),
                    "transit subnets must not collide with routed networks; choose a pool "
                    "outside them");
      }
    }
  }
}

// Why LANs of different customers may not overlap on a cluster that routes
// them in one table, and what the user can do about it.
std::string shared_table_hint(const Cluster& cluster) {
  for (const auto& device : cluster.devices) {
    if (device.settings.routeros.major < 7) {
      return fmt::format("cluster {} routes all its customers in one table: router {} runs "
                         "RouterOS 6, which has no VRFs; renumber one of them",
                         cluster.name.value, device.name.value);
    }
  }
  return fmt::format("cluster {} routes all its customers in one table (isolation: none); "
                     "renumber one of them, or set isolation: vrf on the cluster",
                     cluster.name.value);
}

void check_isolation(const Cluster& cluster, Diagnostics& diags) {
  if (cluster.isolation.value != Isolation::vrf) {
    return;
  }
  for (const auto& device : cluster.devices) {
    if (device.settings.routeros.major < 7) {
      diags.error(cluster.isolation.where, "isolation-needs-v7",
                  fmt::format("isolation: vrf needs RouterOS 7 on every router of cluster {}, "
                              "but {} runs RouterOS {}",
                              cluster.name.value, device.name.value,
                              device.settings.routeros.major),
                  "upgrade the router to RouterOS 7, or set isolation: none (then LANs of "
                  "different customers must not overlap)");
    }
  }
}

} // namespace

std::uint64_t tunnel_count(const Inventory& inv, const Customer& customer) {
  return inventory::tunnel_count(customer, inv.find_cluster(customer.cluster.value));
}

void validate_addresses(const Inventory& inv, Diagnostics& diags) {
  // A cluster without VRFs routes all its customers in one table, so their
  // LANs must be unique on it; with a VRF per customer only each customer's
  // own LANs and the cluster's networks (leaked into every VRF) must be.
  std::map<std::string, std::vector<const Customer*>> per_cluster;
  for (const auto& customer : inv.customers) {
    per_cluster[customer.cluster.value].push_back(&customer);
  }
  for (const auto& cluster : inv.clusters) {
    check_isolation(cluster, diags);
    auto shared = cluster_networks(cluster);
    auto it = per_cluster.find(cluster.name.value);
    if (it == per_cluster.end()) {
      report_overlaps(shared, diags);
      continue;
    }
    if (cluster.isolation.value == Isolation::vrf) {
      report_overlaps(shared, diags);
      for (const Customer* customer : it->second) {
        auto networks = customer_networks(*customer);
        networks.insert(networks.end(), shared.begin(), shared.end());
        report_overlaps(std::move(networks), diags, kRenumber, true);
      }
      continue;
    }
    std::vector<Network> all = shared;
    for (const Customer* customer : it->second) {
      auto networks = customer_networks(*customer);
      all.insert(all.end(), networks.begin(), networks.end());
    }
    report_overlaps(std::move(all), diags, shared_table_hint(cluster));
  }
  // Customers naming a cluster that does not exist: validate_names reports
  // that; their own LANs must still not overlap.
  for (const auto& [name, customers] : per_cluster) {
    if (inv.find_cluster(name) == nullptr) {
      for (const Customer* customer : customers) {
        report_overlaps(customer_networks(*customer), diags);
      }
    }
  }
  check_pools(inv, diags);
}

} // namespace vpnaas::inventory::detail
