#include <vpnaas/render/routeros/plan.hpp>

#include <fmt/format.h>

#include <map>
#include <set>

// A VRF per customer on cluster routers (inventory `isolation: vrf`, RouterOS
// 7). MikroTik's VRF page (help.mikrotik.com, "VRF"; mirrored in
// newwlfz/mikrotik-docs-i18n docs/user-guides/routing-and-networking-protocols/vrf.md):
// - `/ip vrf add name=... interfaces=...` puts interfaces into a VRF and
//   creates a routing table of the same name; connected routes of those
//   interfaces go into it. VRFs match interfaces top to bottom and the
//   builtin `main` (interfaces=all) matches every interface, so a VRF must
//   stand before `main`.
// - `/ip route add ... routing-table=<vrf>` puts a route into a VRF; a
//   gateway without "@table" is resolved in main, so a route inside a VRF
//   names its own table ("10.255.0.2@vrf1").
// - Leaking: a gateway "<interface>@<table>" or "<address>@<table>" resolves
//   in that other table ("interface@vrf" for connected networks; "@main" from
//   a VRF into main). Overlapping networks cannot be leaked.
// - `/routing ospf instance add ... vrf=<vrf>` runs OSPF inside the VRF.

namespace vpnaas::render::routeros {

std::string vrf_name(std::string_view customer) {
  return fmt::format("vpnaas-{}", customer);
}

bool isolates_by_vrf(const DeviceModel& model) {
  const DeviceRef& ref = *model.ref;
  return ref.cluster != nullptr && ref.cluster->isolation.value == inventory::Isolation::vrf &&
         model.device->settings.routeros.major >= 7;
}

bool matches_vrf_interfaces(const DeviceModel& model) {
  // MikroTik's VRF page, "VRF interfaces in firewall": "Starting from
  // RouterOS v7.14, these rules no longer target individual interfaces
  // within a VRF, but rather the VRF interface as a whole" (example:
  // `in-interface=vrf5`). Interface lists hold interfaces, so a list of GRE
  // interfaces inside VRFs matches nothing there.
  return isolates_by_vrf(model) &&
         model.device->settings.routeros >= ::vpnaas::routeros::Version{7, 14, 0};
}

std::string vrf_kind(const DeviceModel& model, std::string_view kind) {
  return isolates_by_vrf(model) ? fmt::format("vrf-{}", kind) : std::string(kind);
}

// The inventory's device `interfaces: { lan: ... }`, default `bridge` as in
// MikroTik's default configuration: where the cluster's networks are.
std::string cluster_lan_interface(const DeviceModel& model) {
  return model.device->lan.value;
}

void add_vrfs(const DeviceModel& model, DevicePlan& plan) {
  PlanMenu& vrfs = add_menu(plan, "/ip vrf", "a VRF per customer, holding its tunnels");
  vrfs.before_named = "main";
  if (!isolates_by_vrf(model)) {
    return;
  }
  std::map<std::string, std::string> interfaces; // customer -> "gre-a,gre-b"
  for (const auto& end : model.ends) {
    auto& list = interfaces[end.customer];
    list += (list.empty() ? "" : ",") + end.interface;
  }
  for (const auto& [customer, list] : interfaces) {
    vrfs.items.push_back(
        {tag("vrf", customer), {text("name", vrf_name(customer)), text("interfaces", list)}, {}});
  }
}

void add_vrf_routes(const DeviceModel& model, const RenderInput& input, PlanMenu& routes) {
  if (!isolates_by_vrf(model)) {
    return;
  }
  const inventory::Cluster& cluster = *model.ref->cluster;
  // LANs of this cluster's customers, by prefix, to find the ones two
  // customers share: those cannot be leaked back into main.
  std::map<Ipv4Prefix, std::set<std::string>> owners;
  for (const auto& customer : input.inventory.customers) {
    if (customer.cluster.value != cluster.name.value) {
      continue;
    }
    for (const auto& site : customer.sites) {
      for (const auto& lan : site.lan) {
        owners[lan.value].insert(customer.name.value);
      }
    }
  }
  auto shared = [&](const Ipv4Prefix& lan, const std::string& customer) {
    for (const auto& [prefix, names] : owners) {
      if (prefix.overlaps(lan) && (names.size() > 1 || names.count(customer) == 0)) {
        return true;
      }
    }
    return false;
  };
  std::set<std::string> customers;
  for (const auto& end : model.ends) {
    customers.insert(end.customer);
  }
  std::string lan = cluster_lan_interface(model);
  for (const auto& customer : customers) {
    for (const auto& net : cluster.networks) {
      routes.items.push_back(
          {tag("route-leak", customer + ":" + net.value.to_string()),
           {bare("dst-address", net.value.to_string()), text("gateway", lan + "@main"),
            text("routing-table", vrf_name(customer))},
           {}});
    }
  }
  if (cluster.networks.empty()) {
    return;
  }
  for (const auto& end : model.ends) {
    if (end.peer->site == nullptr) {
      continue;
    }
    for (const auto& net : end.remote_networks) {
      if (shared(net, end.customer)) {
        continue;
      }
      routes.items.push_back(
          {tag("route-return", end.tunnel->id + ":" + net.to_string()),
           {bare("dst-address", net.to_string()),
            text("gateway", end.remote_transit.to_string() + "@" + vrf_name(end.customer))},
           {}});
    }
  }
}

} // namespace vpnaas::render::routeros
