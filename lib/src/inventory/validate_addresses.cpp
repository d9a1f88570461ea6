#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "validate_parts.hpp"

namespace vpnaas::inventory::detail {
namespace {

struct Network {
  Ipv4Prefix prefix;
  SourceLocation where;
  std::string label; // "lan of site brussels (customer acme)"
};

// Sweep over networks sorted by address: each one that starts inside an
// earlier one overlaps it. O(n log n), so a 500-site customer costs nothing.
void report_overlaps(std::vector<Network> networks, Diagnostics& diags) {
  std::sort(networks.begin(), networks.end(), [](const Network& a, const Network& b) {
    return std::tie(a.prefix, a.where) < std::tie(b.prefix, b.where);
  });
  const Network* widest = nullptr;
  for (const auto& n : networks) {
    if (widest != nullptr && n.prefix.network() <= widest->prefix.last()) {
      // Report at the entry written later, so the message points at the newer edit.
      const Network& later = widest->where < n.where ? n : *widest;
      const Network& earlier = widest->where < n.where ? *widest : n;
      diags.error(later.where, "overlap",
                  fmt::format("{} {} overlaps {} {} at {}", later.label, later.prefix.to_string(),
                              earlier.label, earlier.prefix.to_string(), to_string(earlier.where)),
                  "routed networks must not overlap; renumber one of them");
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
           fmt::format("lan of site {} (customer {})", site.name.value, customer.name.value)});
    }
  }
  return out;
}

std::vector<Network> cluster_networks(const Cluster& cluster) {
  std::vector<Network> out;
  for (const auto& n : cluster.networks) {
    out.push_back({n.value, n.where, fmt::format("network of cluster {}", cluster.name.value)});
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
    routed.push_back({range.value, range.where, "management range"});
  }

  std::vector<Network> pools{
      {inv.defaults.transit_pool.value, inv.defaults.transit_pool.where, "global transit-pool"}};
  std::uint64_t shared_tunnels = 0;
  std::uint64_t sliced = 0; // /30 slots of the global pool taken by customer slices
  for (const auto& customer : inv.customers) {
    if (!customer.transit_pool) {
      shared_tunnels += tunnel_count(inv, customer);
      continue;
    }
    const auto& pool = *customer.transit_pool;
    pools.push_back(
        {pool.value, pool.where, fmt::format("transit-pool of customer {}", customer.name.value)});
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

} // namespace

std::uint64_t tunnel_count(const Inventory& inv, const Customer& customer) {
  return inventory::tunnel_count(customer, inv.find_cluster(customer.cluster.value));
}

void validate_addresses(const Inventory& inv, Diagnostics& diags) {
  // LANs must be unique per cluster: all customers of a cluster are routed by
  // the same head-end routers.
  std::map<std::string, std::vector<Network>> per_cluster;
  for (const auto& customer : inv.customers) {
    auto n = customer_networks(customer);
    auto& bucket = per_cluster[customer.cluster.value];
    bucket.insert(bucket.end(), n.begin(), n.end());
  }
  for (auto& [name, networks] : per_cluster) {
    if (const Cluster* cluster = inv.find_cluster(name)) {
      auto n = cluster_networks(*cluster);
      networks.insert(networks.end(), n.begin(), n.end());
    }
    report_overlaps(std::move(networks), diags);
  }
  for (const auto& cluster : inv.clusters) {
    if (per_cluster.find(cluster.name.value) == per_cluster.end()) {
      report_overlaps(cluster_networks(cluster), diags);
    }
  }
  check_pools(inv, diags);
}

} // namespace vpnaas::inventory::detail
