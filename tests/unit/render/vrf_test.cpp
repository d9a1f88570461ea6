// Tenant isolation on cluster routers (inventory `isolation: vrf`), proved
// without a dataplane: every router's script runs in the strict simulator,
// and routeros::RoutedNetwork derives each router's routing tables per VRF
// from the resulting configuration (OSPF included) and follows packets.
#include <vpnaas/routeros/firewall.hpp>
#include <vpnaas/routeros/routing.hpp>
#include <vpnaas/topology/lock_file.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <map>
#include <set>

#include "render_support.hpp"

namespace vpnaas::test {
namespace {

using routeros::Router;

// Two customers on the two-router cluster dc1, full mesh with OSPF; acme's
// brussels and globex's paris both use 192.168.1.0/24.
std::map<std::string, std::string> tenants(const std::string& isolation = "",
                                           const std::string& paris_lan = "192.168.1.0/24",
                                           const std::string& release = "7") {
  std::map<std::string, std::string> files;
  files["vpnaas.yaml"] =
      "vpnaas: 1\ndefaults:\n  routeros: \"" + release + "\"\n  transit-pool: 10.255.0.0/16\n";
  files["clusters/dc1.yaml"] =
      "cluster: dc1\nnetworks: [10.10.0.0/24, 10.20.0.0/24]\n" + isolation +
      "devices:\n"
      "  - { name: dc1-r1, public-ip: 203.0.113.1, router-id: 10.0.255.1 }\n"
      "  - { name: dc1-r2, public-ip: 203.0.113.2, router-id: 10.0.255.2 }\n";
  files["customers/acme.yaml"] =
      "customer: acme\ncluster: dc1\nsites:\n"
      "  - name: bru\n    lan: [192.168.1.0/24]\n"
      "    device: { name: acme-bru, public-ip: 192.0.2.10, router-id: 10.1.0.1 }\n"
      "  - name: ant\n    lan: [192.168.20.0/24, 192.168.21.0/24]\n"
      "    device: { name: acme-ant, public-ip: 192.0.2.20, router-id: 10.1.0.2 }\n"
      "  - name: gent\n    lan: [192.168.30.0/24]\n"
      "    device: { name: acme-gent, public-ip: 192.0.2.30, router-id: 10.1.0.3 }\n";
  files["customers/globex.yaml"] =
      "customer: globex\ncluster: dc1\nsites:\n"
      "  - name: paris\n    lan: [" +
      paris_lan +
      "]\n"
      "    device: { name: globex-par, public-ip: 198.51.100.11, router-id: 10.2.0.1 }\n"
      "  - name: lyon\n    lan: [172.16.40.0/24]\n"
      "    device: { name: globex-lyo, public-ip: 198.51.100.12, router-id: 10.2.0.2 }\n";
  return files;
}

// The customer of each site router, by device name.
const std::map<std::string, std::string> kCustomerOf{{"acme-bru", "acme"},
                                                     {"acme-ant", "acme"},
                                                     {"acme-gent", "acme"},
                                                     {"globex-par", "globex"},
                                                     {"globex-lyo", "globex"}};

// A LAN's first host, where a site's users live.
Ipv4Address host_in(const std::string& prefix) {
  auto p = Ipv4Prefix::parse(prefix);
  REQUIRE(p.ok());
  return Ipv4Address(p->network().value() + 5);
}

struct ImportedNetwork {
  std::map<std::string, Router> routers; // device name -> router after the import
  routeros::RoutedNetwork network;
};

ImportedNetwork import_all(const std::map<std::string, std::string>& scripts) {
  std::map<std::string, Router> routers;
  for (const auto& [path, script] : scripts) {
    CAPTURE(path);
    std::string device = path.substr(path.find('/') + 1);
    device = device.substr(0, device.size() - 4);
    Router r = router_for(script);
    run_on(script, r);
    CHECK(run_on(script, r).total() == 0); // converged: a second import changes nothing
    routers.emplace(device, std::move(r));
  }
  std::map<std::string, const Router*> view;
  for (const auto& [name, r] : routers) {
    view.emplace(name, &r);
  }
  auto network = routeros::RoutedNetwork::derive(view);
  REQUIRE(network.ok());
  return ImportedNetwork{std::move(routers), std::move(*network)};
}

void check_delivered(const routeros::RoutedNetwork& net, const std::string& from,
                     const std::string& table, const std::string& lan, const std::string& at) {
  auto trace = net.trace(from, table, host_in(lan));
  std::string path;
  for (const auto& hop : trace.path) {
    path += hop + " ";
  }
  INFO(from << " -> " << lan << ": " << path << trace.why);
  CHECK(trace.delivered);
  CHECK(trace.router == at);
}

} // namespace

TEST_CASE("with a VRF per customer every site reaches its own sites and the cluster networks") {
  auto ws = open_files(tenants());
  REQUIRE(ws->inventory.find_cluster("dc1")->isolation.value == inventory::Isolation::vrf);
  auto imported = import_all(render_all(*ws));
  const auto& net = imported.network;
  const std::map<std::string, std::vector<std::string>> lans{
      {"acme-bru", {"192.168.1.0/24"}},
      {"acme-ant", {"192.168.20.0/24", "192.168.21.0/24"}},
      {"acme-gent", {"192.168.30.0/24"}},
      {"globex-par", {"192.168.1.0/24"}},
      {"globex-lyo", {"172.16.40.0/24"}}};
  std::size_t traced = 0;
  for (const auto& [from, customer] : kCustomerOf) {
    for (const auto& [to, lans_of_to] : lans) {
      if (to == from || kCustomerOf.at(to) != customer) {
        continue;
      }
      for (const auto& lan : lans_of_to) {
        check_delivered(net, from, "main", lan, to);
        ++traced;
      }
    }
    for (const char* shared : {"10.10.0.0/24", "10.20.0.0/24"}) {
      auto trace = net.trace(from, "main", host_in(shared));
      INFO(from << " -> " << shared << ": " << trace.why);
      CHECK(trace.delivered);
      CHECK(trace.router.rfind("dc1-r", 0) == 0);
      ++traced;
    }
  }
  CHECK(traced == 20); // 8 within acme, 2 within globex, 5 sites x 2 cluster networks
  // Back from the cluster networks: every LAN no other customer uses.
  for (const char* cluster : {"dc1-r1", "dc1-r2"}) {
    check_delivered(net, cluster, "main", "192.168.20.0/24", "acme-ant");
    check_delivered(net, cluster, "main", "192.168.30.0/24", "acme-gent");
    check_delivered(net, cluster, "main", "172.16.40.0/24", "globex-lyo");
    // 192.168.1.0/24 is both customers': MikroTik cannot leak overlapping
    // networks, so main has no route to it and guesses neither customer.
    CHECK(net.lookup(cluster, "main", host_in("192.168.1.0/24")) == nullptr);
    // Inside each customer's VRF, the shared prefix is that customer's own.
    check_delivered(net, cluster, "vpnaas-acme", "192.168.1.0/24", "acme-bru");
    check_delivered(net, cluster, "vpnaas-globex", "192.168.1.0/24", "globex-par");
  }
}

TEST_CASE("no route in one customer's VRF points into another customer's tunnel") {
  auto imported = import_all(render_all(*open_files(tenants())));
  for (const char* cluster : {"dc1-r1", "dc1-r2"}) {
    CAPTURE(cluster);
    const auto& rr = imported.network.routers().at(cluster);
    REQUIRE(rr.tables.count("vpnaas-acme") == 1);
    REQUIRE(rr.tables.count("vpnaas-globex") == 1);
    std::size_t checked = 0;
    for (const auto& [table, routes] : rr.tables) {
      for (const auto& route : routes) {
        CAPTURE(table);
        CAPTURE(route.dst.to_string());
        if (route.interface == "bridge") {
          CHECK(route.table == "main"); // a cluster network, leaked in from main
          continue;
        }
        REQUIRE(route.interface.rfind("gre-", 0) == 0);
        const std::string& customer = kCustomerOf.at(route.interface.substr(4));
        // Main holds tunnel routes only as leaks resolved in the owner's VRF.
        CHECK(route.table == "vpnaas-" + customer);
        if (table != "main") {
          CHECK(table == "vpnaas-" + customer);
        }
        CHECK(rr.vrf_of.at(route.interface) == "vpnaas-" + customer);
        ++checked;
      }
    }
    CHECK(checked > 10);
  }
}

TEST_CASE("a cluster router drops forwarding between tunnels, even along a wrong route") {
  // Before 7.14 the drop matches the tunnel interface list, from 7.14 each
  // customer's VRF interface: the trace goes through the firewall model.
  for (const char* release : {"7", "7.13", "7.14", "7.16"}) {
    CAPTURE(release);
    auto imported = import_all(render_all(*open_files(tenants("", "192.168.1.0/24", release))));
    // A hand-made route in acme's VRF towards globex's paris, as if leaked by
    // mistake: the defence-in-depth filter still drops the packet.
    Router& r1 = imported.routers.at("dc1-r1");
    std::string gateway;
    for (const auto& a : r1.items("/ip address")) {
      if (a.props.at("interface") == "gre-globex-par") {
        auto addr =
            Ipv4Address::parse(a.props.at("address").substr(0, a.props.at("address").find('/')));
        REQUIRE(addr.ok());
        gateway = Ipv4Address(addr->value() ^ 3u).to_string(); // the /30's other host
      }
    }
    REQUIRE_FALSE(gateway.empty());
    r1.add("/ip route", {{"dst-address", "172.16.40.0/24"},
                         {"gateway", gateway + "@vpnaas-globex"},
                         {"routing-table", "vpnaas-acme"}});
    std::map<std::string, const Router*> view;
    for (const auto& [name, r] : imported.routers) {
      view.emplace(name, &r);
    }
    auto net = routeros::RoutedNetwork::derive(view);
    REQUIRE(net.ok());
    // acme-bru learns the route (the VRF's instance redistributes static
    // routes) and sends the packet into its tunnel; dc1-r1 drops it there.
    auto trace = net->trace("acme-bru", "main", host_in("172.16.40.0/24"));
    CHECK_FALSE(trace.delivered);
    CHECK(trace.why == "dc1-r1 drops forwarding from gre-acme-bru to gre-globex-par");
  }
}

TEST_CASE("the cluster's networks are leaked over the LAN interface the inventory names") {
  auto files = tenants();
  auto& cluster = files.at("clusters/dc1.yaml");
  const std::string r1 = "router-id: 10.0.255.1 }";
  cluster.replace(cluster.find(r1), r1.size(),
                  "router-id: 10.0.255.1, interfaces: { lan: vlan10 } }");
  auto scripts = render_all(*open_files(files));
  CHECK(scripts.at("dc1/dc1-r1.rsc").find("\"vlan10@main\"") != std::string::npos);
  CHECK(scripts.at("dc1/dc1-r1.rsc").find("\"bridge@main\"") == std::string::npos);
  CHECK(scripts.at("dc1/dc1-r2.rsc").find("\"bridge@main\"") != std::string::npos);
  auto imported = import_all(scripts);
  const auto& net = imported.network;
  CHECK(net.routers().at("dc1-r1").lan == "vlan10");
  CHECK(net.routers().at("dc1-r2").lan == "bridge");
  for (const char* customer : {"vpnaas-acme", "vpnaas-globex"}) {
    const auto* leak = net.lookup("dc1-r1", customer, host_in("10.20.0.0/24"));
    REQUIRE(leak != nullptr);
    CHECK(leak->interface == "vlan10");
    CHECK(leak->table == "main");
    auto trace = net.trace("dc1-r1", customer, host_in("10.20.0.0/24"));
    CHECK(trace.delivered);
  }
  // From the sites, over either cluster router.
  for (const char* site : {"acme-bru", "globex-lyo"}) {
    auto trace = net.trace(site, "main", host_in("10.10.0.0/24"));
    INFO(site << ": " << trace.why);
    CHECK(trace.delivered);
  }
}

// dc1-r1 of tenants() rendered for `release`, imported on a router of
// `runs` behind MikroTik's default final drops of the input and forward
// chains.
Router imported_cluster(const std::string& release, routeros::Version runs) {
  auto scripts = render_all(*open_files(tenants("", "192.168.1.0/24", release)));
  Router r(runs);
  r.add("/ip firewall filter",
        {{"chain", "input"}, {"action", "drop"}, {"comment", "defconf: drop all"}});
  r.add("/ip firewall filter",
        {{"chain", "forward"}, {"action", "drop"}, {"comment", "defconf: drop all"}});
  run_on(scripts.at("dc1/dc1-r1.rsc"), r);
  CHECK(run_on(scripts.at("dc1/dc1-r1.rsc"), r).total() == 0);
  return r;
}

routeros::Firewall cluster_firewall(const std::string& release, routeros::Version runs) {
  return routeros::Firewall(imported_cluster(release, runs));
}

routeros::FilterPacket ospf_from(const std::string& tunnel) {
  return {"input",
          tunnel,
          "",
          "ospf",
          Ipv4Address::parse("10.255.0.2").value(),
          Ipv4Address::parse("224.0.0.5").value()};
}

routeros::FilterPacket forward(const std::string& in, const std::string& out,
                               const std::string& src, const std::string& dst) {
  return {"forward", in, out, "", host_in(src), host_in(dst)};
}

// dc1-r1's rules seen through the firewall model: OSPF from either tenant's
// tunnel accepted, a tenant's tunnel into another's dropped, the cluster's
// networks reached both ways. Tags end in `acme` / `globex` (":acme" from
// 7.14, where each customer has its own rules; "" before).
void check_cluster_rules(const routeros::Firewall& fw, const std::string& acme,
                         const std::string& globex) {
  CHECK(fw.verdict(ospf_from("gre-acme-bru")).comment == "vpnaas:filter:ospf" + acme);
  CHECK(fw.verdict(ospf_from("gre-globex-par")).comment == "vpnaas:filter:ospf" + globex);
  auto across =
      fw.verdict(forward("gre-acme-bru", "gre-globex-par", "192.168.1.0/24", "172.16.40.0/24"));
  CHECK(across.action == "drop");
  CHECK(across.comment == "vpnaas:filter:tunnel-to-tunnel" + acme);
  CHECK(fw.verdict(forward("gre-acme-bru", "bridge", "192.168.1.0/24", "10.10.0.0/24")).comment ==
        "vpnaas:filter:forward-in" + acme);
  CHECK(fw.verdict(forward("bridge", "gre-globex-lyo", "10.20.0.0/24", "172.16.40.0/24")).comment ==
        "vpnaas:filter:forward-out" + globex);
}

TEST_CASE("from RouterOS 7.14 a VRF cluster router's rules match each customer's VRF interface") {
  auto scripts = render_all(*open_files(tenants("", "192.168.1.0/24", "7.14")));
  const std::string& script = scripts.at("dc1/dc1-r1.rsc");
  CHECK(script.find("# Needs RouterOS 7.14 or later\n") != std::string::npos);
  // In import order: vpnaas's rules, each customer's drop last, then the
  // default drop.
  std::vector<std::string> rules;
  Router r1 = imported_cluster("7.14", {7, 14, 0});
  for (const auto& rule : r1.items("/ip firewall filter")) {
    if (rule.props.at("chain") == "forward") {
      std::string in = rule.props.count("in-interface") ? rule.props.at("in-interface") : "";
      rules.push_back(rule.props.at("comment") + " " + rule.props.at("action") + " " + in);
    }
  }
  CHECK(rules ==
        std::vector<std::string>{"vpnaas:filter:forward-in:acme accept vpnaas-acme",
                                 "vpnaas:filter:forward-out:acme accept ",
                                 "vpnaas:filter:forward-in:globex accept vpnaas-globex",
                                 "vpnaas:filter:forward-out:globex accept ",
                                 "vpnaas:filter:tunnel-to-tunnel:acme drop vpnaas-acme",
                                 "vpnaas:filter:tunnel-to-tunnel:globex drop vpnaas-globex",
                                 "defconf: drop all drop "});
  CHECK(script.find("in-interface-list=\"vpnaas-tunnels\"") == std::string::npos);
  // Site routers hold no VRF: their list rules work on every release.
  CHECK(scripts.at("acme/acme-bru.rsc").find("in-interface-list=\"vpnaas-tunnels\"") !=
        std::string::npos);

  auto fw = cluster_firewall("7.14", {7, 14, 0});
  CHECK(fw.seen_as("gre-acme-bru") == "vpnaas-acme");
  CHECK(fw.seen_as("bridge") == "bridge");
  check_cluster_rules(fw, ":acme", ":globex");
  // Between two tunnels of one tenant, too.
  auto within =
      fw.verdict(forward("gre-acme-bru", "gre-acme-ant", "192.168.1.0/24", "192.168.20.0/24"));
  CHECK(within.comment == "vpnaas:filter:tunnel-to-tunnel:acme");
}

TEST_CASE("before RouterOS 7.14 a VRF cluster router's rules match the tunnel interface list") {
  auto fw = cluster_firewall("7.13", {7, 13, 0});
  CHECK(fw.seen_as("gre-acme-bru") == "gre-acme-bru");
  check_cluster_rules(fw, "", "");
}

TEST_CASE("a script written for 7.13 loses its tunnel rules on a 7.14 router, as MikroTik warns") {
  // The list names GRE interfaces that a 7.14 firewall sees as their VRF:
  // OSPF falls through to the default drop, and so does the tenants' drop.
  auto fw = cluster_firewall("7.13", {7, 14, 0});
  CHECK(fw.verdict(ospf_from("gre-acme-bru")).comment == "defconf: drop all");
  CHECK(fw.verdict(forward("gre-acme-bru", "bridge", "192.168.1.0/24", "10.10.0.0/24")).comment ==
        "defconf: drop all");
  auto across =
      fw.verdict(forward("gre-acme-bru", "gre-globex-par", "192.168.1.0/24", "172.16.40.0/24"));
  CHECK(across.comment == "defconf: drop all");
}

// Imports `from`'s cluster scripts, then `to`'s (rendered with `from`'s
// lock), and checks that the result is a fresh import of `to` and stable.
std::map<std::string, Router> switch_isolation(std::map<std::string, std::string> from,
                                               std::map<std::string, std::string> to) {
  auto ws1 = open_files(from);
  to["vpnaas.lock"] = topology::render_lock(ws1->allocation.lock);
  auto ws2 = open_files(to);
  auto v1 = render_all(*ws1);
  auto v2 = render_all(*ws2);
  std::map<std::string, Router> out;
  for (const char* path : {"dc1/dc1-r1.rsc", "dc1/dc1-r2.rsc"}) {
    CAPTURE(path);
    CHECK(v1.at(path) != v2.at(path));
    Router updated = router_for(v2.at(path));
    updated.add("/interface bridge", {{"name", "bridge"}});
    run_on(v1.at(path), updated);
    auto update = run_on(v2.at(path), updated);
    CHECK(update.total() > 0);
    Router fresh = router_for(v2.at(path));
    fresh.add("/interface bridge", {{"name", "bridge"}});
    run_on(v2.at(path), fresh);
    CHECK(updated.dump() == fresh.dump());
    CHECK(run_on(v2.at(path), updated).total() == 0);
    out.emplace(path, std::move(updated));
  }
  // Site routers do not change: isolation is the cluster's business.
  for (const auto& [path, script] : v2) {
    if (path.rfind("dc1/", 0) != 0) {
      CAPTURE(path);
      CHECK(script == v1.at(path));
    }
  }
  return out;
}

TEST_CASE("switching a cluster to VRFs is an ordinary update that leaves nothing behind") {
  // Before: one table (isolation: none), so LANs are unique.
  auto none = tenants("isolation: none\n", "192.168.50.0/24");
  auto vrf = tenants("", "192.168.50.0/24");
  for (auto& [path, r] : switch_isolation(none, vrf)) {
    CAPTURE(path);
    // The VRFs stand before main, and no OSPF instance is left in main.
    const auto& vrfs = r.items("/ip vrf");
    REQUIRE(vrfs.size() == 3);
    CHECK(vrfs[0].props.at("name") == "vpnaas-acme");
    CHECK(vrfs[1].props.at("name") == "vpnaas-globex");
    CHECK(vrfs[2].props.at("name") == "main");
    CHECK(r.items("/routing ospf instance").size() == 2);
    for (const auto& instance : r.items("/routing ospf instance")) {
      CHECK(instance.props.count("vrf") == 1);
    }
  }
  // And back: the VRFs go once nothing names them any more.
  for (auto& [path, r] : switch_isolation(vrf, none)) {
    CAPTURE(path);
    CHECK(r.items("/ip vrf").size() == 1);
    for (const auto& instance : r.items("/routing ospf instance")) {
      CHECK(instance.props.count("vrf") == 0);
    }
  }
}

TEST_CASE("a cluster without VRFs keeps one table and still drops tunnel-to-tunnel forwarding") {
  auto ws = open_files(tenants("isolation: none\n", "192.168.50.0/24"));
  auto scripts = render_all(*ws);
  const std::string& script = scripts.at("dc1/dc1-r1.rsc");
  CHECK(script.find("/ip vrf add") == std::string::npos);
  CHECK(script.find("tunnel-to-tunnel") != std::string::npos);
  auto imported = import_all(scripts);
  check_delivered(imported.network, "acme-bru", "main", "10.10.0.0/24", "dc1-r1");
  check_delivered(imported.network, "dc1-r1", "main", "192.168.50.0/24", "globex-par");
  CHECK(imported.network.routers().at("dc1-r1").tables.size() == 1);
}

} // namespace vpnaas::test
