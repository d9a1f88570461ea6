#include <vpnaas/core/join.hpp>
#include <vpnaas/inventory/model_limits.hpp>
#include <vpnaas/inventory/validate.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "validate_parts.hpp"

namespace vpnaas::inventory::detail {
namespace {

struct SettingView {
  const char* what;
  std::string (*value)(const DeviceSettings&);
};

// Settings the two sites of a site-site tunnel must share, or the tunnel
// stays down. (MTU and routing are resolved per tunnel, and for site-cluster
// tunnels the site's settings lead: see topology/tunnel_settings.hpp.)
const std::vector<SettingView>& shared_settings() {
  static const std::vector<SettingView> views{
      {"crypto", [](const DeviceSettings& s) { return s.crypto; }},
      {"ospf area", [](const DeviceSettings& s) { return s.ospf.area; }},
      {"ospf hello", [](const DeviceSettings& s) { return s.ospf.hello.to_string(); }},
      {"ospf dead", [](const DeviceSettings& s) { return s.ospf.dead.to_string(); }},
  };
  return views;
}

// One message per device and setting, naming a few disagreeing peers: a
// site that overrides its MTU would otherwise produce one error per tunnel.
void check_agreement(const Device& device, const std::vector<const Device*>& peers,
                     Diagnostics& diags) {
  for (const auto& view : shared_settings()) {
    std::string mine = view.value(device.settings);
    std::vector<std::string> others;
    std::string theirs;
    for (const Device* peer : peers) {
      std::string value = view.value(peer->settings);
      if (value != mine) {
        others.push_back(peer->name.value);
        theirs = value;
      }
    }
    if (others.empty()) {
      continue;
    }
    const std::string list = join_first(others, 3);
    diags.error(device.where, "tunnel-mismatch",
                fmt::format("device {} has {} {} but its tunnel peers {} have {}; both ends of a "
                            "tunnel must agree",
                            device.name.value, view.what, mine, list, theirs),
                fmt::format("set the same {} on both ends, or remove the override", view.what));
  }
}

void check_overrides(const Inventory& inv, const Customer& customer, Diagnostics& diags) {
  const Cluster* cluster = inv.find_cluster(customer.cluster.value);
  // A site, or the backup router of an HA site (its own tunnel end).
  auto is_site = [&](const std::string& name) {
    for (const auto& s : customer.sites) {
      if (s.name.value == name || (s.backup && s.backup->name.value == name)) {
        return true;
      }
    }
    return false;
  };
  auto is_router = [&](const std::string& name) {
    if (cluster == nullptr) {
      return false;
    }
    for (const auto& d : cluster->devices) {
      if (d.name.value == name) {
        return true;
      }
    }
    return false;
  };
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& o : customer.tunnels) {
    bool ok = true;
    for (const auto* end : {&o.a, &o.b}) {
      if (!is_site(end->value) && !is_router(end->value)) {
        diags.error(end->where, "unknown-tunnel-end",
                    fmt::format("\"{}\" is neither a site of customer {} nor a router of its "
                                "cluster",
                                end->value, customer.name.value),
                    "name two sites, or a site and a cluster router");
        ok = false;
      }
    }
    if (!ok) {
      continue;
    }
    bool a_site = is_site(o.a.value);
    bool b_site = is_site(o.b.value);
    if (o.a.value == o.b.value || (!a_site && !b_site) ||
        (a_site && b_site && customer.topology == Topology::hub_and_spoke)) {
      diags.error(o.where, "no-such-tunnel",
                  fmt::format("there is no tunnel between {} and {}", o.a.value, o.b.value),
                  "tunnels join two sites (full mesh) or a site and a cluster router");
      continue;
    }
    auto key = std::minmax(o.a.value, o.b.value);
    if (!seen.emplace(key.first, key.second).second) {
      diags.error(o.where, "duplicate-override",
                  fmt::format("the tunnel between {} and {} is listed twice", o.a.value, o.b.value),
                  "merge the two entries");
    }
  }
}

// The customer or cluster a device belongs to, for warnings about many of them.
struct Owner {
  std::string label; // "customer acme", "cluster dc1"
  SourceLocation where;
};

// Devices of one owner that would hold too many tunnels, warned about once:
// a 200-site full mesh would otherwise print 200 identical warnings.
struct Crowded {
  SourceLocation where;
  std::vector<std::pair<const Device*, std::size_t>> devices;
};

void warn_crowded(std::map<std::string, Crowded>& crowded, Diagnostics& diags) {
  constexpr std::size_t kNamed = 5;
  for (auto& [label, group] : crowded) {
    std::sort(group.devices.begin(), group.devices.end(), [](const auto& x, const auto& y) {
      return x.first->name.value < y.first->name.value;
    });
    if (group.devices.size() == 1) {
      const auto& [device, count] = group.devices.front();
      diags.warning(device->where, "many-tunnels",
                    fmt::format("device {} would hold {} tunnels; beyond {} RouterOS converges "
                                "slowly and is hard to operate",
                                device->name.value, count, kTunnelWarningThreshold),
                    "consider topology: hub-and-spoke for large customers");
      continue;
    }
    std::size_t most = 0;
    std::vector<std::string> names;
    for (const auto& [device, count] : group.devices) {
      most = std::max(most, count);
      names.push_back(device->name.value);
    }
    diags.warning(group.where, "many-tunnels",
                  fmt::format("{} devices of {} would hold more than {} tunnels each (up to {}): "
                              "{}; beyond {} RouterOS converges slowly and is hard to operate",
                              group.devices.size(), label, kTunnelWarningThreshold, most,
                              join_first(names, kNamed), kTunnelWarningThreshold),
                  "consider topology: hub-and-spoke for large customers");
  }
}

// Routers whose `model:` has a class (model_limits.hpp), over that class's
// limit, warned about once per owner: a 40-site full mesh of hAPs names the
// customer once, not 40 times.
struct OverModel {
  SourceLocation where;
  std::vector<std::tuple<const Device*, std::size_t, const ModelClass*>> devices;
};

constexpr const char* kScaleHint =
    "use topology: hub-and-spoke (sites reach each other through the cluster), or a router of "
    "a larger class; a partial mesh (direct tunnels only between the busiest sites) is not "
    "rendered by vpnaas yet; see README, \"Scale limits\"";

void warn_over_model(std::map<std::string, OverModel>& over, Diagnostics& diags) {
  constexpr std::size_t kNamed = 5;
  for (auto& [label, group] : over) {
    std::sort(group.devices.begin(), group.devices.end(), [](const auto& x, const auto& y) {
      return std::get<0>(x)->name.value < std::get<0>(y)->name.value;
    });
    const auto& [first, count, cls] = group.devices.front();
    if (group.devices.size() == 1) {
      diags.warning(first->where, "many-tunnels",
                    fmt::format("device {} (model {}, a {}) would hold {} tunnels, more than the "
                                "{} estimated for its class",
                                first->name.value, first->model, cls->name, count, cls->limit),
                    kScaleHint);
      continue;
    }
    std::size_t most = 0;
    std::vector<std::string> names;
    for (const auto& [device, n, c] : group.devices) {
      most = std::max(most, n);
      names.push_back(
          fmt::format("{} ({}, limit {})", device->name.value, device->model, c->limit));
    }
    diags.warning(group.where, "many-tunnels",
                  fmt::format("{} routers of {} would hold more tunnels than estimated for their "
                              "model class (up to {}): {}",
                              group.devices.size(), label, most, join_first(names, kNamed)),
                  kScaleHint);
  }
}

} // namespace

void validate_tunnels(const Inventory& inv, Diagnostics& diags) {
  std::map<const Device*, std::vector<const Device*>> peers;
  std::map<const Device*, std::vector<const Device*>> site_peers;
  std::map<const Device*, Owner> owners;
  for (const auto& cluster : inv.clusters) {
    for (const auto& router : cluster.devices) {
      owners[&router] = Owner{"cluster " + cluster.name.value, cluster.name.where};
    }
  }
  for (const auto& customer : inv.customers) {
    check_overrides(inv, customer, diags);
    const Cluster* cluster = inv.find_cluster(customer.cluster.value);
    for (std::size_t i = 0; i < customer.sites.size(); ++i) {
      // An HA site's two routers each hold the tunnels a one-router site has.
      for (const Device* d : customer.sites[i].routers()) {
        owners[d] = Owner{"customer " + customer.name.value, customer.name.where};
        if (customer.topology == Topology::full_mesh) {
          for (std::size_t j = i + 1; j < customer.sites.size(); ++j) {
            for (const Device* other : customer.sites[j].routers()) {
              peers[d].push_back(other);
              peers[other].push_back(d);
              site_peers[d].push_back(other);
            }
          }
        }
        if (cluster != nullptr) {
          for (const auto& router : cluster->devices) {
            peers[d].push_back(&router);
            peers[&router].push_back(d);
          }
        }
      }
    }
  }
  for (const auto& [device, list] : site_peers) {
    check_agreement(*device, list, diags);
  }
  std::map<std::string, Crowded> crowded;
  std::map<std::string, OverModel> over_model;
  for (const auto& [device, list] : peers) {
    if (const ModelClass* cls = model_class(device->model)) {
      if (list.size() > cls->limit) {
        const Owner& owner = owners[device];
        OverModel& group = over_model[owner.label];
        group.where = owner.where;
        group.devices.emplace_back(device, list.size(), cls);
      }
    } else if (list.size() > kTunnelWarningThreshold) {
      const Owner& owner = owners[device];
      Crowded& group = crowded[owner.label];
      group.where = owner.where;
      group.devices.emplace_back(device, list.size());
    }
    if (device->settings.mtu > 1418) {
      diags.warning(device->where, "mtu-too-large",
                    fmt::format("device {} uses GRE mtu {}; with GRE (24 bytes) and ESP (about "
                                "58 bytes) packets exceed 1500 bytes on the WAN",
                                device->name.value, device->settings.mtu),
                    "use mtu 1418 or less unless the WAN path carries jumbo frames");
    }
  }
  warn_crowded(crowded, diags);
  warn_over_model(over_model, diags);
}

} // namespace vpnaas::inventory::detail
