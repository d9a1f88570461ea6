#include <vpnaas/routeros/routing.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <limits>
#include <optional>
#include <queue>
#include <set>
#include <tuple>
#include <utility>

#include "item_text.hpp"

namespace vpnaas::routeros {
namespace {

using detail::prop;
using detail::split;

constexpr const char* kMain = "main";
// The LAN interface: the one a route leaks from main over ("vlan10@main",
// plan_vrf.cpp), else MikroTik's default configuration's "bridge".
std::string lan_interface(const Router& router) {
  std::set<std::string> gre;
  for (const Item& item : router.items("/interface gre")) {
    gre.insert(item.props.count("name") ? item.props.at("name") : std::string());
  }
  for (const Item& r : router.items("/ip route")) {
    auto it = r.props.find("gateway");
    if (it == r.props.end() || !it->second.ends_with("@main")) {
      continue;
    }
    std::string gateway = it->second.substr(0, it->second.size() - 5);
    if (!Ipv4Address::parse(gateway).ok() && gre.count(gateway) == 0) {
      return gateway;
    }
  }
  return "bridge";
}

// "10.255.0.1/30" -> the address and its network.
std::optional<std::pair<Ipv4Address, Ipv4Prefix>> interface_address(const std::string& text) {
  auto slash = text.find('/');
  if (slash == std::string::npos) {
    return std::nullopt;
  }
  auto address = Ipv4Address::parse(text.substr(0, slash));
  if (!address) {
    return std::nullopt;
  }
  int length = std::atoi(text.substr(slash + 1).c_str());
  return std::make_pair(*address, Ipv4Prefix(*address, length));
}

// Keeps the better route per destination: lower distance, then metric.
void offer(std::vector<Route>& table, Route route) {
  for (Route& r : table) {
    if (r.dst == route.dst) {
      if (std::tie(route.distance, route.metric) < std::tie(r.distance, r.metric)) {
        r = std::move(route);
      }
      return;
    }
  }
  table.push_back(std::move(route));
}

const Route* best_match(const std::vector<Route>& table, Ipv4Address dst) {
  const Route* best = nullptr;
  for (const Route& r : table) {
    if (r.dst.contains(dst) && (best == nullptr || r.dst.length() > best->dst.length())) {
      best = &r;
    }
  }
  return best;
}

// One OSPF instance of one router: the node of the shortest-path graph.
struct OspfNode {
  std::string router;
  std::string table;
  std::vector<Ipv4Prefix> originated;
  struct Link {
    std::size_t to;
    std::string interface; // local egress
    Ipv4Address gateway;   // the neighbour's transit address
    std::uint32_t cost;
  };
  std::vector<Link> links;
};

struct OspfInterface {
  std::size_t node;
  std::string interface;
  std::string area_id;
  Ipv4Address address;
  Ipv4Prefix subnet;
  std::uint32_t cost;
};

} // namespace

const char* to_string(Route::Kind kind) {
  switch (kind) {
  case Route::Kind::connected:
    return "connected";
  case Route::Kind::attached:
    return "attached";
  case Route::Kind::static_route:
    return "static";
  case Route::Kind::ospf:
    return "ospf";
  }
  return "connected";
}

Result<RoutedNetwork> RoutedNetwork::derive(const std::map<std::string, const Router*>& routers) {
  RoutedNetwork net;
  std::vector<OspfNode> nodes;
  std::vector<OspfInterface> ospf_interfaces;
  for (const auto& [name, router] : routers) {
    RouterRouting& rr = net.m_routers[name];
    // VRF membership: each interface goes to the first VRF listing it.
    std::vector<std::string> interfaces;
    for (const Item& gre : router->items("/interface gre")) {
      interfaces.push_back(prop(gre, "name"));
    }
    for (const std::string& iface : interfaces) {
      rr.vrf_of[iface] = kMain;
      for (const Item& vrf : router->items("/ip vrf")) {
        auto members = split(prop(vrf, "interfaces"));
        if (prop(vrf, "interfaces") == "all" ||
            std::find(members.begin(), members.end(), iface) != members.end()) {
          rr.vrf_of[iface] = prop(vrf, "name");
          break;
        }
      }
    }
    rr.lan = lan_interface(*router);
    rr.vrf_of[rr.lan] = kMain;
    rr.tables[kMain];
    for (const Item& vrf : router->items("/ip vrf")) {
      rr.tables[prop(vrf, "name")];
    }
    for (const Item& a : router->items("/ip address")) {
      auto parsed = interface_address(prop(a, "address"));
      if (!parsed) {
        continue;
      }
      std::string iface = prop(a, "interface");
      std::string table = rr.vrf_of.count(iface) ? rr.vrf_of[iface] : kMain;
      offer(rr.tables[table],
            Route{parsed->second, Route::Kind::connected, iface, table, {}, 0, 0});
      net.m_owner[parsed->first] = {name, iface};
    }
    for (const Item& entry : router->items("/ip firewall address-list")) {
      if (prop(entry, "list") != "vpnaas-local") {
        continue;
      }
      if (auto p = Ipv4Prefix::parse(prop(entry, "address"))) {
        rr.attached.push_back(*p);
        offer(rr.tables[kMain], Route{*p, Route::Kind::attached, rr.lan, kMain, {}, 0, 0});
      }
    }
    for (const Item& r : router->items("/ip route")) {
      auto dst = Ipv4Prefix::parse(prop(r, "dst-address"));
      if (!dst) {
        continue;
      }
      std::string table = prop(r, "routing-table").empty() ? kMain : prop(r, "routing-table");
      std::string gateway = prop(r, "gateway");
      std::string via = kMain; // a gateway without "@table" resolves in main
      if (auto at = gateway.rfind('@'); at != std::string::npos) {
        via = gateway.substr(at + 1);
        gateway = gateway.substr(0, at);
      }
      Route route{*dst, Route::Kind::static_route, {}, via, {}, 1, 0};
      if (!prop(r, "distance").empty()) {
        route.distance = std::atoi(prop(r, "distance").c_str());
      }
      if (auto address = Ipv4Address::parse(gateway)) {
        const Route* link = best_match(rr.tables[via], *address);
        if (link == nullptr || link->kind != Route::Kind::connected) {
          return make_error(ErrorCode::invalid_input,
                            fmt::format("router {}: route to {} in table {}: gateway {} has no "
                                        "connected route in table {}",
                                        name, dst->to_string(), table, gateway, via));
        }
        route.interface = link->interface;
        route.gateway = *address;
      } else {
        route.interface = gateway;
      }
      offer(rr.tables[table], std::move(route));
    }
    net.m_firewalls.emplace(name, Firewall(*router));
    if (router->version().major < 7) {
      continue;
    }
    // OSPF instances of this router.
    std::map<std::string, std::size_t> instance_node;
    for (const Item& inst : router->items("/routing ospf instance")) {
      OspfNode node{name, prop(inst, "vrf").empty() ? kMain : prop(inst, "vrf"), {}, {}};
      auto redistribute = split(prop(inst, "redistribute"));
      if (std::find(redistribute.begin(), redistribute.end(), "static") != redistribute.end()) {
        for (const Route& r : rr.tables[node.table]) {
          if (r.kind == Route::Kind::static_route) {
            node.originated.push_back(r.dst);
          }
        }
      }
      instance_node[prop(inst, "name")] = nodes.size();
      nodes.push_back(std::move(node));
    }
    std::map<std::string, std::pair<std::size_t, std::string>> area_of; // area -> node, area-id
    for (const Item& area : router->items("/routing ospf area")) {
      auto it = instance_node.find(prop(area, "instance"));
      if (it != instance_node.end()) {
        area_of[prop(area, "name")] = {it->second, prop(area, "area-id")};
      }
    }
    for (const Item& t : router->items("/routing ospf interface-template")) {
      auto area = area_of.find(prop(t, "area"));
      if (area == area_of.end()) {
        continue;
      }
      OspfNode& node = nodes[area->second.first];
      if (prop(t, "passive") == "yes") {
        for (const auto& text : split(prop(t, "networks"))) {
          auto p = Ipv4Prefix::parse(text);
          // Announced only when the instance's table has the network.
          if (p && best_match(rr.tables[node.table], p->network()) != nullptr) {
            node.originated.push_back(*p);
          }
        }
        continue;
      }
      std::uint32_t cost = prop(t, "cost").empty()
                               ? 1u
                               : static_cast<std::uint32_t>(std::atoi(prop(t, "cost").c_str()));
      for (const auto& iface : split(prop(t, "interfaces"))) {
        // An instance runs only on the interfaces of its own VRF.
        if (rr.vrf_of.count(iface) == 0 || rr.vrf_of[iface] != node.table) {
          continue;
        }
        for (const Item& a : router->items("/ip address")) {
          auto parsed = interface_address(prop(a, "address"));
          if (parsed && prop(a, "interface") == iface) {
            node.originated.push_back(parsed->second);
            ospf_interfaces.push_back(OspfInterface{area->second.first, iface, area->second.second,
                                                    parsed->first, parsed->second, cost});
          }
        }
      }
    }
  }
  // Neighbours: OSPF interfaces of one area on the two ends of one subnet.
  for (const auto& a : ospf_interfaces) {
    for (const auto& b : ospf_interfaces) {
      if (&a != &b && a.subnet == b.subnet && a.area_id == b.area_id &&
          nodes[a.node].router != nodes[b.node].router) {
        nodes[a.node].links.push_back({b.node, a.interface, b.address, a.cost});
      }
    }
  }
  // Shortest paths from every instance; each destination's first hop.
  for (std::size_t from = 0; from < nodes.size(); ++from) {
    constexpr auto kInf = std::numeric_limits<std::uint32_t>::max();
    std::vector<std::uint32_t> dist(nodes.size(), kInf);
    std::vector<const OspfNode::Link*> first(nodes.size(), nullptr);
    using Entry = std::pair<std::uint32_t, std::size_t>;
    std::priority_queue<Entry, std::vector<Entry>, std::greater<>> queue;
    dist[from] = 0;
    queue.push({0, from});
    while (!queue.empty()) {
      auto [d, n] = queue.top();
      queue.pop();
      if (d != dist[n]) {
        continue;
      }
      for (const auto& link : nodes[n].links) {
        if (d + link.cost < dist[link.to]) {
          dist[link.to] = d + link.cost;
          first[link.to] = n == from ? &link : first[n];
          queue.push({dist[link.to], link.to});
        }
      }
    }
    RouterRouting& rr = net.m_routers[nodes[from].router];
    auto& table = rr.tables[nodes[from].table];
    for (std::size_t to = 0; to < nodes.size(); ++to) {
      if (to == from || dist[to] == kInf) {
        continue;
      }
      for (const auto& prefix : nodes[to].originated) {
        offer(table, Route{prefix, Route::Kind::ospf, first[to]->interface, nodes[from].table,
                           first[to]->gateway, 110, dist[to]});
      }
    }
  }
  for (auto& [name, rr] : net.m_routers) {
    for (auto& [table, routes] : rr.tables) {
      std::sort(routes.begin(), routes.end(),
                [](const Route& a, const Route& b) { return a.dst < b.dst; });
    }
  }
  return net;
}

const Route* RoutedNetwork::lookup(const std::string& router, const std::string& table,
                                   Ipv4Address dst) const {
  auto r = m_routers.find(router);
  if (r == m_routers.end()) {
    return nullptr;
  }
  auto t = r->second.tables.find(table);
  return t == r->second.tables.end() ? nullptr : best_match(t->second, dst);
}

RoutedNetwork::Trace RoutedNetwork::trace(const std::string& from, const std::string& table,
                                          Ipv4Address dst) const {
  Trace out;
  std::string router = from;
  std::string current = table;
  std::string arrived; // the interface the packet came in on
  for (int hop = 0; hop < 64; ++hop) {
    out.router = router;
    out.path.push_back(router + "/" + current);
    const Route* route = lookup(router, current, dst);
    if (route == nullptr) {
      out.why = fmt::format("no route to {} in table {} of {}", dst.to_string(), current, router);
      return out;
    }
    if (route->kind == Route::Kind::attached ||
        (route->interface == m_routers.at(router).lan && route->kind != Route::Kind::connected)) {
      const auto& attached = m_routers.at(router).attached;
      bool here = std::any_of(attached.begin(), attached.end(),
                              [&](const Ipv4Prefix& p) { return p.contains(dst); });
      out.delivered = here;
      if (!here) {
        out.why =
            fmt::format("{} sends {} to its LAN, which does not hold it", router, dst.to_string());
      }
      return out;
    }
    if (auto f = m_firewalls.find(router); f != m_firewalls.end() && !arrived.empty()) {
      FilterPacket packet{"forward", arrived, route->interface, "", std::nullopt, dst};
      auto verdict = f->second.verdict(packet);
      if (verdict.action == "drop" || verdict.action == "reject") {
        out.why =
            fmt::format("{} drops forwarding from {} to {}", router, arrived, route->interface);
        return out;
      }
    }
    Ipv4Address next = route->gateway;
    if (route->kind == Route::Kind::connected) {
      next = dst; // the peer's transit address itself
    }
    auto owner = m_owner.find(next);
    if (owner == m_owner.end() || owner->second.first == router) {
      // A point-to-point interface without a gateway: the other end of its subnet.
      bool found = false;
      for (const auto& [address, where] : m_owner) {
        if (where.first != router && route->dst.contains(address) &&
            route->kind == Route::Kind::connected) {
          owner = m_owner.find(address);
          found = true;
          break;
        }
      }
      if (!found) {
        out.why = fmt::format("{}: next hop {} for {} is no simulated router", router,
                              next.to_string(), dst.to_string());
        return out;
      }
    }
    if (route->kind == Route::Kind::connected && owner->first == dst) {
      out.router = owner->second.first;
      out.delivered = true;
      return out;
    }
    router = owner->second.first;
    arrived = owner->second.second;
    current = m_routers.at(router).vrf_of.at(arrived);
  }
  out.why = "routing loop";
  return out;
}

} // namespace vpnaas::routeros
