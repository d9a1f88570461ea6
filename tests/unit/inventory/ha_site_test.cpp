// Highly available sites in the inventory: `devices:` with a `vrrp:` block,
// what loading makes of them, and every mistake validation must name.
#include <vpnaas/inventory/loader.hpp>
#include <vpnaas/inventory/model_limits.hpp>
#include <vpnaas/inventory/validate.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>

#include "support/inventory_text.hpp"

using namespace vpnaas;
using namespace vpnaas::inventory;

namespace {

// acme's brussels site, with both routers and `vrrp` (a flow mapping's body).
std::string ha_brussels(const std::string& vrrp, const std::string& extra_device = {}) {
  return fmt::format(R"(customer: acme
cluster: dc1
sites:
  - name: brussels
    lan: [192.168.10.0/24]
    devices:
      - {{ name: acme-bru-r1, public-ip: 192.0.2.10, router-id: 10.1.0.1 }}
      - {{ name: acme-bru-r2, public-ip: 192.0.2.11, router-id: 10.1.0.11 }}
{}    vrrp: {{ {} }}
  - name: antwerp
    lan: [192.168.20.0/24]
    device: {{ name: acme-ant-r1, public-ip: 192.0.2.20, router-id: 10.1.0.2 }}
)",
                     extra_device, vrrp);
}

struct Loaded {
  std::optional<Inventory> inv;
  Diagnostics diags;
};

Loaded load(const std::string& acme) {
  auto files = test::small_inventory();
  files["customers/acme.yaml"] = acme;
  Loaded out;
  out.inv = load_inventory_from("inv", files, out.diags);
  if (out.inv) {
    validate_inventory(*out.inv, out.diags);
  }
  return out;
}

const Diagnostic* find_code(const Diagnostics& diags, const std::string& code) {
  const auto& items = diags.items();
  auto it =
      std::find_if(items.begin(), items.end(), [&](const Diagnostic& d) { return d.code == code; });
  return it == items.end() ? nullptr : &*it;
}

} // namespace

TEST_CASE("an HA site loads both routers with the primary first") {
  auto loaded = load(ha_brussels("address: 192.168.10.1/24, vrid: 10, primary: acme-bru-r2"));
  REQUIRE(loaded.inv);
  for (const auto& d : loaded.diags.items()) {
    INFO(d.code << ": " << d.message);
    CHECK(d.severity == Severity::warning);
  }
  const Site& bru = loaded.inv->find_customer("acme")->sites[0];
  REQUIRE(bru.highly_available());
  CHECK(bru.device.name.value == "acme-bru-r2"); // the primary, whatever the list order
  CHECK(bru.backup->name.value == "acme-bru-r1");
  REQUIRE(bru.vrrp);
  CHECK(bru.vrrp->address.value.to_string() == "192.168.10.1");
  CHECK(bru.vrrp->length == 24);
  CHECK(bru.vrrp->vrid.value == 10);
  CHECK_FALSE(bru.vrrp->interface); // each router's own LAN interface
  CHECK(bru.vrrp->interface_on(bru.device) == "bridge");
  CHECK(bru.routers().size() == 2);
  const Site& ant = loaded.inv->find_customer("acme")->sites[1];
  CHECK_FALSE(ant.highly_available());
  CHECK(ant.routers().size() == 1);
  // One cluster router: 3 routers to it, and each brussels router to antwerp.
  CHECK(tunnel_count(*loaded.inv->find_customer("acme"), &loaded.inv->clusters[0]) == 5);
}

TEST_CASE("the vrrp address must be a host of the site's LAN") {
  auto outside = load(ha_brussels("address: 192.168.99.1/24, vrid: 10, primary: acme-bru-r1"));
  const Diagnostic* d = find_code(outside.diags, "vrrp-address");
  REQUIRE(d != nullptr);
  CHECK(d->message == "vrrp address 192.168.99.1 of site brussels is outside its LAN "
                      "(192.168.10.0/24)");
  CHECK(d->where.file == "inv/customers/acme.yaml");
  CHECK(d->where.line == 9);
  CHECK(d->hint.find("192.168.10.1") != std::string::npos);

  auto network = load(ha_brussels("address: 192.168.10.0, vrid: 10, primary: acme-bru-r1"));
  d = find_code(network.diags, "vrrp-address");
  REQUIRE(d != nullptr);
  CHECK(d->message == "vrrp address 192.168.10.0 is the network address of LAN 192.168.10.0/24");

  auto length = load(ha_brussels("address: 192.168.10.1/16, vrid: 10, primary: acme-bru-r1"));
  d = find_code(length.diags, "vrrp-address");
  REQUIRE(d != nullptr);
  CHECK(d->hint == "write 192.168.10.1/24");
}

TEST_CASE("two primaries, an unknown primary and a wrong router count are errors") {
  auto two = load(ha_brussels("address: 192.168.10.1/24, vrid: 10, "
                              "primary: [acme-bru-r1, acme-bru-r2]"));
  const Diagnostic* d = find_code(two.diags, "two-primaries");
  REQUIRE(d != nullptr);
  CHECK(d->where.line == 9);
  CHECK(d->message == "vrrp primary names 2 routers; a VRRP group has one primary");

  auto unknown = load(ha_brussels("address: 192.168.10.1/24, vrid: 10, primary: acme-bru-r3"));
  d = find_code(unknown.diags, "unknown-primary");
  REQUIRE(d != nullptr);
  CHECK(d->hint == "write primary: acme-bru-r1 or primary: acme-bru-r2");

  auto three = load(ha_brussels("address: 192.168.10.1/24, vrid: 10, primary: acme-bru-r1",
                                "      - { name: acme-bru-r3, public-ip: 192.0.2.12, "
                                "router-id: 10.1.0.12 }\n"));
  d = find_code(three.diags, "wrong-count");
  REQUIRE(d != nullptr);
  CHECK(d->message == "a highly available site has exactly two routers, not 3");
  CHECK(d->where.line == 7);
}

TEST_CASE("devices without vrrp, vrrp with one device, and both device keys are errors") {
  auto no_vrrp = load(R"(customer: acme
cluster: dc1
sites:
  - name: brussels
    lan: [192.168.10.0/24]
    devices:
      - { name: acme-bru-r1, public-ip: 192.0.2.10, router-id: 10.1.0.1 }
      - { name: acme-bru-r2, public-ip: 192.0.2.11, router-id: 10.1.0.11 }
)");
  const Diagnostic* d = find_code(no_vrrp.diags, "missing-key");
  REQUIRE(d != nullptr);
  CHECK(d->message == "a site with devices: needs a vrrp: block");

  auto lone = load(R"(customer: acme
cluster: dc1
sites:
  - name: brussels
    lan: [192.168.10.0/24]
    device: { name: acme-bru-r1, public-ip: 192.0.2.10, router-id: 10.1.0.1 }
    vrrp: { address: 192.168.10.1, vrid: 10, primary: acme-bru-r1 }
)");
  d = find_code(lone.diags, "vrrp-without-backup");
  REQUIRE(d != nullptr);
  CHECK(d->where.line == 7);
}

TEST_CASE("VRID conflicts within a customer are errors") {
  auto acme = ha_brussels("address: 192.168.10.1/24, vrid: 10, primary: acme-bru-r1");
  acme += R"(  - name: ghent
    lan: [192.168.30.0/24]
    devices:
      - { name: acme-ghe-r1, public-ip: 192.0.2.30, router-id: 10.1.0.3 }
      - { name: acme-ghe-r2, public-ip: 192.0.2.31, router-id: 10.1.0.13 }
    vrrp: { address: 192.168.30.1/24, vrid: 10, primary: acme-ghe-r1 }
)";
  auto loaded = load(acme);
  const Diagnostic* d = find_code(loaded.diags, "vrid-conflict");
  REQUIRE(d != nullptr);
  CHECK(d->message == "sites brussels and ghent of customer acme both use VRRP vrid 10");
  CHECK(d->where.line == 18);
  CHECK(loaded.diags.error_count() == 1);
}

TEST_CASE("an HA router on RouterOS 6 is refused") {
  auto loaded = load(ha_brussels("address: 192.168.10.1/24, vrid: 10, primary: acme-bru-r1")
                         .insert(0, "routeros: 6\n"));
  const Diagnostic* d = find_code(loaded.diags, "ha-needs-routeros-7");
  REQUIRE(d != nullptr);
  CHECK(d->hint == "set routeros: 7 on both routers of the site");
  CHECK(d->where.line == 1); // where routeros: 6 was chosen
}

TEST_CASE("model classes give the tunnel limit of a router") {
  REQUIRE(model_class("RB750Gr3") != nullptr);
  CHECK(model_class("RB750Gr3")->limit == 25);
  CHECK(model_class("hAP ac2")->limit == 25);
  CHECK(model_class("RB5009UG+S+")->limit == 100);
  CHECK(model_class("ccr2004-1G-12S+2XS")->limit == 500);
  CHECK(model_class("") == nullptr);
  CHECK(model_class("Unknown 9000") == nullptr);
}

TEST_CASE("routers over their model's limit give one warning per customer") {
  // 26 hEX sites in a full mesh with one cluster router: 26 tunnels each.
  auto files = test::small_inventory();
  std::string acme = "customer: acme\ncluster: dc1\nsites:\n";
  for (int i = 0; i < 26; ++i) {
    acme += fmt::format("  - name: s{0:02}\n    lan: [172.20.{0}.0/24]\n    device: {{ name: "
                        "acme-s{0:02}, public-ip: 100.64.0.{1}, router-id: 10.1.0.{1}, "
                        "model: hEX }}\n",
                        i, i + 1);
  }
  files["customers/acme.yaml"] = acme;
  Diagnostics diags;
  auto inv = load_inventory_from("inv", files, diags);
  REQUIRE(inv);
  validate_inventory(*inv, diags);
  CHECK_FALSE(diags.has_errors());
  std::vector<Diagnostic> many;
  for (const auto& d : diags.items()) {
    if (d.code == "many-tunnels") {
      many.push_back(d);
    }
  }
  REQUIRE(many.size() == 1); // dc1-r1 has no model and 26 tunnels: under the general 100
  CHECK(many[0].severity == Severity::warning);
  CHECK(many[0].where.file == "inv/customers/acme.yaml");
  CHECK(many[0].where.line == 1);
  CHECK(many[0].message.starts_with(
      "26 routers of customer acme would hold more tunnels than estimated for their model "
      "class (up to 26): acme-s00 (hEX, limit 25), "));
  CHECK(many[0].hint.find("hub-and-spoke") != std::string::npos);
  CHECK(many[0].hint.find("partial mesh") != std::string::npos);

  // 25 sites: 25 tunnels each, exactly the limit.
  acme = acme.substr(0, acme.rfind("  - name: s25"));
  files["customers/acme.yaml"] = acme;
  Diagnostics fewer;
  inv = load_inventory_from("inv", files, fewer);
  REQUIRE(inv);
  validate_inventory(*inv, fewer);
  CHECK(fewer.warning_count() == 0);
}
