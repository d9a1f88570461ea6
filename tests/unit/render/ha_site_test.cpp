// Highly available sites rendered: both routers' scripts run in the strict
// simulator, and what they leave there is the MUM design: one VRRP gateway,
// the primary preferred by OSPF cost and static distance, fast OSPF timers on
// HA tunnels, tracking that hands the gateway over.
#include <vpnaas/routeros/reader.hpp>

#include <doctest/doctest.h>

#include <algorithm>

#include "render_support.hpp"
#include "support/paths.hpp"

namespace vpnaas::test {
namespace {

using Props = std::map<std::string, std::string>;

std::string get(const Props& props, const std::string& key) {
  auto it = props.find(key);
  return it == props.end() ? std::string() : it->second;
}

// The one item of `menu` whose `key` is `value`; fails the test otherwise.
Props only(const routeros::Router& router, const std::string& menu, const std::string& key,
           const std::string& value) {
  std::vector<Props> found;
  for (const auto& item : router.items(menu)) {
    if (get(item.props, key) == value) {
      found.push_back(item.props);
    }
  }
  INFO(menu << " " << key << "=" << value);
  REQUIRE(found.size() == 1);
  return found.front();
}

struct ImportedFixture {
  std::map<std::string, std::string> scripts;
  std::map<std::string, routeros::Router> routers;
};

ImportedFixture import_fixture(const std::string& fixture) {
  ImportedFixture out;
  out.scripts = render_all(*open_fixture(data_path("render/" + fixture)));
  for (const auto& [path, text] : out.scripts) {
    auto router = router_for(text);
    run_on(text, router);
    out.routers.emplace(path, std::move(router));
  }
  return out;
}

// The ha7 fixture's settings and cluster, with `acme_yaml` as its one customer.
std::map<std::string, std::string> ha7_with_acme(const std::string& acme_yaml) {
  std::map<std::string, std::string> files;
  for (const char* f : {"vpnaas.yaml", "clusters/dc1.yaml"}) {
    files[f] = read_file(data_path(std::string("render/ha7/") + f));
  }
  files["customers/acme.yaml"] = acme_yaml;
  return files;
}

} // namespace

TEST_CASE("both routers of an HA site share one VRRP gateway, the primary above the backup") {
  auto imported = import_fixture("ha7");
  CHECK(imported.scripts.size() == 7); // two cluster routers, 2 + 2 + 1 site routers
  struct Expect {
    const char* path;
    const char* vrid;
    const char* priority;
    const char* interface;
    const char* gateway;
  };
  for (const Expect& e :
       {Expect{"acme/acme-bru-r1.rsc", "10", "200", "bridge", "192.168.10.1/32"},
        Expect{"acme/acme-bru-r2.rsc", "10", "100", "bridge", "192.168.10.1/32"},
        Expect{"acme/acme-ant-r1.rsc", "20", "200", "bridge-lan", "192.168.20.254/32"},
        Expect{"acme/acme-ant-r2.rsc", "20", "100", "bridge-lan", "192.168.20.254/32"}}) {
    CAPTURE(e.path);
    const auto& router = imported.routers.at(e.path);
    REQUIRE(router.items("/interface vrrp").size() == 1);
    const Props vrrp = router.items("/interface vrrp").front().props;
    CHECK(get(vrrp, "vrid") == e.vrid);
    CHECK(get(vrrp, "priority") == e.priority);
    CHECK(get(vrrp, "interface") == e.interface);
    CHECK(get(vrrp, "preemption-mode") == "yes");
    const Props gateway = only(router, "/ip address", "address", e.gateway);
    CHECK(get(gateway, "interface") == get(vrrp, "name"));
    // Tracking: one entry per tunnel to a cluster router, each pinging the
    // cluster router's end of it, all with the same script.
    REQUIRE(router.items("/tool netwatch").size() == 2);
    for (const char* cluster : {"dc1-r1", "dc1-r2"}) {
      CAPTURE(cluster);
      const Props transit = only(router, "/ip address", "interface", std::string("gre-") + cluster);
      const std::string mine = get(transit, "address");
      std::string host;
      for (const auto& watch : router.items("/tool netwatch")) {
        const std::string h = get(watch.props, "host");
        if (h != mine.substr(0, mine.find('/')) &&
            h.substr(0, h.rfind('.')) == mine.substr(0, mine.rfind('.'))) {
          host = h;
          CHECK(get(watch.props, "up-script") == get(watch.props, "down-script"));
          CHECK(get(watch.props, "up-script") ==
                ":if ([:len [/tool netwatch find where comment~\"^vpnaas:netwatch:\" "
                "status=\"up\"]] = 0) do={/interface vrrp set [find where comment=\"" +
                    get(vrrp, "comment") +
                    "\"] priority=50} else={/interface vrrp set [find where comment=\"" +
                    get(vrrp, "comment") + "\"] priority=" + e.priority + "}");
        }
      }
      CHECK_FALSE(host.empty());
    }
  }
  // One-router sites and cluster routers have no VRRP.
  for (const char* path : {"acme/acme-ghe-r1.rsc", "dc1/dc1-r1.rsc", "dc1/dc1-r2.rsc"}) {
    CAPTURE(path);
    CHECK(imported.routers.at(path).items("/interface vrrp").empty());
    CHECK(imported.routers.at(path).items("/tool netwatch").empty());
  }
}

// Runs a netwatch entry's script on `router` as RouterOS would on a status
// change, after setting each vpnaas entry's read-only status ("up" or
// "down", by host), and returns the VRRP priority it leaves.
std::string priority_after(routeros::Router& router,
                           const std::map<std::string, std::string>& status, const char* script) {
  for (auto& watch : router.items("/tool netwatch")) {
    watch.props["status"] = status.at(watch.props.at("host"));
  }
  const std::string text = router.items("/tool netwatch").front().props.at(script);
  auto read = routeros::read_script(text + "\n");
  REQUIRE(read.ok());
  auto run = routeros::run_script(read.commands, router);
  INFO(text);
  REQUIRE(run.ok());
  return router.items("/interface vrrp").front().props.at("priority");
}

TEST_CASE("an HA router lowers its VRRP priority only when all its cluster tunnels are down") {
  auto imported = import_fixture("ha7");
  for (const auto& [path, normal] : std::map<std::string, std::string>{
           {"acme/acme-bru-r1.rsc", "200"}, {"acme/acme-bru-r2.rsc", "100"}}) {
    CAPTURE(path);
    auto& router = imported.routers.at(path);
    std::vector<std::string> hosts;
    for (const auto& watch : router.items("/tool netwatch")) {
      hosts.push_back(watch.props.at("host"));
    }
    REQUIRE(hosts.size() == 2);
    // One tunnel of two down: the router keeps the gateway.
    CHECK(priority_after(router, {{hosts[0], "down"}, {hosts[1], "up"}}, "down-script") == normal);
    // Both down (or the uplink, which takes both): below the other router.
    CHECK(priority_after(router, {{hosts[0], "down"}, {hosts[1], "down"}}, "down-script") == "50");
    // One back: the router's own priority again.
    CHECK(priority_after(router, {{hosts[0], "down"}, {hosts[1], "up"}}, "up-script") == normal);
  }
}

TEST_CASE("OSPF prefers the primary's tunnels and runs 1 s hello, 4 s dead on HA tunnels") {
  auto imported = import_fixture("ha7");
  const auto& dc1 = imported.routers.at("dc1/dc1-r1.rsc");
  auto cost_to = [&](const routeros::Router& router, const std::string& peer) {
    return get(only(router, "/routing ospf interface-template", "interfaces", "gre-" + peer),
               "cost");
  };
  CHECK(cost_to(dc1, "acme-bru-r1") == "10");
  CHECK(cost_to(dc1, "acme-bru-r2") == "110");
  CHECK(cost_to(dc1, "acme-ant-r1") == "10");
  CHECK(cost_to(dc1, "acme-ant-r2") == "110");
  const auto& bru2 = imported.routers.at("acme/acme-bru-r2.rsc");
  CHECK(cost_to(bru2, "dc1-r1") == "110"); // both ends agree
  CHECK(cost_to(bru2, "acme-ant-r1") == "110");
  CHECK(cost_to(bru2, "acme-ant-r2") == "210"); // two backups: the last resort
  for (const auto& item : bru2.items("/routing ospf interface-template")) {
    if (!get(item.props, "interfaces").empty()) {
      CHECK(get(item.props, "hello-interval") == "1s");
      CHECK(get(item.props, "dead-interval") == "4s");
    }
  }
  // The HA routers have no tunnel between them: they share the LAN.
  CHECK(imported.routers.at("acme/acme-bru-r1.rsc").items("/interface gre").size() == 5);
  for (const auto& item : bru2.items("/interface gre")) {
    CHECK(get(item.props, "name") != "gre-acme-bru-r1");
  }
}

TEST_CASE("static routes reach an HA site through its primary first") {
  auto imported = import_fixture("ha7");
  const auto& ghent = imported.routers.at("acme/acme-ghe-r1.rsc");
  std::map<std::string, std::string> distance_by_gateway_interface;
  const Props to_r1 = only(ghent, "/interface gre", "name", "gre-acme-bru-r1");
  const Props to_r2 = only(ghent, "/interface gre", "name", "gre-acme-bru-r2");
  CHECK(get(to_r1, "remote-address") == "192.0.2.10");
  CHECK(get(to_r2, "remote-address") == "192.0.2.11");
  std::vector<std::string> distances;
  for (const auto& item : ghent.items("/ip route")) {
    if (get(item.props, "dst-address") == "192.168.10.0/24") {
      distances.push_back(get(item.props, "distance"));
    }
  }
  std::sort(distances.begin(), distances.end());
  CHECK(distances == std::vector<std::string>{"1", "2"});
}

TEST_CASE("a site that stops being HA loses its VRRP gateway and tracking on the next import") {
  auto ha = open_fixture(data_path("render/ha7"));
  auto scripts = render_all(*ha);
  const std::string before = scripts.at("acme/acme-bru-r1.rsc");
  auto router = router_for(before);
  run_on(before, router);
  REQUIRE(router.items("/interface vrrp").size() == 1);

  auto single = open_files(ha7_with_acme(R"(customer: acme
cluster: dc1
sites:
  - name: brussels
    lan: [192.168.10.0/24]
    device: { name: acme-bru-r1, public-ip: 192.0.2.10, router-id: 10.1.0.1 }
)"));
  const std::string after = render_all(*single).at("acme/acme-bru-r1.rsc");
  run_on(after, router);
  CHECK(router.items("/interface vrrp").empty());
  CHECK(router.items("/tool netwatch").empty());
  for (const auto& item : router.items("/ip address")) {
    CHECK(get(item.props, "address") != "192.168.10.1/32");
  }
  CHECK(run_on(after, router).total() == 0); // and it has converged
}

// The spec: "VRRP runs on `lan`". Without `vrrp: { interface }`, each router
// of the pair runs it on its own `interfaces: { lan }`, which may differ.
TEST_CASE("VRRP runs on each router's own LAN interface unless the site names one") {
  auto ws = open_files(ha7_with_acme(R"(customer: acme
cluster: dc1
sites:
  - name: brussels
    lan: [192.168.10.0/24]
    devices:
      - { name: acme-bru-r1, public-ip: 192.0.2.10, router-id: 10.1.0.1, interfaces: { lan: vlan10 } }
      - { name: acme-bru-r2, public-ip: 192.0.2.11, router-id: 10.1.0.11, interfaces: { lan: bridge2 } }
    vrrp: { address: 192.168.10.1/24, vrid: 10, primary: acme-bru-r1 }
  - name: antwerp
    lan: [192.168.20.0/24]
    devices:
      - { name: acme-ant-r1, public-ip: 192.0.2.20, router-id: 10.1.0.2, interfaces: { lan: vlan10 } }
      - { name: acme-ant-r2, public-ip: 192.0.2.21, router-id: 10.1.0.12 }
    vrrp: { address: 192.168.20.254, vrid: 20, primary: acme-ant-r1, interface: bridge-lan }
)"));
  REQUIRE(ws);
  const auto scripts = render_all(*ws);
  for (const auto& [path, interface] :
       std::map<std::string, std::string>{{"acme/acme-bru-r1.rsc", "vlan10"},
                                          {"acme/acme-bru-r2.rsc", "bridge2"},
                                          {"acme/acme-ant-r1.rsc", "bridge-lan"},
                                          {"acme/acme-ant-r2.rsc", "bridge-lan"}}) {
    CAPTURE(path);
    auto router = router_for(scripts.at(path));
    run_on(scripts.at(path), router); // fails the test if the simulator refuses it
    REQUIRE(router.items("/interface vrrp").size() == 1);
    CHECK(get(router.items("/interface vrrp").front().props, "interface") == interface);
  }
}

} // namespace vpnaas::test
