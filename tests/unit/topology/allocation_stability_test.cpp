#include <vpnaas/topology/allocation.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>

#include "inventory_files.hpp"

using namespace vpnaas;
using namespace vpnaas::topology;
using vpnaas::test::InventoryFiles;
using vpnaas::test::numbered_sites;
using vpnaas::test::SiteSpec;
using Kind = vpnaas::topology::LockChange::Kind;

namespace {

// Two customers on dc1; acme's sites come in the order given.
InventoryFiles two_customers(const std::vector<SiteSpec>& acme_sites) {
  return InventoryFiles()
      .customer("acme", acme_sites)
      .customer("beta", {{"b1", 100}, {"b2", 101}, {"b3", 102}});
}

// Every tunnel of `before` still in `after` has the same subnet there.
void check_kept(const LockFile& before, const LockFile& after) {
  std::size_t kept = 0;
  for (const auto& [id, subnet] : before.tunnels) {
    auto it = after.tunnels.find(id);
    if (it != after.tunnels.end()) {
      CHECK_MESSAGE(it->second == subnet, id);
      ++kept;
    }
  }
  // No tunnel in common would pass without comparing anything.
  CHECK(kept > 0);
}

bool mentions(const std::string& tunnel_id, const std::string& endpoint) {
  const auto tilde = tunnel_id.find('~');
  return tunnel_id.substr(0, tilde) == endpoint || tunnel_id.substr(tilde + 1) == endpoint;
}

} // namespace

TEST_CASE("adding a site never moves an existing tunnel") {
  auto before = test::allocate_files(two_customers(numbered_sites(3)));
  auto after = test::allocate_files(two_customers(numbered_sites(4)), before.allocation.lock);
  CHECK(after.diags.empty());
  check_kept(before.allocation.lock, after.allocation.lock);
  CHECK(after.allocation.lock.tunnels.size() == before.allocation.lock.tunnels.size() + 5);
  CHECK(after.allocation.changes.size() == 5);
  for (const auto& c : after.allocation.changes) {
    CHECK(c.kind == Kind::added);
    CHECK(mentions(c.tunnel_id, "acme/s003"));
  }
}

TEST_CASE("removing a site retires its subnets: a new site takes fresh ones, a returning one "
          "gets its own back") {
  auto full = test::allocate_files(two_customers(numbered_sites(4)));
  std::vector<SiteSpec> without = numbered_sites(4);
  without.erase(without.begin() + 1);
  auto removed = test::allocate_files(two_customers(without), full.allocation.lock);

  std::set<Ipv4Prefix> retired;
  for (const auto& c : removed.allocation.changes) {
    CHECK(c.kind == Kind::removed);
    CHECK(mentions(c.tunnel_id, "acme/s001"));
    CHECK(c.reason.empty());
    retired.insert(*c.before);
    CHECK(removed.allocation.lock.retired.at(c.tunnel_id) == *c.before);
  }
  CHECK(retired.size() == 5);
  check_kept(full.allocation.lock, removed.allocation.lock);

  without.push_back(SiteSpec{"s009", 9});
  auto added = test::allocate_files(two_customers(without), removed.allocation.lock);
  check_kept(removed.allocation.lock, added.allocation.lock);
  CHECK(added.allocation.lock.retired == removed.allocation.lock.retired);
  for (const auto& c : added.allocation.changes) {
    CHECK(c.kind == Kind::added);
    CHECK(retired.count(*c.after) == 0);
  }

  without.push_back(SiteSpec{"s001", 1});
  auto back = test::allocate_files(two_customers(without), added.allocation.lock);
  CHECK(back.allocation.lock.retired.empty());
  CHECK(test::change_ids(back.allocation.changes, Kind::restored).size() == 5);
  check_kept(full.allocation.lock, back.allocation.lock);
}

TEST_CASE("an emptied customers folder, restored, gives every tunnel its old subnet back") {
  // The reported case: 34 tunnels, customers/ lost and restored; 14 used to move.
  auto full = test::allocate_files(two_customers(numbered_sites(5)));
  InventoryFiles empty = two_customers({});
  empty.erase("customers/acme.yaml").erase("customers/beta.yaml");
  auto gone = test::allocate_files(empty, full.allocation.lock);
  CHECK(gone.allocation.lock.tunnels.empty());
  CHECK(gone.allocation.lock.retired == full.allocation.lock.tunnels);

  auto restored = test::allocate_files(two_customers(numbered_sites(5)), gone.allocation.lock);
  CHECK(restored.allocation.lock.tunnels == full.allocation.lock.tunnels);
  CHECK(restored.allocation.lock.retired.empty());
  for (const auto& c : restored.allocation.changes) {
    CHECK(c.kind == Kind::restored);
  }
}

TEST_CASE("a full pool reuses retired subnets, lowest first, and says whose they were") {
  // acme's own /28 holds 4 /30s; two sites on a two-router cluster need 5 tunnels.
  const std::string pool = "transit-pool: 10.250.0.0/28\ntopology: hub-and-spoke\n";
  auto first = test::allocate_files(InventoryFiles().customer("acme", {{"a", 1}, {"b", 2}}, pool));
  REQUIRE(first.diags.empty());
  REQUIRE(first.allocation.lock.tunnels.size() == 4);
  auto swapped = test::allocate_files(InventoryFiles().customer("acme", {{"a", 1}, {"c", 3}}, pool),
                                      first.allocation.lock);
  CHECK(swapped.diags.empty());
  const auto& lock = swapped.allocation.lock;
  CHECK(lock.tunnels.at("acme/c~dc1/dc1-r1") ==
        first.allocation.lock.tunnels.at("acme/b~dc1/dc1-r1"));
  CHECK(lock.tunnels.at("acme/c~dc1/dc1-r2") ==
        first.allocation.lock.tunnels.at("acme/b~dc1/dc1-r2"));
  CHECK(lock.retired.empty());
  const auto dropped = test::change_ids(swapped.allocation.changes, Kind::dropped);
  CHECK(dropped == std::vector<std::string>{"acme/b~dc1/dc1-r1", "acme/b~dc1/dc1-r2"});
  int described = 0;
  for (const auto& c : swapped.allocation.changes) {
    if (c.tunnel_id == "acme/c~dc1/dc1-r1") {
      ++described;
      CHECK(c.kind == Kind::added);
      CHECK(describe(c) == "tunnel acme/c~dc1/dc1-r1: added 10.250.0.8/30 (the transit pool "
                           "10.250.0.0/28 of customer acme has no free /30 left, so it reuses "
                           "the retired subnet of tunnel acme/b~dc1/dc1-r1)");
    }
  }
  CHECK(described == 1);
}

TEST_CASE("a retired subnet outside every pool is dropped with the reason") {
  LockFile previous;
  previous.retired.emplace("zeta/x~dc1/dc1-r1", *Ipv4Prefix::parse("172.31.0.0/30"));
  auto r = test::allocate_files(two_customers(numbered_sites(2)), previous);
  CHECK(r.allocation.lock.retired.empty());
  REQUIRE(test::change_ids(r.allocation.changes, Kind::dropped) ==
          std::vector<std::string>{"zeta/x~dc1/dc1-r1"});
  for (const auto& c : r.allocation.changes) {
    if (c.kind == Kind::dropped) {
      CHECK(describe(c) == "retired tunnel zeta/x~dc1/dc1-r1: 172.31.0.0/30 dropped because it "
                           "lies outside every transit pool");
    }
  }
}

TEST_CASE("pruning drops every retired subnet") {
  LockFile lock;
  lock.tunnels.emplace("acme/a~dc1/dc1-r1", *Ipv4Prefix::parse("10.255.0.0/30"));
  lock.retired.emplace("acme/b~dc1/dc1-r1", *Ipv4Prefix::parse("10.255.0.4/30"));
  auto pruned = prune_retired(lock);
  CHECK(pruned.lock.tunnels == lock.tunnels);
  CHECK(pruned.lock.retired.empty());
  REQUIRE(pruned.changes.size() == 1);
  CHECK(pruned.changes[0].kind == Kind::dropped);
}

TEST_CASE("the order of sites, routers and customers changes nothing") {
  const auto sites = numbered_sites(9);
  auto reference = test::allocate_files(two_customers(sites));
  const std::string reference_text = render_lock(reference.allocation.lock);

  std::mt19937 rng(42);
  for (int round = 0; round < 5; ++round) {
    CAPTURE(round);
    auto shuffled = sites;
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    auto files = two_customers(shuffled).set("clusters/dc1.yaml", R"(devices:
  - name: dc1-r2
    router-id: 10.0.255.2
    public-ip: 203.0.113.2
  - public-ip: 203.0.113.1
    name: dc1-r1
    router-id: 10.0.255.1
networks: [10.10.0.0/24]
cluster: dc1
)");
    auto fresh = test::allocate_files(files);
    CHECK(render_lock(fresh.allocation.lock) == reference_text);
    auto relocked = test::allocate_files(files, reference.allocation.lock);
    CHECK(relocked.allocation.changes.empty());
  }

  // Nothing downstream relies on the loader sorting customers by name.
  auto inv = test::load(two_customers(sites));
  std::reverse(inv->customers.begin(), inv->customers.end());
  Diagnostics diags;
  auto tunnels = build_tunnels(*inv);
  CHECK(render_lock(allocate(*inv, tunnels, {}, diags).lock) == reference_text);
}

TEST_CASE("a 500-site customer gets a unique /30 for each of its 125,750 tunnels") {
  auto files = InventoryFiles().global_pool("10.64.0.0/12").customer("big", numbered_sites(500));
  auto r = test::allocate_files(files);
  CHECK(r.diags.empty());
  constexpr std::size_t kTunnels = 500 * 499 / 2 + 500 * 2;
  REQUIRE(r.tunnels.size() == kTunnels);
  REQUIRE(r.allocation.lock.tunnels.size() == kTunnels);
  CHECK(r.allocation.changes.size() == kTunnels);

  const auto pool = *Ipv4Prefix::parse("10.64.0.0/12");
  std::vector<std::uint32_t> networks;
  networks.reserve(kTunnels);
  for (const auto& [id, subnet] : r.allocation.lock.tunnels) {
    CHECK(subnet.length() == 30);
    CHECK(pool.contains(subnet));
    networks.push_back(subnet.network().value());
  }
  std::sort(networks.begin(), networks.end());
  CHECK(std::adjacent_find(networks.begin(), networks.end()) == networks.end());
  // Lowest-free allocation from an empty lock packs the pool from its start.
  CHECK(networks.back() == pool.network().value() + 4 * (kTunnels - 1));

  Diagnostics diags;
  auto again = allocate(*r.inventory, r.tunnels, r.allocation.lock, diags);
  CHECK(again.changes.empty());
  CHECK(again.lock == r.allocation.lock);
}
