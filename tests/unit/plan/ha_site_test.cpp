// A site that becomes highly available: `plan` names exactly the routers that
// change, and the tunnels the site already had keep their subnets.
#include <vpnaas/plan/diff.hpp>

#include <doctest/doctest.h>

#include "plan_support.hpp"

using namespace vpnaas;
using namespace vpnaas::test;

namespace {

// acme's s001 with a second router and a VRRP gateway.
std::map<std::string, std::string> with_ha_s001(std::map<std::string, std::string> files) {
  std::string& acme = files.at("customers/acme.yaml");
  const std::string single =
      "    device: { name: acme-s001, public-ip: 198.18.0.2, router-id: 10.200.0.2 }\n";
  auto at = acme.find(single);
  REQUIRE(at != std::string::npos);
  acme.replace(at, single.size(),
               "    devices:\n"
               "      - { name: acme-s001, public-ip: 198.18.0.2, router-id: 10.200.0.2 }\n"
               "      - { name: acme-s001b, public-ip: 198.18.9.2, router-id: 10.200.9.2 }\n"
               "    vrrp: { address: 172.16.1.1/24, vrid: 1, primary: acme-s001 }\n");
  return files;
}

} // namespace

TEST_CASE("plan names exactly the routers that change when a site becomes HA") {
  auto base = open_files(three_customers(sites(3)));
  auto head = open_files(with_lock_of(with_ha_s001(three_customers(sites(3))), *base));
  auto changed = plan::changed_routers(*base, *head);
  REQUIRE(changed);
  // The backup is new; the primary gains its VRRP items; every peer of the
  // site gains a tunnel to the backup. beta, gamma and dc2 do not move.
  CHECK(changed->to_apply == std::set<std::string>{"acme-s000", "acme-s001", "acme-s001b",
                                                   "acme-s002", "dc1-r1", "dc1-r2"});
  CHECK(changed->gone.empty());
  CHECK(changed->unchanged == 5);

  auto d = diff(*base, *head);
  const auto& primary = device(d, "acme-s001");
  CHECK(primary.status == plan::DeviceDiff::Status::changed);
  // Only additions: the VRRP interface, its address and a tracking entry per
  // tunnel to a cluster router (dc1-r1, dc1-r2).
  CHECK(primary.count(plan::ItemChange::Kind::added) == 4);
  CHECK(primary.count(plan::ItemChange::Kind::changed) == 0);
  CHECK(primary.count(plan::ItemChange::Kind::removed) == 0);
  CHECK(device(d, "acme-s001b").status == plan::DeviceDiff::Status::added);
  const auto& peer = device(d, "acme-s000");
  CHECK(peer.count(plan::ItemChange::Kind::changed) == 0);
  CHECK(peer.count(plan::ItemChange::Kind::removed) == 0);

  // The site's existing tunnels keep their ids and transit subnets.
  for (const char* id : {"acme/s000~acme/s001", "acme/s001~acme/s002", "acme/s001~dc1/dc1-r1"}) {
    CAPTURE(id);
    CHECK(head->allocation.lock.tunnels.at(id) == base->allocation.lock.tunnels.at(id));
  }
  CHECK(head->tunnels.size() == base->tunnels.size() + 4); // backup: 2 peers + 2 cluster routers
  tunnel(*head, "acme/s000~acme/s001+acme-s001b");
  tunnel(*head, "acme/s001+acme-s001b~dc1/dc1-r2");
}
