#include <vpnaas/render/routeros/plan.hpp>
#include <vpnaas/render/routeros/quote.hpp>
#include <vpnaas/routeros/schema.hpp>
#include <vpnaas/version.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace vpnaas::render::routeros {
namespace {

std::string host(Ipv4Address a) {
  return a.to_string() + "/32";
}

std::string suite_object_name(const inventory::CryptoSuite& suite) {
  return fmt::format("vpnaas-{}", suite.name);
}

// The oldest release that has every property the plan writes: the device's
// major's oldest supported release, or later where the device's own release
// let the plan use something newer.
::vpnaas::routeros::Version needed_release(const DevicePlan& plan, int major) {
  const auto& schema = ::vpnaas::routeros::Schema::builtin();
  auto needed = std::max(::vpnaas::routeros::oldest_supported(major), plan.relies_on);
  for (const auto& m : plan.menus) {
    for (const auto& item : m.items) {
      for (const auto& p : item.props) {
        if (auto since = schema.since(m.path, p.name, major); since && *since > needed) {
          needed = *since;
        }
      }
    }
  }
  return needed;
}

std::vector<std::string> header_lines(const DeviceModel& model, const RenderInput& input,
                                      const DevicePlan& plan) {
  const auto& release = model.device->settings.routeros;
  int version = release.major;
  const DeviceRef& ref = *model.ref;
  std::string role =
      ref.site != nullptr
          ? fmt::format("site {}", quote(ref.customer->name.value + "/" + ref.site->name.value))
          : fmt::format("router of cluster {}", quote(ref.group));
  if (model.vrrp != nullptr) {
    role += model.backup ? ", VRRP backup" : ", VRRP primary";
  }
  std::vector<std::string> lines{
      fmt::format("vpnaas {}: RouterOS {} configuration of device {} ({})", kVersion, version,
                  quote(model.device->name.value), role),
      input.revision ? fmt::format("inventory revision {}", quote(*input.revision))
                     : "inventory revision unknown (the inventory is not in a git repository)",
      ::vpnaas::routeros::minimum_line(needed_release(plan, version)),
      fmt::format("{} tunnel(s). Import with /import file-name={} (not verbose=yes, which runs",
                  model.ends.size(), quote(model.device->name.value + ".rsc")),
      "each line on its own and so breaks the multi-line blocks below).",
      "Converging script: importing it again changes nothing. Items vpnaas manages carry the",
      "comment \"vpnaas:<kind>:<id>\" (IPsec profiles and proposals: a name starting",
      "\"vpnaas-\"); they are added, updated in place or removed as the inventory says, and",
      "other items are never touched.",
  };
  if (release != ::vpnaas::routeros::oldest_supported(version)) {
    lines.insert(lines.begin() + 2, fmt::format("Written for RouterOS {}, as the inventory states.",
                                                ::vpnaas::routeros::to_string(release)));
  }
  return lines;
}

// The rules of add_firewall on a router whose firewall sees each customer's
// VRF as one interface (matches_vrf_interfaces): per customer, OSPF from its
// VRF, forwarding between its VRF and the cluster's networks, and a drop of
// everything else its VRF forwards. A customer's VRF holds only its tunnels
// and routes only to them and to the cluster's networks, so that drop is
// the tunnel-to-tunnel drop of older releases: nothing else can leave the
// VRF, and a route leaked by mistake into another customer's tunnels hits it.
template <typename Rule>
void add_vrf_firewall(const DeviceModel& model, Rule&& rule) {
  std::set<std::string> customers;
  std::set<std::string> ospf;
  for (const auto& end : model.ends) {
    customers.insert(end.customer);
    if (end.ospf) {
      ospf.insert(end.customer);
    }
  }
  for (const auto& customer : ospf) {
    rule("ospf:" + customer, "input",
         {bare("protocol", "ospf"), text("in-interface", vrf_name(customer))});
  }
  for (const auto& customer : customers) {
    rule("forward-in:" + customer, "forward",
         {text("in-interface", vrf_name(customer)), text("dst-address-list", "vpnaas-local")});
    rule("forward-out:" + customer, "forward",
         {text("out-interface", vrf_name(customer)), text("src-address-list", "vpnaas-local")});
  }
  for (const auto& customer : customers) {
    rule("tunnel-to-tunnel:" + customer, "forward", {text("in-interface", vrf_name(customer))},
         "drop");
  }
}

} // namespace

PlanMenu& add_menu(DevicePlan& plan, std::string path, std::string title, bool sweep_last) {
  PlanMenu m;
  m.path = std::move(path);
  m.title = std::move(title);
  m.sweep_last = sweep_last;
  plan.menus.push_back(std::move(m));
  return plan.menus.back();
}

void own_by_name(PlanMenu& m) {
  m.key = "name";
  m.prefix = kNamePrefix;
}

bool has_property(const DeviceModel& model, const std::string& menu, const std::string& prop) {
  return ::vpnaas::routeros::Schema::builtin()
      .property(menu, prop, model.device->settings.routeros)
      .has_value();
}

Prop bare(std::string name, std::string value) {
  return Prop{std::move(name), std::move(value), Prop::Style::bare};
}
Prop text(std::string name, std::string value) {
  return Prop{std::move(name), std::move(value), Prop::Style::text};
}
Prop flag(std::string name) {
  return Prop{std::move(name), {}, Prop::Style::flag};
}
Prop secret(std::string name, std::string value) {
  return Prop{std::move(name), std::move(value), Prop::Style::text, true};
}

std::string tag(std::string_view kind, std::string_view id) {
  return fmt::format("{}{}:{}", kTagPrefix, kind, id);
}

void add_ipsec(const DeviceModel& model, DevicePlan& plan) {
  // RouterOS has no comment on IPsec profiles, and none on proposals before
  // 7.15 (lib/data/routeros/SOURCES.md): vpnaas owns them by name. Where the
  // release has a proposal comment, the tag is written for people to read.
  PlanMenu& profiles = add_menu(plan, "/ip ipsec profile", "IKE phase 1 per crypto suite", true);
  PlanMenu& proposals = add_menu(plan, "/ip ipsec proposal", "ESP phase 2 per crypto suite", true);
  own_by_name(profiles);
  own_by_name(proposals);
  bool proposal_comment = has_property(model, "/ip ipsec proposal", "comment");
  for (const auto* suite : model.suites) {
    profiles.items.push_back(
        {suite_object_name(*suite),
         {text("name", suite_object_name(*suite)), text("hash-algorithm", suite->ike.hash.value),
          text("enc-algorithm", suite->ike.encryption.value), text("dh-group", suite->ike.dh.value),
          bare("lifetime", suite->ike.lifetime.to_string())},
         {}});
    PlanItem proposal{suite_object_name(*suite),
                      {text("name", suite_object_name(*suite)),
                       text("auth-algorithms", suite->esp.auth.value),
                       text("enc-algorithms", suite->esp.encryption.value),
                       text("pfs-group", suite->esp.pfs.value),
                       bare("lifetime", suite->esp.lifetime.to_string())},
                      {}};
    if (proposal_comment) {
      proposal.props.push_back(text("comment", tag("proposal", suite->name)));
    }
    proposals.items.push_back(std::move(proposal));
  }
  PlanMenu& peers = add_menu(plan, "/ip ipsec peer", "IKEv2 peer per tunnel");
  PlanMenu& identities = add_menu(plan, "/ip ipsec identity", "pre-shared key per tunnel");
  PlanMenu& policies =
      add_menu(plan, "/ip ipsec policy", "transport-mode policy for GRE per tunnel");
  for (const auto& end : model.ends) {
    const std::string& id = end.tunnel->id;
    peers.items.push_back(
        {tag("peer", id),
         {text("name", end.peer_name), bare("address", host(end.remote_public)),
          bare("local-address", end.local_public.to_string()), bare("exchange-mode", "ike2"),
          text("profile", suite_object_name(*end.suite))},
         {}});
    identities.items.push_back({tag("identity", id),
                                {text("peer", end.peer_name), bare("auth-method", "pre-shared-key"),
                                 secret("secret", end.psk)},
                                {}});
    policies.items.push_back(
        {tag("policy", id),
         {bare("src-address", host(end.local_public)), bare("dst-address", host(end.remote_public)),
          bare("protocol", "gre"), bare("tunnel", "no"), bare("action", "encrypt"),
          bare("level", "require"), bare("ipsec-protocols", "esp"),
          text("proposal", suite_object_name(*end.suite)), text("peer", end.peer_name)},
         {}});
  }
}

void add_tunnels(const DeviceModel& model, DevicePlan& plan) {
  PlanMenu& gre = add_menu(plan, "/interface gre", "GRE interface per tunnel");
  PlanMenu& lists = add_menu(plan, "/interface list", "the tunnel interfaces, for firewall rules");
  PlanMenu& members = add_menu(plan, "/interface list member", "tunnel interface list members");
  PlanMenu& addresses = add_menu(plan, "/ip address", "transit address per tunnel");
  if (!model.ends.empty()) {
    lists.items.push_back({tag("interface-list", "tunnels"), {text("name", "vpnaas-tunnels")}, {}});
  }
  const auto& settings = model.device->settings;
  // There is no RouterOS 6 evidence for GRE keepalive and clamp-tcp-mss
  // (lib/data/routeros/SOURCES.md): a v6 router keeps its defaults.
  bool keepalive = has_property(model, "/interface gre", "keepalive");
  bool clamp = has_property(model, "/interface gre", "clamp-tcp-mss");
  for (const auto& end : model.ends) {
    const std::string& id = end.tunnel->id;
    PlanItem item{tag("gre", id),
                  {text("name", end.interface), bare("local-address", end.local_public.to_string()),
                   bare("remote-address", end.remote_public.to_string()),
                   bare("mtu", std::to_string(end.mtu))},
                  {}};
    if (keepalive) {
      item.props.push_back(bare("keepalive", settings.keepalive.to_string()));
    }
    item.props.push_back(bare("allow-fast-path", "no"));
    if (clamp) {
      item.props.push_back(bare("clamp-tcp-mss", "yes"));
    }
    gre.items.push_back(std::move(item));
    members.items.push_back({tag("interface-list-member", id),
                             {text("list", "vpnaas-tunnels"), text("interface", end.interface)},
                             {}});
    addresses.items.push_back(
        {tag("address", id),
         {bare("address", fmt::format("{}/{}", end.local_transit.to_string(), end.subnet.length())),
          text("interface", end.interface)},
         {}});
  }
}

// The networks this router serves: a site's LANs, a cluster's networks.
std::vector<Ipv4Prefix> local_networks(const DeviceModel& model) {
  std::vector<Ipv4Prefix> out;
  const DeviceRef& ref = *model.ref;
  const auto& located = ref.site != nullptr ? ref.site->lan : ref.cluster->networks;
  for (const auto& n : located) {
    out.push_back(n.value);
  }
  return out;
}

void add_firewall(const DeviceModel& model, DevicePlan& plan) {
  PlanMenu& list = add_menu(plan, "/ip firewall address-list",
                            "public addresses of tunnel peers, and this router's own networks");
  PlanMenu& filter =
      add_menu(plan, "/ip firewall filter",
               "accept IKE, ESP, GRE under IPsec, and LAN traffic through the tunnels, "
               "before the first rule that drops");
  for (const auto& end : model.ends) {
    list.items.push_back(
        {tag("peer-address", end.tunnel->id),
         {text("list", "vpnaas-peers"), bare("address", end.remote_public.to_string())},
         {}});
  }
  if (model.ends.empty()) {
    return;
  }
  for (const auto& net : local_networks(model)) {
    list.items.push_back({tag("local-network", net.to_string()),
                          {text("list", "vpnaas-local"), bare("address", net.to_string())},
                          {}});
  }
  auto rule = [&](const std::string& kind, const char* chain, std::vector<Prop> match,
                  const char* action = "accept") {
    std::vector<Prop> props{bare("chain", chain), bare("action", action)};
    props.insert(props.end(), match.begin(), match.end());
    filter.items.push_back({tag("filter", kind), std::move(props), chain});
  };
  rule("ike", "input",
       {bare("protocol", "udp"), bare("dst-port", "500,4500"),
        text("src-address-list", "vpnaas-peers")});
  rule("esp", "input", {bare("protocol", "ipsec-esp"), text("src-address-list", "vpnaas-peers")});
  rule("gre", "input",
       {bare("protocol", "gre"), bare("ipsec-policy", "in,ipsec"),
        text("src-address-list", "vpnaas-peers")});
  if (matches_vrf_interfaces(model)) {
    add_vrf_firewall(model, rule);
    plan.relies_on = {7, 14, 0};
    return;
  }
  if (!model.ospf.empty()) {
    rule("ospf", "input", {bare("protocol", "ospf"), text("in-interface-list", "vpnaas-tunnels")});
  }
  // MikroTik's default configuration ends the forward chain in a drop: the
  // tunnels would come up and carry nothing without these.
  rule("forward-in", "forward",
       {text("in-interface-list", "vpnaas-tunnels"), text("dst-address-list", "vpnaas-local")});
  rule("forward-out", "forward",
       {text("out-interface-list", "vpnaas-tunnels"), text("src-address-list", "vpnaas-local")});
  if (model.ref->cluster != nullptr) {
    // Defence in depth for tenants: a cluster router never forwards from one
    // tunnel into another, so no route (wrong or leaked) carries one
    // customer's traffic to another's sites. Sites of one customer talk over
    // their own tunnels; a hub-and-spoke site reaches only the cluster. Last
    // of vpnaas's rules, so the accepts above still apply.
    rule(
        "tunnel-to-tunnel", "forward",
        {text("in-interface-list", "vpnaas-tunnels"), text("out-interface-list", "vpnaas-tunnels")},
        "drop");
  }
}

PlanMenu& add_static_routes(const DeviceModel& model, DevicePlan& plan) {
  bool vrf = isolates_by_vrf(model);
  PlanMenu& routes = add_menu(plan, "/ip route",
                              vrf ? "static routes to peers' networks (routing: static) and "
                                    "route leaking between the customers' VRFs and main"
                                  : "static routes to peers' networks (routing: static)");
  for (const auto& end : model.ends) {
    if (end.ospf) {
      continue;
    }
    for (const auto& net : end.remote_networks) {
      PlanItem item{tag(vrf_kind(model, "route"), end.tunnel->id + ":" + net.to_string()),
                    {bare("dst-address", net.to_string()),
                     bare("gateway", end.remote_transit.to_string()),
                     bare("distance", std::to_string(end.distance))},
                    {}};
      if (vrf) {
        // A gateway without "@table" resolves in main: name the VRF's own.
        item.props[1] =
            text("gateway", end.remote_transit.to_string() + "@" + vrf_name(end.customer));
        item.props.push_back(text("routing-table", vrf_name(end.customer)));
      }
      routes.items.push_back(std::move(item));
    }
  }
  return routes;
}

DevicePlan build_plan(const DeviceModel& model, const RenderInput& input) {
  int version = model.device->settings.routeros.major;
  DevicePlan plan;
  // The add_* functions keep references to menus they created while adding
  // more; reserving once for every menu of either version keeps them valid.
  plan.menus.reserve(32);
  add_ipsec(model, plan);
  add_vrrp(model, plan);
  add_tunnels(model, plan);
  if (version >= 7 && model.ref->cluster != nullptr) {
    add_vrfs(model, plan);
  }
  add_vrrp_address(model, plan);
  add_firewall(model, plan);
  if (version == 6) {
    add_ospf_v6(model, plan);
  } else {
    add_ospf_v7(model, plan);
  }
  add_vrf_routes(model, input, add_static_routes(model, plan));
  add_tracking(model, plan);
  plan.header = header_lines(model, input, plan);
  return plan;
}

} // namespace vpnaas::render::routeros
