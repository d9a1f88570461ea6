#include <vpnaas/topology/allocation.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <numeric>
#include <unordered_map>
#include <utility>

#include "transit_pool.hpp"

namespace vpnaas::topology {
namespace {

using detail::ReservedRanges;
using detail::TransitPool;

struct PoolState {
  explicit PoolState(TransitPool p) : pool(std::move(p)) {}

  TransitPool pool;
  std::size_t tunnels = 0;              // tunnels that draw from this pool
  std::size_t unallocated = 0;          // of those, how many found no free /30
  std::vector<std::size_t> overlapping; // other pools sharing addresses (a validation error)
};

// Every pool of the inventory: [0] is the global pool, then one per customer
// with a transit-pool of its own, in customer (name) order.
class Pools {
public:
  explicit Pools(const inventory::Inventory& inv) {
    for (const auto& customer : inv.customers) {
      for (const auto& site : customer.sites) {
        for (const auto& lan : site.lan) {
          m_networks.add(lan.value, fmt::format("the LAN {} of site {}/{}", lan.value.to_string(),
                                                customer.name.value, site.name.value));
        }
      }
      if (customer.transit_pool) {
        m_customer_pools.add(customer.transit_pool->value,
                             fmt::format("the transit pool {} of customer {}",
                                         customer.transit_pool->value.to_string(),
                                         customer.name.value));
      }
    }
    for (const auto& cluster : inv.clusters) {
      for (const auto& network : cluster.networks) {
        m_networks.add(network.value, fmt::format("the network {} of cluster {}",
                                                  network.value.to_string(), cluster.name.value));
      }
    }
    for (const auto& range : inv.management.ranges) {
      m_networks.add(range.value, fmt::format("the management range {}", range.value.to_string()));
    }
    m_networks.finish();
    m_customer_pools.finish();

    SourceLocation global_where = inv.defaults.transit_pool.where;
    if (!global_where.known()) {
      global_where.file = (inv.root / "vpnaas.yaml").string(); // the built-in default applies
    }
    const Ipv4Prefix& global = inv.defaults.transit_pool.value;
    add_pool(global, std::move(global_where),
             fmt::format("the global transit pool {}", global.to_string()),
             {&m_networks, &m_customer_pools});
    for (const auto& customer : inv.customers) {
      if (customer.transit_pool) {
        m_by_customer.emplace(&customer, m_pools.size());
        add_pool(customer.transit_pool->value, customer.transit_pool->where,
                 fmt::format("the transit pool {} of customer {}",
                             customer.transit_pool->value.to_string(), customer.name.value),
                 {&m_networks});
      }
    }
    link_overlapping_pools();
  }

  Pools(const Pools&) = delete; // pools point at the reserved ranges above
  Pools& operator=(const Pools&) = delete;

  std::size_t index_of(const inventory::Customer* customer) const {
    auto it = m_by_customer.find(customer);
    return it == m_by_customer.end() ? 0 : it->second;
  }
  PoolState& operator[](std::size_t i) { return m_pools[i]; }
  std::vector<PoolState>& all() { return m_pools; }

  // Marks `subnet` used in pool `i` and in any pool overlapping it, so two
  // customers whose pools overlap never get the same /30.
  void take(std::size_t i, const Ipv4Prefix& subnet) {
    m_pools[i].pool.take(subnet);
    take_in_overlapping(i, subnet);
  }

  // The lowest free /30 of pool `i`, marked used everywhere; nullopt when full.
  std::optional<Ipv4Prefix> take_lowest_free(std::size_t i) {
    auto subnet = m_pools[i].pool.take_lowest_free();
    if (subnet) {
      take_in_overlapping(i, *subnet);
    }
    return subnet;
  }

private:
  void take_in_overlapping(std::size_t i, const Ipv4Prefix& subnet) {
    for (std::size_t other : m_pools[i].overlapping) {
      if (m_pools[other].pool.prefix().contains(subnet)) {
        m_pools[other].pool.take(subnet);
      }
    }
  }

  void add_pool(const Ipv4Prefix& prefix, SourceLocation where, std::string label,
                std::vector<const ReservedRanges*> reserved) {
    m_pools.emplace_back(
        TransitPool(prefix, std::move(where), std::move(label), std::move(reserved)));
  }

  // Customer pools are CIDR blocks, so two overlap only by nesting; sorted by
  // first address, each pool meets only the few that start inside it.
  void link_overlapping_pools() {
    std::vector<std::size_t> order(m_pools.size() - 1);
    std::iota(order.begin(), order.end(), std::size_t{1});
    std::sort(order.begin(), order.end(), [this](std::size_t x, std::size_t y) {
      return m_pools[x].pool.prefix() < m_pools[y].pool.prefix();
    });
    for (std::size_t i = 0; i < order.size(); ++i) {
      const Ipv4Prefix& outer = m_pools[order[i]].pool.prefix();
      for (std::size_t j = i + 1; j < order.size(); ++j) {
        if (!outer.overlaps(m_pools[order[j]].pool.prefix())) {
          break;
        }
        m_pools[order[i]].overlapping.push_back(order[j]);
        m_pools[order[j]].overlapping.push_back(order[i]);
      }
    }
  }

  ReservedRanges m_networks;       // LANs, cluster networks, management ranges
  ReservedRanges m_customer_pools; // carved out of the global pool
  std::vector<PoolState> m_pools;
  std::unordered_map<const inventory::Customer*, std::size_t> m_by_customer;
};

// A tunnel that needs a new subnet, with what it had before and why it lost it.
struct Pending {
  std::size_t tunnel;
  std::optional<Ipv4Prefix> before; // set when the tunnel had a live subnet: a move
  std::string reason;
};

// A subnet kept for a tunnel that left, reserved in the pool that holds it.
struct RetiredSlot {
  Ipv4Prefix subnet;
  std::string id;
};

// The smallest prefix length (largest pool) holding `slots` /30 subnets.
int length_for(std::uint64_t slots) {
  int length = 30;
  while (length > 0 && (std::uint64_t{1} << (30 - length)) < slots) {
    --length;
  }
  return length;
}

void report_exhausted(const PoolState& state, bool global, Diagnostics& diags) {
  const TransitPool& pool = state.pool;
  const std::uint64_t usable = pool.usable_slot_count();
  const std::uint64_t blocked = pool.slot_count() - usable;
  std::string room = fmt::format("holds {} /30 subnets", pool.slot_count());
  if (blocked > 0) {
    room += fmt::format(" ({} usable; the rest overlap LANs, cluster networks, management "
                        "ranges or other transit pools)",
                        usable);
  }
  const int length = length_for(state.tunnels + blocked);
  const std::string bigger =
      fmt::format("a /{} holds {} /30 subnets", length, std::uint64_t{1} << (30 - length));
  if (global) {
    diags.error(pool.where(), "transit-pool-exhausted",
                fmt::format("{} {}, but the {} tunnels of customers without a transit-pool of "
                            "their own need one each",
                            pool.label(), room, state.tunnels),
                fmt::format("give defaults.transit-pool a shorter prefix ({}), or give large "
                            "customers a transit-pool of their own",
                            bigger));
  } else {
    diags.error(
        pool.where(), "transit-pool-exhausted",
        fmt::format("{} {}, but its {} tunnels need one each", pool.label(), room, state.tunnels),
        fmt::format("give this transit-pool a shorter prefix ({})", bigger));
  }
}

std::vector<std::size_t> id_order(const std::vector<Tunnel>& tunnels) {
  std::vector<std::size_t> order(tunnels.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  auto by_id = [&tunnels](std::size_t x, std::size_t y) { return tunnels[x].id < tunnels[y].id; };
  if (!std::is_sorted(order.begin(), order.end(), by_id)) {
    std::stable_sort(order.begin(), order.end(), by_id);
  }
  return order;
}

// The pool a retired subnet belongs to: the customer pool holding it, else the
// global pool; nullopt when it lies outside all of them.
std::optional<std::size_t> pool_holding(Pools& pools, const Ipv4Prefix& subnet) {
  for (std::size_t i = 1; i < pools.all().size(); ++i) {
    if (pools[i].pool.prefix().contains(subnet)) {
      return i;
    }
  }
  if (pools[0].pool.prefix().contains(subnet)) {
    return 0;
  }
  return std::nullopt;
}

// Whether `id` is a tunnel of the inventory; `order` sorts `tunnels` by id.
bool is_current(const std::vector<Tunnel>& tunnels, const std::vector<std::size_t>& order,
                const std::string& id) {
  auto it = std::lower_bound(
      order.begin(), order.end(), id,
      [&tunnels](std::size_t t, const std::string& x) { return tunnels[t].id < x; });
  return it != order.end() && tunnels[*it].id == id;
}

void sort_by_tunnel(std::vector<LockChange>& changes, std::ptrdiff_t sorted_prefix) {
  auto by_id = [](const LockChange& x, const LockChange& y) { return x.tunnel_id < y.tunnel_id; };
  std::stable_sort(changes.begin() + sorted_prefix, changes.end(), by_id);
  std::inplace_merge(changes.begin(), changes.begin() + sorted_prefix, changes.end(), by_id);
}

} // namespace

const char* kind_name(LockChange::Kind kind) {
  switch (kind) {
  case LockChange::Kind::added:
    return "added";
  case LockChange::Kind::removed:
    return "removed";
  case LockChange::Kind::moved:
    return "moved";
  case LockChange::Kind::restored:
    return "restored";
  case LockChange::Kind::dropped:
    return "dropped";
  }
  return "?";
}

Allocation allocate(const inventory::Inventory& inv, const std::vector<Tunnel>& tunnels,
                    const LockFile& previous, Diagnostics& diags) {
  Pools pools(inv);
  Allocation result;
  std::vector<std::optional<Ipv4Prefix>> assigned(tunnels.size());
  std::vector<std::size_t> pool_of(tunnels.size());
  std::vector<Pending> pending;
  std::vector<RetiredSlot> leaving; // live tunnels of the lock that left, in id order
  const std::vector<std::size_t> order = id_order(tunnels);
  pending.reserve(tunnels.size()); // untouched capacity costs no memory until used
  // Changes come in runs sorted by tunnel id, merged at the end: pass 1 (removed,
  // restored), pass 2 (added, moved), then retired bookkeeping (dropped).
  std::vector<LockChange>& changes = result.changes;

  // Pass 1, in tunnel-id order so that the first claimant of a duplicated
  // subnet keeps it: keep every recorded subnet (live or retired) still valid.
  auto old = previous.tunnels.begin();
  const std::string* last_id = nullptr;
  auto leave = [&](auto it) {
    changes.push_back({LockChange::Kind::removed, it->first, it->second, {}, {}});
    leaving.push_back({it->second, it->first});
  };
  for (std::size_t t : order) {
    const std::string& id = tunnels[t].id;
    if (last_id != nullptr && *last_id == id) {
      continue; // a duplicated name already reported by validation: allocate once
    }
    last_id = &id;
    for (; old != previous.tunnels.end() && old->first < id; ++old) {
      leave(old);
    }
    const std::size_t p = pools.index_of(tunnels[t].customer);
    pool_of[t] = p;
    ++pools[p].tunnels;
    std::optional<Ipv4Prefix> recorded;
    bool from_retired = false;
    if (old != previous.tunnels.end() && old->first == id) {
      recorded = (old++)->second;
    } else if (auto r = previous.retired.find(id); r != previous.retired.end()) {
      recorded = r->second;
      from_retired = true;
    }
    if (!recorded) {
      pending.push_back({t, std::nullopt, {}});
      continue;
    }
    const Ipv4Prefix subnet = *recorded;
    std::optional<std::string> reason = pools[p].pool.unusable_reason(subnet);
    if (!reason && pools[p].pool.is_taken(subnet)) {
      const auto owner = std::find(assigned.begin(), assigned.end(), subnet);
      reason = owner == assigned.end()
                   ? fmt::format("{} is already used by another tunnel", subnet.to_string())
                   : fmt::format("{} is also recorded for tunnel {}", subnet.to_string(),
                                 tunnels[static_cast<std::size_t>(owner - assigned.begin())].id);
    }
    if (reason) {
      if (from_retired) {
        pending.push_back(
            {t, std::nullopt, fmt::format("its retired subnet cannot be restored: {}", *reason)});
      } else {
        pending.push_back({t, subnet, std::move(*reason)});
      }
      continue;
    }
    pools.take(p, subnet);
    assigned[t] = subnet;
    if (from_retired) {
      changes.push_back({LockChange::Kind::restored, id, subnet, subnet, {}});
    }
  }
  for (; old != previous.tunnels.end(); ++old) {
    leave(old);
  }
  const auto pass1_end = static_cast<std::ptrdiff_t>(changes.size());

  // Retire: the subnets of tunnels that just left, then those retired before,
  // stay reserved in their pool. Only a subnet that cannot be kept is dropped.
  std::vector<std::vector<RetiredSlot>> retired_in(pools.all().size());
  std::vector<LockChange> dropped;
  auto retire = [&](const RetiredSlot& slot, bool just_left) {
    std::optional<std::string> reason;
    const auto p = pool_holding(pools, slot.subnet);
    if (!p) {
      reason = "it lies outside every transit pool";
    } else if (auto unusable = pools[*p].pool.unusable_reason(slot.subnet)) {
      reason = std::move(*unusable);
    } else if (pools[*p].pool.is_taken(slot.subnet)) {
      reason = fmt::format("{} is used by a tunnel of the inventory", slot.subnet.to_string());
    }
    if (reason) {
      if (!just_left) {
        dropped.push_back({LockChange::Kind::dropped, slot.id, slot.subnet, {}, *reason});
      }
      return reason;
    }
    pools.take(*p, slot.subnet);
    retired_in[*p].push_back(slot);
    result.lock.retired.emplace(slot.id, slot.subnet);
    return reason;
  };
  for (std::ptrdiff_t i = 0, r = 0; i < pass1_end; ++i) {
    if (changes[static_cast<std::size_t>(i)].kind == LockChange::Kind::removed) {
      if (auto why = retire(leaving[static_cast<std::size_t>(r++)], true)) {
        changes[static_cast<std::size_t>(i)].reason = std::move(*why);
      }
    }
  }
  for (const auto& [id, subnet] : previous.retired) {
    if (!is_current(tunnels, order, id) && result.lock.retired.count(id) == 0) {
      retire(RetiredSlot{subnet, id}, false);
    }
  }
  for (auto& slots : retired_in) {
    std::sort(slots.begin(), slots.end(),
              [](const RetiredSlot& x, const RetiredSlot& y) { return x.subnet < y.subnet; });
    std::reverse(slots.begin(), slots.end()); // the lowest is taken first, from the back
  }

  // Pass 2: what is left takes the lowest free /30, again in tunnel-id order;
  // a full pool hands out its retired subnets, lowest first.
  changes.reserve(changes.size() + pending.size());
  for (Pending& p : pending) {
    const std::size_t pool = pool_of[p.tunnel];
    assigned[p.tunnel] = pools.take_lowest_free(pool);
    if (!assigned[p.tunnel] && !retired_in[pool].empty()) {
      RetiredSlot slot = std::move(retired_in[pool].back());
      retired_in[pool].pop_back();
      assigned[p.tunnel] = slot.subnet;
      result.lock.retired.erase(slot.id);
      const std::string why = fmt::format("{} has no free /30 left", pools[pool].pool.label());
      dropped.push_back({LockChange::Kind::dropped,
                         slot.id,
                         slot.subnet,
                         {},
                         fmt::format("{}, so tunnel {} reuses it", why, tunnels[p.tunnel].id)});
      p.reason += fmt::format("{}{}, so it reuses the retired subnet of tunnel {}",
                              p.reason.empty() ? "" : "; ", why, slot.id);
    }
    if (!assigned[p.tunnel]) {
      ++pools[pool].unallocated;
      continue;
    }
    const auto kind = p.before ? LockChange::Kind::moved : LockChange::Kind::added;
    changes.push_back(
        {kind, tunnels[p.tunnel].id, p.before, assigned[p.tunnel], std::move(p.reason)});
  }

  for (std::size_t i = 0; i < pools.all().size(); ++i) {
    if (pools[i].unallocated > 0) {
      report_exhausted(pools[i], i == 0, diags);
    }
  }
  for (std::size_t t : order) {
    if (assigned[t]) {
      result.lock.tunnels.emplace_hint(result.lock.tunnels.end(), tunnels[t].id, *assigned[t]);
    }
  }
  result.lock.version = result.lock.retired.empty() ? 1 : 2;
  std::inplace_merge(
      changes.begin(), changes.begin() + pass1_end, changes.end(),
      [](const LockChange& x, const LockChange& y) { return x.tunnel_id < y.tunnel_id; });
  const auto sorted = static_cast<std::ptrdiff_t>(changes.size());
  changes.insert(changes.end(), std::make_move_iterator(dropped.begin()),
                 std::make_move_iterator(dropped.end()));
  sort_by_tunnel(changes, sorted);
  return result;
}

Allocation prune_retired(const LockFile& lock) {
  Allocation result;
  result.lock.tunnels = lock.tunnels;
  for (const auto& [id, subnet] : lock.retired) {
    result.changes.push_back({LockChange::Kind::dropped, id, subnet, {}, "pruned"});
  }
  return result;
}

std::size_t removed_count(const Allocation& allocation) {
  return static_cast<std::size_t>(
      std::count_if(allocation.changes.begin(), allocation.changes.end(),
                    [](const LockChange& c) { return c.kind == LockChange::Kind::removed; }));
}

TransitAddresses transit_addresses(const Ipv4Prefix& subnet) {
  return TransitAddresses{subnet.host(1), subnet.host(2)};
}

std::string describe(const LockChange& change) {
  auto text = [](const std::optional<Ipv4Prefix>& p) { return p ? p->to_string() : "nothing"; };
  switch (change.kind) {
  case LockChange::Kind::added:
    if (!change.reason.empty()) {
      return fmt::format("tunnel {}: added {} ({})", change.tunnel_id, text(change.after),
                         change.reason);
    }
    return fmt::format("tunnel {}: added {}", change.tunnel_id, text(change.after));
  case LockChange::Kind::removed:
    if (change.reason.empty()) {
      return fmt::format("tunnel {}: removed, {} is retired (kept for its return)",
                         change.tunnel_id, text(change.before));
    }
    return fmt::format("tunnel {}: removed, {} is free again because {}", change.tunnel_id,
                       text(change.before), change.reason);
  case LockChange::Kind::moved:
    return fmt::format("tunnel {}: moved from {} to {} because {}", change.tunnel_id,
                       text(change.before), text(change.after), change.reason);
  case LockChange::Kind::restored:
    return fmt::format("tunnel {}: restored, gets its retired {} back", change.tunnel_id,
                       text(change.after));
  case LockChange::Kind::dropped:
    return fmt::format("retired tunnel {}: {} dropped because {}", change.tunnel_id,
                       text(change.before), change.reason);
  }
  return {};
}

} // namespace vpnaas::topology
