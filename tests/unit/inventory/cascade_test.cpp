// The defaults cascade (spec "Additions"): every key of `defaults:` may also be
// set on a customer or a cluster, and on a device; the most specific wins.
#include <vpnaas/inventory/loader.hpp>
#include <vpnaas/inventory/provenance.hpp>
#include <vpnaas/inventory/validate.hpp>

#include <doctest/doctest.h>

#include "support/inventory_text.hpp"

using namespace vpnaas;
using namespace vpnaas::inventory;

namespace {

// small_inventory() with `lines` inserted after the first line of `file`
// (after `customer: acme` or `cluster: dc1`), so they land on line 2 on.
std::map<std::string, std::string> with_keys(const std::string& file, const std::string& lines) {
  auto files = test::small_inventory();
  std::string& text = files[file];
  text.insert(text.find('\n') + 1, lines);
  return files;
}

Inventory load(const std::map<std::string, std::string>& files, Diagnostics& diags) {
  auto inv = load_inventory_from("inv", files, diags);
  REQUIRE(inv);
  validate_inventory(*inv, diags);
  return std::move(*inv);
}

const Device& site_device(const Inventory& inv, std::size_t i) {
  const Customer* acme = inv.find_customer("acme");
  REQUIRE(acme != nullptr);
  REQUIRE(acme->sites.size() > i);
  return acme->sites[i].device;
}

const Device& router(const Inventory& inv) {
  const Cluster* dc1 = inv.find_cluster("dc1");
  REQUIRE(dc1 != nullptr);
  REQUIRE(dc1->devices.size() == 1);
  return dc1->devices[0];
}

} // namespace

TEST_CASE("customer keys reach every site's device, and only those") {
  auto files = with_keys("customers/acme.yaml", "routing: static\nmtu: 1380\n");
  Diagnostics diags;
  Inventory inv = load(files, diags);
  REQUIRE_FALSE(diags.has_errors());
  for (std::size_t i = 0; i < 2; ++i) {
    const Device& d = site_device(inv, i);
    CAPTURE(d.name.value);
    CHECK(d.settings.routing == RoutingMode::static_routes);
    CHECK(d.settings.mtu == 1380);
    CHECK(d.settings.origins.routing.level == SettingLevel::customer);
    CHECK(d.settings.origins.routing.owner == "acme");
    CHECK(d.settings.origins.routing.where.file == "inv/customers/acme.yaml");
    CHECK(d.settings.origins.routing.where.line == 2);
    CHECK(d.settings.origins.mtu.where.line == 3);
    CHECK(d.settings.origins.crypto.level == SettingLevel::builtin);
  }
  // The cluster's routers serve other customers too: acme's keys stay off them.
  const Device& r = router(inv);
  CHECK(r.settings.routing == RoutingMode::ospf);
  CHECK(r.settings.mtu == 1400);
  CHECK(r.settings.origins.routing.level == SettingLevel::builtin);
}

TEST_CASE("a device's own key wins over its customer's") {
  auto files = with_keys("customers/acme.yaml", "routing: static\ncrypto: legacy\n");
  files["vpnaas.yaml"] += R"(crypto:
  legacy:
    ike: { encryption: aes-128 }
    esp: { encryption: aes-128-cbc }
)";
  auto& acme = files["customers/acme.yaml"];
  acme.insert(acme.find("      router-id: 10.1.0.2\n") + 26, "      routing: ospf\n");
  Diagnostics diags;
  Inventory inv = load(files, diags);
  REQUIRE_FALSE(diags.has_errors());
  const Device& brussels = site_device(inv, 0);
  const Device& antwerp = site_device(inv, 1);
  CHECK(brussels.settings.routing == RoutingMode::static_routes);
  CHECK(antwerp.settings.routing == RoutingMode::ospf);
  CHECK(antwerp.settings.origins.routing.level == SettingLevel::device);
  CHECK(antwerp.settings.origins.routing.where.line == 18);
  // What the device does not override still comes from the customer.
  CHECK(antwerp.settings.crypto == "legacy");
  CHECK(antwerp.settings.origins.crypto.level == SettingLevel::customer);
}

TEST_CASE("cluster keys reach the cluster's routers, not the sites") {
  auto files = with_keys("clusters/dc1.yaml", "mtu: 1360\nkeepalive: 5s,4\n");
  files["vpnaas.yaml"] = "vpnaas: 1\ndefaults:\n  mtu: 1420\n  keepalive: 20s,5\n";
  Diagnostics diags;
  Inventory inv = load(files, diags);
  REQUIRE_FALSE(diags.has_errors());
  const Device& r = router(inv);
  CHECK(r.settings.mtu == 1360);
  CHECK(r.settings.keepalive.to_string() == "5s,4");
  CHECK(r.settings.origins.mtu.level == SettingLevel::cluster);
  CHECK(r.settings.origins.mtu.owner == "dc1");
  CHECK(r.settings.origins.mtu.where.file == "inv/clusters/dc1.yaml");
  const Device& brussels = site_device(inv, 0);
  CHECK(brussels.settings.mtu == 1420);
  CHECK(brussels.settings.keepalive.to_string() == "20s,5");
  CHECK(brussels.settings.origins.mtu.level == SettingLevel::defaults);
  CHECK(brussels.settings.origins.mtu.where.file == "inv/vpnaas.yaml");
  CHECK(brussels.settings.origins.mtu.where.line == 3);
}

TEST_CASE("ospf merges key by key at every level, as on a device") {
  auto files = with_keys("customers/acme.yaml", "ospf: { cost: 20, hello: 3s, dead: 12s }\n");
  files["vpnaas.yaml"] = "vpnaas: 1\ndefaults:\n  ospf: { area: 0.0.0.1, hello: 2s, dead: 8s }\n";
  auto& acme = files["customers/acme.yaml"];
  acme.insert(acme.find("      router-id: 10.1.0.2\n") + 26, "      ospf: { cost: 30 }\n");
  Diagnostics diags;
  Inventory inv = load(files, diags);
  REQUIRE_FALSE(diags.has_errors());
  const Device& brussels = site_device(inv, 0);
  CHECK(brussels.settings.ospf.cost == 20);
  CHECK(brussels.settings.ospf.area == "0.0.0.1");
  CHECK(brussels.settings.ospf.hello.seconds() == 3);
  CHECK(brussels.settings.ospf.dead.seconds() == 12);
  CHECK(brussels.settings.origins.ospf_cost.level == SettingLevel::customer);
  CHECK(brussels.settings.origins.ospf_area.level == SettingLevel::defaults);
  const Device& antwerp = site_device(inv, 1);
  CHECK(antwerp.settings.ospf.cost == 30);
  CHECK(antwerp.settings.ospf.hello.seconds() == 3);
  CHECK(antwerp.settings.ospf.area == "0.0.0.1");
  CHECK(antwerp.settings.origins.ospf_cost.level == SettingLevel::device);
  CHECK(antwerp.settings.origins.ospf_hello.level == SettingLevel::customer);
  CHECK(antwerp.settings.origins.ospf_area.level == SettingLevel::defaults);
  const Device& r = router(inv);
  CHECK(r.settings.ospf.cost == 10);
  CHECK(r.settings.ospf.hello.seconds() == 2);
  CHECK(r.settings.origins.ospf_cost.level == SettingLevel::builtin);
}

TEST_CASE("a typo'd key on a customer or a cluster gets the closest key") {
  auto files = with_keys("customers/acme.yaml", "routng: static\n");
  files["clusters/dc1.yaml"].insert(13, "keepalve: 5s,3\n");
  Diagnostics diags;
  (void)load(files, diags);
  auto all = diags.sorted();
  REQUIRE(all.size() == 2);
  CHECK(all[0].where.file == "inv/clusters/dc1.yaml");
  CHECK(all[0].where.line == 2);
  CHECK(all[0].code == "unknown-key");
  CHECK(all[0].hint == "did you mean \"keepalive\"?");
  CHECK(all[1].where.file == "inv/customers/acme.yaml");
  CHECK(all[1].where.line == 2);
  CHECK(all[1].message == "unknown key \"routng\" in customer file");
  CHECK(all[1].hint == "did you mean \"routing\"?");
}

TEST_CASE("a bad value on a customer is reported once, at the customer's line") {
  auto files = with_keys("customers/acme.yaml", "crypto: strnog\nrouting: bgp\n");
  Diagnostics diags;
  (void)load(files, diags);
  auto all = diags.sorted();
  REQUIRE(all.size() == 2);
  CHECK(all[0].code == "unknown-crypto");
  CHECK(all[0].where.file == "inv/customers/acme.yaml");
  CHECK(all[0].where.line == 2);
  CHECK(all[0].where.column == 9);
  CHECK(all[0].hint == "did you mean \"strong\"?");
  CHECK(all[1].where.line == 3);
  CHECK(all[1].message.find("routing") != std::string::npos);
}

TEST_CASE("ospf timers written on a customer are checked against what they merge with") {
  auto files = with_keys("customers/acme.yaml", "ospf: { hello: 5s }\n");
  Diagnostics diags;
  (void)load(files, diags);
  auto all = diags.sorted();
  REQUIRE(all.size() == 1);
  CHECK(all[0].code == "ospf-timers");
  CHECK(all[0].where.file == "inv/customers/acme.yaml");
  CHECK(all[0].where.line == 2);
}

TEST_CASE("provenance names the level, the owner and the line of each setting") {
  auto files = with_keys("customers/acme.yaml", "routing: static\n");
  files["vpnaas.yaml"] = "vpnaas: 1\ndefaults:\n  mtu: 1380\n";
  auto& acme = files["customers/acme.yaml"];
  acme.insert(acme.find("      router-id: 10.1.0.2\n") + 26, "      routeros: 6\n");
  Diagnostics diags;
  Inventory inv = load(files, diags);
  REQUIRE_FALSE(diags.has_errors());

  auto all = device_provenance(inv, {});
  REQUIRE(all.size() == 3);
  CHECK(all[0].device->name.value == "dc1-r1");
  CHECK(all[0].group_level == SettingLevel::cluster);
  CHECK(all[0].site.empty());
  CHECK(all[2].device->name.value == "acme-ant-r1");
  CHECK(all[2].group == "acme");
  CHECK(all[2].site == "antwerp");

  std::map<std::string, std::string> seen;
  for (const auto& s : all[2].settings) {
    seen[s.key] = s.value + "  (" + describe_origin(s.origin, inv.root) + ")";
  }
  REQUIRE(seen.size() == 9);
  CHECK(seen["routing"] == "static  (customer acme, customers/acme.yaml:2)");
  CHECK(seen["mtu"] == "1380  (defaults, vpnaas.yaml:3)");
  CHECK(seen["routeros"].rfind("6.", 0) == 0);
  CHECK(seen["routeros"].find("(device, customers/acme.yaml:17)") != std::string::npos);
  CHECK(seen["crypto"] == "strong  (built-in default)");
  CHECK(seen["ospf.cost"] == "10  (built-in default)");
  CHECK(origin_file(all[2].settings[0].origin, inv.root) == "customers/acme.yaml");

  // Filtering by customer keeps the routers of its cluster, the other ends.
  CHECK(device_provenance(inv, {"acme"}).size() == 3);
  CHECK(device_provenance(inv, {"nobody"}).empty());
}

TEST_CASE("without any override every setting is built in or from defaults, as before") {
  Diagnostics diags;
  Inventory inv = load(test::small_inventory(), diags);
  REQUIRE_FALSE(diags.has_errors());
  for (const auto& d : device_provenance(inv, {})) {
    for (const auto& s : d.settings) {
      CAPTURE(s.key);
      CHECK(s.origin.level == SettingLevel::builtin);
    }
  }
}

TEST_CASE("wrong types on a customer or a cluster are reported there, and nothing crashes") {
  for (const char* line : {"ospf: []\n", "ospf: { dead: 1s }\n", "mtu: big\n", "routeros: 8\n",
                           "keepalive: 10s\n", "crypto: { a: b }\n", "routing: ~\n"}) {
    CAPTURE(line);
    for (const char* file : {"customers/acme.yaml", "clusters/dc1.yaml"}) {
      CAPTURE(file);
      Diagnostics diags;
      (void)load(with_keys(file, line), diags);
      REQUIRE(diags.has_errors());
      CHECK(diags.sorted()[0].where.file == std::string("inv/") + file);
      CHECK(diags.sorted()[0].where.line == 2);
    }
  }
}
