#include <vpnaas/inventory/device_registry.hpp>
#include <vpnaas/inventory/loader.hpp>
#include <vpnaas/inventory/validate.hpp>

#include <doctest/doctest.h>

#include "support/inventory_text.hpp"

using namespace vpnaas;
using namespace vpnaas::inventory;

namespace {

// small_inventory() with serials on two routers, a second customer and an ACS.
Inventory registry_inventory() {
  auto files = test::small_inventory();
  files["vpnaas.yaml"] += "management:\n  ranges: [203.0.113.192/27]\n"
                          "  acs: { url: \"https://acs.example.net:7547/\", interval: 5m }\n";
  auto& dc1 = files["clusters/dc1.yaml"];
  dc1.insert(dc1.find("    public-ip: 203.0.113.1"), "    serial: \"9A1B2C3D4E5F\"\n");
  dc1 += "  - name: dc1-r0\n    public-ip: 203.0.113.3\n    router-id: 10.0.255.3\n";
  auto& acme = files["customers/acme.yaml"];
  acme.insert(acme.find("      public-ip: 192.0.2.10"), "      serial: \"HEX0001\"\n");
  files["customers/globex.yaml"] = R"(customer: globex
cluster: dc1
sites:
  - name: paris
    lan: [192.168.30.0/24]
    device:
      name: globex-par-r1
      public-ip: 192.0.2.30
      router-id: 10.2.0.1
)";
  Diagnostics diags;
  auto inv = load_inventory_from("inv", files, diags);
  REQUIRE(inv);
  validate_inventory(*inv, diags);
  REQUIRE_MESSAGE(!diags.has_errors(), format_diagnostic(diags.sorted().front()));
  return std::move(*inv);
}

std::vector<std::string> names_of(const std::vector<const DeviceEntry*>& entries) {
  std::vector<std::string> out;
  for (const auto* e : entries) {
    out.push_back(e->name());
  }
  return out;
}

} // namespace

TEST_CASE("device registry: every router in rendering order, with what it belongs to") {
  const Inventory inv = registry_inventory();
  const DeviceRegistry registry(inv);
  CHECK(registry.names() == std::vector<std::string>{"dc1-r0", "dc1-r1", "acme-ant-r1",
                                                     "acme-bru-r1", "globex-par-r1"});

  const DeviceEntry* router = registry.find("dc1-r1");
  REQUIRE(router != nullptr);
  CHECK(router->role == DeviceRole::cluster_router);
  CHECK(router->group == "dc1");
  REQUIRE(router->cluster != nullptr);
  CHECK(router->cluster->name.value == "dc1");
  CHECK(router->customer == nullptr);
  CHECK(router->site == nullptr);

  const DeviceEntry* site = registry.find("acme-bru-r1");
  REQUIRE(site != nullptr);
  CHECK(site->role == DeviceRole::site_router);
  CHECK(site->group == "acme");
  REQUIRE(site->customer != nullptr);
  CHECK(site->customer->name.value == "acme");
  REQUIRE(site->site != nullptr);
  CHECK(site->site->name.value == "brussels");
  REQUIRE(site->cluster != nullptr);
  CHECK(site->cluster->name.value == "dc1");
  CHECK(registry.find("nope") == nullptr);
}

TEST_CASE("device registry: a serial finds its router, cluster and site routers alike") {
  const Inventory inv = registry_inventory();
  const DeviceRegistry registry(inv);
  const DeviceEntry* by_serial = registry.find_by_serial("HEX0001");
  REQUIRE(by_serial != nullptr);
  CHECK(by_serial->name() == "acme-bru-r1");
  const DeviceEntry* router = registry.find_by_serial("9A1B2C3D4E5F");
  REQUIRE(router != nullptr);
  CHECK(router->name() == "dc1-r1");
  // Serials are compared exactly: a CPE's serial is its identity.
  CHECK(registry.find_by_serial("hex0001") == nullptr);
  CHECK(registry.find_by_serial("") == nullptr);
}

TEST_CASE("device registry: the inventory's management.acs comes with every router") {
  const Inventory inv = registry_inventory();
  const DeviceRegistry registry(inv);
  for (const auto& entry : registry.all()) {
    REQUIRE(entry.acs != nullptr);
    CHECK(entry.acs->url == "https://acs.example.net:7547/");
    CHECK(entry.acs->interval.seconds() == 300);
  }
  Diagnostics diags;
  auto plain = load_inventory_from("inv", test::small_inventory(), diags);
  REQUIRE(plain);
  const DeviceRegistry without(*plain);
  REQUIRE(!without.all().empty());
  CHECK(without.all().front().acs == nullptr);
}

TEST_CASE("device registry: an unknown name fails with the closest name as a hint") {
  const Inventory inv = registry_inventory();
  const DeviceRegistry registry(inv);
  auto found = registry.lookup("acme-bru-r1", "inv");
  REQUIRE(found);
  CHECK((*found)->name() == "acme-bru-r1");

  auto typo = registry.lookup("acme-bru-r2", "inv");
  REQUIRE(!typo);
  CHECK(typo.error().code == ErrorCode::unknown_name);
  CHECK(typo.error().message == "no device named \"acme-bru-r2\" in inv");
  CHECK(typo.error().hint == "did you mean \"acme-bru-r1\"?");

  auto far = registry.lookup("zzzzzzzz", "inv");
  REQUIRE(!far);
  CHECK(far.error().hint == "`vpnaas inventory show` lists the devices");
}

TEST_CASE("device registry: groups by customer and by cluster") {
  const Inventory inv = registry_inventory();
  const DeviceRegistry registry(inv);
  auto acme = registry.of_customer("acme");
  REQUIRE(acme);
  // A customer's tunnels end on its cluster's routers too.
  CHECK(names_of(*acme) ==
        std::vector<std::string>{"dc1-r0", "dc1-r1", "acme-ant-r1", "acme-bru-r1"});
  CHECK(names_of(registry.of_cluster("dc1")) == std::vector<std::string>{"dc1-r0", "dc1-r1"});
  CHECK(registry.of_cluster("dc9").empty());

  auto unknown = registry.of_customer("initech");
  REQUIRE(!unknown);
  CHECK(unknown.error().message == "customer initech is not in the inventory");
}

TEST_CASE("device registry: --customer and --device selections narrow each other") {
  const Inventory inv = registry_inventory();
  const DeviceRegistry registry(inv);
  auto all = registry.select({}, {});
  REQUIRE(all);
  CHECK(all->size() == 5);
  auto both = registry.select({"globex"}, {"globex-par-r1", "dc1-r1"});
  REQUIRE(both);
  CHECK(names_of(*both) == std::vector<std::string>{"dc1-r1", "globex-par-r1"});
  auto none = registry.select({"globex"}, {"acme-bru-r1"});
  REQUIRE(!none);
  CHECK(none.error().message ==
        "no device named acme-bru-r1 is a router of customer globex or its cluster");
  auto missing = registry.select({}, {"ghost"});
  REQUIRE(!missing);
  CHECK(missing.error().message == "device ghost is not in the inventory");
}
