#include <vpnaas/render/routeros/plan.hpp>
#include <vpnaas/render/routeros/quote.hpp>

#include <fmt/format.h>

namespace vpnaas::render::routeros {
namespace {

// One OSPF instance and area per customer, so a cluster router serving
// several customers never carries one customer's routes to another.
std::string domain_name(std::string_view customer) {
  return fmt::format("vpnaas-{}", customer);
}

} // namespace

void add_ospf_v7(const DeviceModel& model, DevicePlan& plan) {
  PlanMenu& instances = add_menu(plan, "/routing ospf instance", "OSPF instance per customer");
  PlanMenu& areas = add_menu(plan, "/routing ospf area", "OSPF area per customer");
  PlanMenu& templates = add_menu(plan, "/routing ospf interface-template",
                                 "point-to-point OSPF on tunnels, passive on local networks");
  const auto& settings = model.device->settings;
  // In a customer's VRF, OSPF sees only the VRF's interfaces: the cluster's
  // networks (in main) reach it as the static routes leaked into the VRF,
  // which the instance redistributes.
  bool vrf = isolates_by_vrf(model);
  for (const auto& domain : model.ospf) {
    std::string name = domain_name(domain.customer);
    PlanItem instance{tag(vrf_kind(model, "ospf-instance"), domain.customer),
                      {text("name", name), bare("version", "2"),
                       bare("router-id", model.device->router_id.value.to_string())},
                      {}};
    if (vrf) {
      instance.props.push_back(text("vrf", vrf_name(domain.customer)));
      instance.props.push_back(bare("redistribute", "static"));
    }
    instances.items.push_back(std::move(instance));
    areas.items.push_back(
        {tag(vrf_kind(model, "ospf-area"), domain.customer),
         {text("name", name), text("area-id", settings.ospf.area), text("instance", name)},
         {}});
  }
  for (const auto& end : model.ends) {
    if (!end.ospf) {
      continue;
    }
    templates.items.push_back(
        {tag(vrf_kind(model, "ospf-interface"), end.tunnel->id),
         {text("area", domain_name(end.customer)), text("interfaces", end.interface),
          bare("type", "ptp"), bare("hello-interval", end.hello.to_string()),
          bare("dead-interval", end.dead.to_string()), bare("cost", std::to_string(end.cost))},
         {}});
  }
  for (const auto& domain : model.ospf) {
    if (vrf) {
      break;
    }
    for (const auto& net : domain.networks) {
      templates.items.push_back({tag("ospf-network", domain.customer + ":" + net.to_string()),
                                 {text("area", domain_name(domain.customer)),
                                  bare("networks", net.to_string()), flag("passive")},
                                 {}});
    }
  }
}

// RouterOS 6 has no passive network templates and needs the LAN interface
// name for a passive interface, which the inventory does not know. So the
// tunnels' /30s run OSPF through `network` entries, and the local networks
// are redistributed as connected routes through a per-customer routing
// filter that accepts exactly them and discards everything else (the public
// address must never be announced into the tunnels).
void add_ospf_v6(const DeviceModel& model, DevicePlan& plan) {
  PlanMenu& filters = add_menu(plan, "/routing filter", "local networks announced per customer");
  PlanMenu& instances = add_menu(plan, "/routing ospf instance", "OSPF instance per customer");
  PlanMenu& areas = add_menu(plan, "/routing ospf area", "OSPF area per customer");
  PlanMenu& networks = add_menu(plan, "/routing ospf network", "tunnel transit networks");
  PlanMenu& interfaces =
      add_menu(plan, "/routing ospf interface", "point-to-point OSPF on tunnels");
  // No RouterOS 6 evidence for a comment on OSPF instances, areas and
  // interface entries (lib/data/routeros/SOURCES.md): instances and areas are
  // owned by their "vpnaas-" name, interface entries by the GRE interface
  // they configure, whose "gre-" names vpnaas owns.
  own_by_name(instances);
  own_by_name(areas);
  interfaces.key = "interface";
  interfaces.prefix = "gre-";
  interfaces.owner = "/interface gre";
  const auto& settings = model.device->settings;
  for (const auto& domain : model.ospf) {
    std::string name = domain_name(domain.customer);
    std::string discard = tag("ospf-filter", domain.customer + ":discard");
    for (const auto& net : domain.networks) {
      filters.items.push_back(
          {tag("ospf-filter", domain.customer + ":" + net.to_string()),
           {text("chain", name), bare("prefix", net.to_string()), bare("action", "accept")},
           {}});
    }
    // Moved to the end on every import, so accepts added later precede it.
    PlanItem last{discard, {text("chain", name), bare("action", "discard")}, {}};
    last.keep_last = true;
    filters.items.push_back(std::move(last));
    instances.items.push_back(
        {name,
         {text("name", name), bare("router-id", model.device->router_id.value.to_string()),
          bare("redistribute-connected", "as-type-1"), text("out-filter", name)},
         {}});
    areas.items.push_back(
        {name,
         {text("name", name), text("area-id", settings.ospf.area), text("instance", name)},
         {}});
  }
  for (const auto& end : model.ends) {
    if (!end.ospf) {
      continue;
    }
    networks.items.push_back(
        {tag("ospf-network", end.tunnel->id),
         {bare("network", end.subnet.to_string()), text("area", domain_name(end.customer))},
         {}});
    interfaces.items.push_back(
        {end.interface,
         {text("interface", end.interface), bare("network-type", "point-to-point"),
          bare("hello-interval", end.hello.to_string()),
          bare("dead-interval", end.dead.to_string()), bare("cost", std::to_string(end.cost))},
         {}});
  }
}

} // namespace vpnaas::render::routeros
