#include <vpnaas/topology/tunnel.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "inventory_files.hpp"

using namespace vpnaas;
using namespace vpnaas::topology;
using vpnaas::test::InventoryFiles;
using vpnaas::test::numbered_sites;
using vpnaas::test::SiteSpec;

namespace {

std::vector<std::string> ids_of(const std::vector<Tunnel>& tunnels) {
  std::vector<std::string> ids;
  for (const auto& t : tunnels) {
    ids.push_back(t.id);
  }
  return ids;
}

std::size_t count_kind(const std::vector<Tunnel>& tunnels, TunnelKind kind) {
  return static_cast<std::size_t>(std::count_if(
      tunnels.begin(), tunnels.end(), [kind](const Tunnel& t) { return t.kind == kind; }));
}

const Tunnel& find(const std::vector<Tunnel>& tunnels, const std::string& id) {
  auto it =
      std::find_if(tunnels.begin(), tunnels.end(), [&](const Tunnel& t) { return t.id == id; });
  REQUIRE(it != tunnels.end());
  return *it;
}

} // namespace

TEST_CASE("endpoint ids join the group and the name with a slash") {
  CHECK(site_endpoint_id("acme", "brussels") == "acme/brussels");
  CHECK(cluster_endpoint_id("dc1", "dc1-r1") == "dc1/dc1-r1");
}

TEST_CASE("a full-mesh customer gets n(n-1)/2 site tunnels plus n per cluster router") {
  for (int n : {1, 2, 3, 5, 12}) {
    CAPTURE(n);
    auto inv = test::load(InventoryFiles().customer("acme", numbered_sites(n)));
    auto tunnels = build_tunnels(*inv);
    const auto sites = static_cast<std::size_t>(n);
    CHECK(count_kind(tunnels, TunnelKind::site_to_site) == sites * (sites - 1) / 2);
    CHECK(count_kind(tunnels, TunnelKind::site_to_cluster) == sites * 2);
    CHECK(tunnels.size() == sites * (sites - 1) / 2 + sites * 2);
  }
}

TEST_CASE("tunnels are sorted by id with the lower endpoint id as a") {
  auto inv = test::load(InventoryFiles()
                            .customer("acme", {{"brussels", 1}, {"antwerp", 2}})
                            .customer("zeta", {{"x", 3}, {"xy", 4}}));
  auto tunnels = build_tunnels(*inv);
  // '~' sorts after every name character, so "zeta/xy~..." precedes "zeta/x~...".
  CHECK(ids_of(tunnels) == std::vector<std::string>{
                               "acme/antwerp~acme/brussels",
                               "acme/antwerp~dc1/dc1-r1",
                               "acme/antwerp~dc1/dc1-r2",
                               "acme/brussels~dc1/dc1-r1",
                               "acme/brussels~dc1/dc1-r2",
                               "dc1/dc1-r1~zeta/x",
                               "dc1/dc1-r1~zeta/xy",
                               "dc1/dc1-r2~zeta/x",
                               "dc1/dc1-r2~zeta/xy",
                               "zeta/x~zeta/xy",
                           });
  for (const auto& t : tunnels) {
    CHECK(t.a.id < t.b.id);
    CHECK(t.id == t.a.id + "~" + t.b.id);
  }
}

TEST_CASE("endpoints point at the site, device and cluster they name") {
  auto inv = test::load(InventoryFiles().customer("zeta", {{"x", 3}}));
  auto tunnels = build_tunnels(*inv);
  const Tunnel& t = find(tunnels, "dc1/dc1-r2~zeta/x");
  CHECK(t.kind == TunnelKind::site_to_cluster);
  CHECK(t.customer == &inv->customers.at(0));
  REQUIRE(t.a.cluster == &inv->clusters.at(0));
  CHECK(t.a.site == nullptr);
  CHECK(t.a.device == &inv->clusters.at(0).devices.at(1));
  CHECK(t.b.cluster == nullptr);
  CHECK(t.b.site == &inv->customers.at(0).sites.at(0));
  CHECK(t.b.device == &inv->customers.at(0).sites.at(0).device);
}

TEST_CASE("hub-and-spoke customers only get tunnels to the cluster") {
  auto inv =
      test::load(InventoryFiles().customer("acme", numbered_sites(6), "topology: hub-and-spoke\n"));
  auto tunnels = build_tunnels(*inv);
  CHECK(tunnels.size() == 12);
  CHECK(count_kind(tunnels, TunnelKind::site_to_site) == 0);
}

TEST_CASE("a customer on an unknown cluster contributes only its site-to-site tunnels") {
  auto inv = test::load(InventoryFiles().customer("acme", numbered_sites(4), "", "nowhere"));
  auto tunnels = build_tunnels(*inv);
  CHECK(tunnels.size() == 6);
  CHECK(count_kind(tunnels, TunnelKind::site_to_cluster) == 0);
}

TEST_CASE("the order of sites and cluster routers does not change the tunnels") {
  std::vector<SiteSpec> sites = numbered_sites(7);
  auto first = test::load(InventoryFiles().customer("acme", sites));
  std::reverse(sites.begin(), sites.end());
  std::rotate(sites.begin(), sites.begin() + 3, sites.end());
  auto second = test::load(InventoryFiles().customer("acme", sites).set("clusters/dc1.yaml", R"(
cluster: dc1
devices:
  - name: dc1-r2
    public-ip: 203.0.113.2
    router-id: 10.0.255.2
  - name: dc1-r1
    public-ip: 203.0.113.1
    router-id: 10.0.255.1
networks: [10.10.0.0/24]
)"));
  CHECK(ids_of(build_tunnels(*first)) == ids_of(build_tunnels(*second)));
}

TEST_CASE("psk epochs come from the customer's tunnels list, in either order of the ends") {
  auto inv = test::load(InventoryFiles().customer("acme", {{"brussels", 1}, {"antwerp", 2}},
                                                  R"(tunnels:
  - between: [brussels, antwerp]
    psk-epoch: 3
  - between: [dc1-r2, brussels]
    psk-epoch: 2
)"));
  auto tunnels = build_tunnels(*inv);
  CHECK(find(tunnels, "acme/antwerp~acme/brussels").psk_epoch == 3);
  CHECK(find(tunnels, "acme/brussels~dc1/dc1-r2").psk_epoch == 2);
  CHECK(find(tunnels, "acme/brussels~dc1/dc1-r1").psk_epoch == 0);
  CHECK(find(tunnels, "acme/antwerp~dc1/dc1-r2").psk_epoch == 0);
}

TEST_CASE("an endpoint's psk epoch is its site's, or its router's for a cluster end") {
  auto inv = test::load(
      InventoryFiles().customer("acme", {{"brussels", 1}}).set("clusters/dc1.yaml", R"(cluster: dc1
devices:
  - name: dc1-r1
    public-ip: 203.0.113.1
    router-id: 10.0.255.1
    psk-epoch: 5
)"));
  inv->customers.at(0).sites.at(0).psk_epoch = 7;
  auto tunnels = build_tunnels(*inv);
  REQUIRE(tunnels.size() == 1);
  CHECK(tunnels[0].a.psk_epoch() == 7);
  CHECK(tunnels[0].b.psk_epoch() == 5);
  CHECK(Endpoint{}.psk_epoch() == 0);
}
