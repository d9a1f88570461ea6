#include <vpnaas/render/routeros/plan.hpp>
#include <vpnaas/render/routeros/quote.hpp>
#include <vpnaas/version.hpp>

#include <fmt/format.h>

namespace vpnaas::render::routeros {
namespace {

std::string host(Ipv4Address a) {
  return a.to_string() + "/32";
}

std::string suite_object_name(const inventory::CryptoSuite& suite) {
  return fmt::format("vpnaas-{}", suite.name);
}

PlanMenu& menu(DevicePlan& plan, std::string path, std::string title, bool sweep_last = false) {
  plan.menus.push_back(PlanMenu{std::move(path), std::move(title), {}, sweep_last});
  return plan.menus.back();
}

std::vector<std::string> header_lines(const DeviceModel& model, const RenderInput& input,
                                      int version) {
  const DeviceRef& ref = *model.ref;
  std::string role =
      ref.site != nullptr
          ? fmt::format("site {}", quote(ref.customer->name.value + "/" + ref.site->name.value))
          : fmt::format("router of cluster {}", quote(ref.group));
  std::vector<std::string> lines{
      fmt::format("vpnaas {}: RouterOS {} configuration of device {} ({})", kVersion, version,
                  quote(model.device->name.value), role),
      input.revision ? fmt::format("inventory revision {}", quote(*input.revision))
                     : "inventory revision unknown (the inventory is not in a git repository)",
      fmt::format("{} tunnel(s). Import with /import file-name={}", model.ends.size(),
                  quote(model.device->name.value + ".rsc")),
      "Converging script: importing it again changes nothing. Items vpnaas manages carry the",
      "comment \"vpnaas:<kind>:<id>\"; they are added, updated in place or removed as the",
      "inventory says, and items without that comment are never touched.",
  };
  if (version == 6) {
    lines.emplace_back("Needs RouterOS 6.43 or later (IPsec profile and identity menus).");
  }
  return lines;
}

} // namespace

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
  PlanMenu& profiles = menu(plan, "/ip ipsec profile", "IKE phase 1 per crypto suite", true);
  PlanMenu& proposals = menu(plan, "/ip ipsec proposal", "ESP phase 2 per crypto suite", true);
  for (const auto* suite : model.suites) {
    profiles.items.push_back(
        {tag("profile", suite->name),
         {text("name", suite_object_name(*suite)), text("hash-algorithm", suite->ike.hash.value),
          text("enc-algorithm", suite->ike.encryption.value), text("dh-group", suite->ike.dh.value),
          bare("lifetime", suite->ike.lifetime.to_string())},
         {}});
    proposals.items.push_back(
        {tag("proposal", suite->name),
         {text("name", suite_object_name(*suite)), text("auth-algorithms", suite->esp.auth.value),
          text("enc-algorithms", suite->esp.encryption.value),
          text("pfs-group", suite->esp.pfs.value),
          bare("lifetime", suite->esp.lifetime.to_string())},
         {}});
  }
  PlanMenu& peers = menu(plan, "/ip ipsec peer", "IKEv2 peer per tunnel");
  PlanMenu& identities = menu(plan, "/ip ipsec identity", "pre-shared key per tunnel");
  PlanMenu& policies = menu(plan, "/ip ipsec policy", "transport-mode policy for GRE per tunnel");
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
  PlanMenu& gre = menu(plan, "/interface gre", "GRE interface per tunnel");
  PlanMenu& lists = menu(plan, "/interface list", "the tunnel interfaces, for firewall rules");
  PlanMenu& members = menu(plan, "/interface list member", "tunnel interface list members");
  PlanMenu& addresses = menu(plan, "/ip address", "transit address per tunnel");
  if (!model.ends.empty()) {
    lists.items.push_back({tag("interface-list", "tunnels"), {text("name", "vpnaas-tunnels")}, {}});
  }
  const auto& settings = model.device->settings;
  for (const auto& end : model.ends) {
    const std::string& id = end.tunnel->id;
    gre.items.push_back(
        {tag("gre", id),
         {text("name", end.interface), bare("local-address", end.local_public.to_string()),
          bare("remote-address", end.remote_public.to_string()),
          bare("mtu", std::to_string(end.mtu)), bare("keepalive", settings.keepalive.to_string()),
          bare("allow-fast-path", "no"), bare("clamp-tcp-mss", "yes")},
         {}});
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

void add_firewall(const DeviceModel& model, DevicePlan& plan) {
  PlanMenu& list = menu(plan, "/ip firewall address-list", "public addresses of tunnel peers");
  PlanMenu& filter =
      menu(plan, "/ip firewall filter", "accept IKE, ESP, GRE under IPsec (before any drop)");
  for (const auto& end : model.ends) {
    list.items.push_back(
        {tag("peer-address", end.tunnel->id),
         {text("list", "vpnaas-peers"), bare("address", end.remote_public.to_string())},
         {}});
  }
  if (model.ends.empty()) {
    return;
  }
  const std::string before_drop = "chain=input and action=drop and dynamic=no";
  auto rule = [&](const char* kind, std::vector<Prop> match) {
    std::vector<Prop> props{bare("chain", "input"), bare("action", "accept")};
    props.insert(props.end(), match.begin(), match.end());
    filter.items.push_back({tag("filter", kind), std::move(props), before_drop});
  };
  rule("ike", {bare("protocol", "udp"), bare("dst-port", "500,4500"),
               text("src-address-list", "vpnaas-peers")});
  rule("esp", {bare("protocol", "ipsec-esp"), text("src-address-list", "vpnaas-peers")});
  rule("gre", {bare("protocol", "gre"), bare("ipsec-policy", "in,ipsec"),
               text("src-address-list", "vpnaas-peers")});
  if (!model.ospf.empty()) {
    rule("ospf", {bare("protocol", "ospf"), text("in-interface-list", "vpnaas-tunnels")});
  }
}

void add_static_routes(const DeviceModel& model, DevicePlan& plan) {
  PlanMenu& routes = menu(plan, "/ip route", "static routes to peers' networks (routing: static)");
  for (const auto& end : model.ends) {
    if (end.ospf) {
      continue;
    }
    for (const auto& net : end.remote_networks) {
      routes.items.push_back(
          {tag("route", end.tunnel->id + ":" + net.to_string()),
           {bare("dst-address", net.to_string()), bare("gateway", end.remote_transit.to_string())},
           {}});
    }
  }
}

DevicePlan build_plan(const DeviceModel& model, const RenderInput& input) {
  int version = model.device->settings.routeros == 6 ? 6 : 7;
  DevicePlan plan;
  // The add_* functions keep references to menus they created while adding
  // more; reserving once for every menu of either version keeps them valid.
  plan.menus.reserve(24);
  plan.header = header_lines(model, input, version);
  add_ipsec(model, plan);
  add_tunnels(model, plan);
  add_firewall(model, plan);
  if (version == 6) {
    add_ospf_v6(model, plan);
  } else {
    add_ospf_v7(model, plan);
  }
  add_static_routes(model, plan);
  return plan;
}

} // namespace vpnaas::render::routeros
