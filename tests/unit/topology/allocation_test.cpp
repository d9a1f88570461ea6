#include <vpnaas/topology/allocation.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>

#include "inventory_files.hpp"
#include "prefix.hpp"

using namespace vpnaas;
using namespace vpnaas::topology;
using vpnaas::test::InventoryFiles;
using vpnaas::test::numbered_sites;
using vpnaas::test::prefix;
using Kind = vpnaas::topology::LockChange::Kind;

namespace {

LockFile lock_of(std::initializer_list<std::pair<const char*, const char*>> entries) {
  LockFile lock;
  for (const auto& [id, subnet] : entries) {
    lock.tunnels.emplace(id, prefix(subnet));
  }
  return lock;
}

// acme: brussels and antwerp, on cluster dc1 (two routers): five tunnels.
InventoryFiles acme(const std::string& extra = {}) {
  return InventoryFiles().customer("acme", {{"brussels", 1}, {"antwerp", 2}}, extra);
}

const LockChange& change_of(const Allocation& allocation, const std::string& id) {
  auto it = std::find_if(allocation.changes.begin(), allocation.changes.end(),
                         [&](const LockChange& c) { return c.tunnel_id == id; });
  REQUIRE_MESSAGE(it != allocation.changes.end(), "no change for " << id);
  return *it;
}

} // namespace

TEST_CASE("new tunnels take the lowest free /30 in tunnel-id order") {
  auto r = test::allocate_files(acme());
  CHECK(r.diags.empty());
  CHECK(r.allocation.lock == lock_of({{"acme/antwerp~acme/brussels", "10.255.0.0/30"},
                                      {"acme/antwerp~dc1/dc1-r1", "10.255.0.4/30"},
                                      {"acme/antwerp~dc1/dc1-r2", "10.255.0.8/30"},
                                      {"acme/brussels~dc1/dc1-r1", "10.255.0.12/30"},
                                      {"acme/brussels~dc1/dc1-r2", "10.255.0.16/30"}}));
  REQUIRE(r.allocation.changes.size() == 5);
  CHECK(describe(r.allocation.changes[1]) == "tunnel acme/antwerp~dc1/dc1-r1: added 10.255.0.4/30");
}

TEST_CASE("an up-to-date lock produces no changes") {
  auto first = test::allocate_files(acme());
  auto second = test::allocate_files(acme(), first.allocation.lock);
  CHECK(second.allocation.lock == first.allocation.lock);
  CHECK(second.allocation.changes.empty());
}

TEST_CASE("transit addresses are .1 for a and .2 for b") {
  auto addresses = transit_addresses(prefix("10.255.0.4/30"));
  CHECK(addresses.a.to_string() == "10.255.0.5");
  CHECK(addresses.b.to_string() == "10.255.0.6");
}

TEST_CASE("customers with a pool use it, the others share the global pool minus those pools") {
  auto r =
      test::allocate_files(acme("transit-pool: 10.255.0.0/24\n").customer("beta", {{"b1", 3}}));
  CHECK(r.diags.empty());
  const auto& lock = r.allocation.lock.tunnels;
  CHECK(lock.at("acme/antwerp~acme/brussels") == prefix("10.255.0.0/30"));
  CHECK(lock.at("acme/brussels~dc1/dc1-r2") == prefix("10.255.0.16/30"));
  CHECK(lock.at("beta/b1~dc1/dc1-r1") == prefix("10.255.1.0/30"));
  CHECK(lock.at("beta/b1~dc1/dc1-r2") == prefix("10.255.1.4/30"));
}

TEST_CASE("customers whose pools overlap never share a subnet") {
  auto r = test::allocate_files(
      acme("transit-pool: 10.255.0.0/24\n")
          .customer("beta", {{"b1", 3}, {"b2", 4}}, "transit-pool: 10.255.0.0/25\n"));
  std::set<Ipv4Prefix> seen;
  for (const auto& [id, subnet] : r.allocation.lock.tunnels) {
    CHECK_MESSAGE(seen.insert(subnet).second, id);
  }
  CHECK(seen.size() == 10);
}

TEST_CASE("a kept subnet that is no longer valid is moved, with the reason") {
  SUBCASE("outside the pool") {
    auto r = test::allocate_files(acme(), lock_of({{"acme/antwerp~acme/brussels", "10.254.0.0/30"},
                                                   {"acme/antwerp~dc1/dc1-r1", "10.255.0.4/30"}}));
    CHECK(r.allocation.lock.tunnels.at("acme/antwerp~dc1/dc1-r1") == prefix("10.255.0.4/30"));
    const auto& c = change_of(r.allocation, "acme/antwerp~acme/brussels");
    CHECK(c.kind == Kind::moved);
    CHECK(c.reason == "10.254.0.0/30 is outside the global transit pool 10.255.0.0/16");
    CHECK(describe(c) == "tunnel acme/antwerp~acme/brussels: moved from 10.254.0.0/30 to "
                         "10.255.0.0/30 because 10.254.0.0/30 is outside the global transit "
                         "pool 10.255.0.0/16");
  }
  SUBCASE("outside the customer's own pool") {
    auto r = test::allocate_files(acme("transit-pool: 10.255.4.0/24\n"),
                                  lock_of({{"acme/antwerp~acme/brussels", "10.255.0.0/30"}}));
    CHECK(change_of(r.allocation, "acme/antwerp~acme/brussels").reason ==
          "10.255.0.0/30 is outside the transit pool 10.255.4.0/24 of customer acme");
    CHECK(r.allocation.lock.tunnels.at("acme/antwerp~acme/brussels") == prefix("10.255.4.0/30"));
  }
  SUBCASE("inside another customer's pool") {
    auto r =
        test::allocate_files(acme().customer("beta", {{"b1", 3}}, "transit-pool: 10.255.8.0/24\n"),
                             lock_of({{"acme/antwerp~acme/brussels", "10.255.8.4/30"}}));
    CHECK(change_of(r.allocation, "acme/antwerp~acme/brussels").reason ==
          "10.255.8.4/30 overlaps the transit pool 10.255.8.0/24 of customer beta");
  }
  SUBCASE("not a /30") {
    auto r =
        test::allocate_files(acme(), lock_of({{"acme/antwerp~acme/brussels", "10.255.0.0/29"}}));
    CHECK(change_of(r.allocation, "acme/antwerp~acme/brussels").reason ==
          "10.255.0.0/29 is not a /30");
  }
  SUBCASE("overlapping a management range") {
    auto r = test::allocate_files(acme().global_pool("198.51.100.0/23"),
                                  lock_of({{"acme/antwerp~acme/brussels", "198.51.100.4/30"}}));
    const auto& c = change_of(r.allocation, "acme/antwerp~acme/brussels");
    CHECK(c.reason == "198.51.100.4/30 overlaps the management range 198.51.100.0/24");
    CHECK(c.after == prefix("198.51.101.0/30"));
  }
}

TEST_CASE("transit subnets avoid LANs and cluster networks") {
  SUBCASE("a LAN inside the pool") {
    InventoryFiles files;
    files.set("customers/acme.yaml", R"(customer: acme
cluster: dc1
sites:
  - name: brussels
    lan: [10.255.0.0/29]
    device: { name: bru-r1, public-ip: 192.0.2.10, router-id: 10.1.0.1 }
)");
    auto r = test::allocate_files(files, lock_of({{"acme/brussels~dc1/dc1-r2", "10.255.0.4/30"}}));
    CHECK(r.allocation.lock == lock_of({{"acme/brussels~dc1/dc1-r1", "10.255.0.8/30"},
                                        {"acme/brussels~dc1/dc1-r2", "10.255.0.12/30"}}));
    CHECK(change_of(r.allocation, "acme/brussels~dc1/dc1-r2").reason ==
          "10.255.0.4/30 overlaps the LAN 10.255.0.0/29 of site acme/brussels");
  }
  SUBCASE("a cluster network inside the pool") {
    auto r = test::allocate_files(acme().global_pool("10.10.0.0/23"));
    CHECK(r.allocation.lock.tunnels.at("acme/antwerp~acme/brussels") == prefix("10.10.1.0/30"));
  }
}

TEST_CASE("when a hand-edited lock repeats a subnet, the first tunnel by id keeps it") {
  auto r = test::allocate_files(acme(), lock_of({{"acme/antwerp~acme/brussels", "10.255.0.8/30"},
                                                 {"acme/antwerp~dc1/dc1-r1", "10.255.0.8/30"}}));
  CHECK(r.allocation.lock == lock_of({{"acme/antwerp~acme/brussels", "10.255.0.8/30"},
                                      {"acme/antwerp~dc1/dc1-r1", "10.255.0.0/30"},
                                      {"acme/antwerp~dc1/dc1-r2", "10.255.0.4/30"},
                                      {"acme/brussels~dc1/dc1-r1", "10.255.0.12/30"},
                                      {"acme/brussels~dc1/dc1-r2", "10.255.0.16/30"}}));
  const auto& c = change_of(r.allocation, "acme/antwerp~dc1/dc1-r1");
  CHECK(c.kind == Kind::moved);
  CHECK(c.reason == "10.255.0.8/30 is also recorded for tunnel acme/antwerp~acme/brussels");
}

TEST_CASE("tunnels gone from the inventory are reported as removed and their subnets retired") {
  auto previous = lock_of({{"acme/antwerp~acme/brussels", "10.255.0.0/30"},
                           {"acme/ghent~dc1/dc1-r1", "10.255.0.100/30"}});
  auto r = test::allocate_files(acme(), previous);
  const auto& c = change_of(r.allocation, "acme/ghent~dc1/dc1-r1");
  CHECK(c.kind == Kind::removed);
  CHECK(c.before == prefix("10.255.0.100/30"));
  CHECK_FALSE(c.after.has_value());
  CHECK(describe(c) ==
        "tunnel acme/ghent~dc1/dc1-r1: removed, 10.255.0.100/30 is retired (kept for its return)");
  CHECK(r.allocation.lock.tunnels.count("acme/ghent~dc1/dc1-r1") == 0);
  CHECK(r.allocation.lock.retired.at("acme/ghent~dc1/dc1-r1") == prefix("10.255.0.100/30"));
  CHECK(r.allocation.changes.size() == 5); // four added, one removed, sorted by id
  CHECK(r.allocation.changes.back().tunnel_id == "acme/ghent~dc1/dc1-r1");
}

TEST_CASE("an exhausted pool is reported at its location with a size that fits") {
  SUBCASE("a customer pool") {
    auto r = test::allocate_files(acme("transit-pool: 10.255.0.0/29\n"));
    REQUIRE(r.diags.items().size() == 1);
    const auto& d = r.diags.items()[0];
    CHECK(d.code == "transit-pool-exhausted");
    CHECK(to_string(d.where) == "inv/customers/acme.yaml:3:15");
    CHECK(d.message == "the transit pool 10.255.0.0/29 of customer acme holds 2 /30 subnets, "
                       "but its 5 tunnels need one each");
    CHECK(d.hint == "give this transit-pool a shorter prefix (a /27 holds 8 /30 subnets)");
    CHECK(r.allocation.lock.tunnels.size() == 2);
  }
  SUBCASE("the global pool, part of it taken by a cluster network") {
    auto r = test::allocate_files(
        InventoryFiles().global_pool("10.10.0.0/23").customer("acme", numbered_sites(12)));
    REQUIRE(r.diags.items().size() == 1);
    const auto& d = r.diags.items()[0];
    CHECK(to_string(d.where) == "inv/vpnaas.yaml:3:17");
    CHECK(d.message ==
          "the global transit pool 10.10.0.0/23 holds 128 /30 subnets (64 usable; the rest "
          "overlap LANs, cluster networks, management ranges or other transit pools), but the 90 "
          "tunnels of customers without a transit-pool of their own need one each");
    CHECK(d.hint == "give defaults.transit-pool a shorter prefix (a /22 holds 256 /30 subnets), "
                    "or give large customers a transit-pool of their own");
    CHECK(r.allocation.lock.tunnels.size() == 64);
  }
}
