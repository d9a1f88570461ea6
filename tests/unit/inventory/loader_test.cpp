#include <vpnaas/inventory/loader.hpp>
#include <vpnaas/inventory/validate.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "support/inventory_text.hpp"

using namespace vpnaas;
using namespace vpnaas::inventory;

TEST_CASE("values, defaults and per-device overrides are read with their positions") {
  auto files = test::small_inventory();
  files["customers/acme.yaml"] += R"(  - name: ghent
    lan: [192.168.30.0/24]
    psk-epoch: 3
    device:
      name: acme-ghe-r1
      public-ip: 192.0.2.30
      router-id: 10.1.0.3
      routeros: 6
      mtu: 1380
      keepalive: 5s,4
      ospf: { cost: 50 }
      ssh: { port: 2222 }
)";
  Diagnostics diags;
  auto inv = load_inventory_from("inv", files, diags);
  REQUIRE(inv);
  REQUIRE_FALSE(diags.has_errors());
  const Customer* acme = inv->find_customer("acme");
  REQUIRE(acme != nullptr);
  REQUIRE(acme->sites.size() == 3);
  const Site& ghent = acme->sites[2];
  CHECK(ghent.psk_epoch == 3);
  CHECK(ghent.device.settings.routeros.major == 6);
  CHECK(ghent.device.settings.mtu == 1380);
  CHECK(ghent.device.settings.keepalive.to_string() == "5s,4");
  CHECK(ghent.device.settings.ospf.cost == 50);
  CHECK(ghent.device.settings.ospf.hello.seconds() == 1); // inherited from defaults
  REQUIRE(ghent.device.ssh);
  CHECK(ghent.device.ssh->port == 2222);
  CHECK(ghent.device.ssh->host == "192.0.2.30"); // defaults to the public IP
  CHECK(ghent.device.public_ip.where.file == "inv/customers/acme.yaml");
  CHECK(ghent.device.public_ip.where.line == 21);
  CHECK(ghent.device.public_ip.where.column == 18);
  const Site& brussels = acme->sites[0];
  CHECK(brussels.device.settings.routeros.major == 7);
  CHECK(brussels.device.settings.mtu == 1400);
}

TEST_CASE("file order and entry order do not change the model's order") {
  auto files = test::small_inventory();
  files["customers/zeta.yaml"] = R"(customer: zeta
cluster: dc1
sites:
  - name: one
    lan: [192.168.70.0/24]
    device: { name: zeta-r1, public-ip: 192.0.2.70, router-id: 10.7.0.1 }
)";
  Diagnostics diags;
  auto inv = load_inventory_from("inv", files, diags);
  REQUIRE(inv);
  REQUIRE(inv->customers.size() == 2);
  CHECK(inv->customers[0].name.value == "acme");
  CHECK(inv->customers[1].name.value == "zeta");
}

TEST_CASE("a broken file does not hide errors in the other files") {
  auto files = test::small_inventory();
  files["clusters/dc1.yaml"] = "cluster: dc1\ndevices: [\n";
  files["customers/acme.yaml"].replace(files["customers/acme.yaml"].find("192.0.2.10"), 10,
                                       "192.0.2.300");
  Diagnostics diags;
  auto inv = load_inventory_from("inv", files, diags);
  REQUIRE(inv);
  auto all = diags.sorted();
  REQUIRE(all.size() == 2);
  CHECK(all[0].where.file == "inv/clusters/dc1.yaml");
  CHECK(all[0].code == "yaml-syntax");
  CHECK(all[1].where.file == "inv/customers/acme.yaml");
  CHECK(all[1].code == "invalid-address");
}

TEST_CASE("hostile and unusual input never crashes the loader") {
  const char* inputs[] = {"",
                          "---\n...\n",
                          "[1, 2, 3]",
                          "vpnaas: [1]",
                          "\t\t:",
                          "vpnaas: 1\ncrypto: 5",
                          "&a [*a]",
                          "vpnaas: !!binary x",
                          "? [a]\n: b",
                          "vpnaas: 1\ndefaults: { ospf: [] }",
                          "vpnaas: 1\nmanagement: { acs: { url: ftp://x } }"};
  for (const char* text : inputs) {
    CAPTURE(text);
    auto files = test::small_inventory();
    files["vpnaas.yaml"] = text;
    Diagnostics diags;
    auto inv = load_inventory_from("inv", files, diags);
    REQUIRE(inv);
    validate_inventory(*inv, diags);
    CHECK(diags.has_errors());
  }
}

TEST_CASE("a customer's site may not shadow a cluster name, and names are checked") {
  auto files = test::small_inventory();
  files["customers/dc1.yaml"] = R"(customer: dc1
cluster: dc1
sites:
  - name: x
    lan: [192.168.80.0/24]
    device: { name: dc1-x, public-ip: 192.0.2.80, router-id: 10.8.0.1 }
)";
  Diagnostics diags;
  auto inv = load_inventory_from("inv", files, diags);
  REQUIRE(inv);
  validate_inventory(*inv, diags);
  auto all = diags.sorted();
  REQUIRE(all.size() == 1);
  CHECK(all[0].code == "name-clash");
  CHECK(all[0].where.file == "inv/customers/dc1.yaml");
}

TEST_CASE("a leading --- is one document, a second document is an error at its line") {
  auto files = test::small_inventory();
  files["customers/acme.yaml"] = "---\n" + files["customers/acme.yaml"] + "---\n";
  Diagnostics ok;
  auto inv = load_inventory_from("inv", files, ok);
  REQUIRE(inv);
  CHECK_FALSE(ok.has_errors());

  files["customers/acme.yaml"] += "customer: evil\n";
  Diagnostics bad;
  (void)load_inventory_from("inv", files, bad);
  REQUIRE(bad.has_errors());
  bool found = false;
  for (const auto& d : bad.items()) {
    found = found || d.code == "second-document";
  }
  CHECK(found);
}

TEST_CASE("host-key pins and the inventory's known_hosts are read, each checked by line") {
  auto files = test::small_inventory();
  const std::string digest(43, 'x');
  files["customers/zeta.yaml"] = "customer: zeta\ncluster: dc1\nsites:\n  - name: one\n"
                                 "    lan: [192.168.70.0/24]\n"
                                 "    device:\n      name: zeta-r1\n      public-ip: 192.0.2.70\n"
                                 "      router-id: 10.7.0.1\n"
                                 "      ssh: { port: 2222, host-key: \"SHA256:" +
                                 digest + "=\" }\n";
  files["known_hosts"] = "# pinned\n[192.0.2.70]:2222 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5\n";
  Diagnostics diags;
  auto inv = load_inventory_from("inv", files, diags);
  REQUIRE(inv);
  CHECK_FALSE(diags.has_errors()); // known_hosts is no stray file
  REQUIRE(inv->known_hosts.has_value());
  CHECK(inv->known_hosts->where == "inv/known_hosts");
  CHECK(inv->known_hosts->text == files["known_hosts"]);
  const auto* zeta = inv->find_customer("zeta");
  REQUIRE(zeta != nullptr);
  REQUIRE(zeta->sites.front().device.ssh.has_value());
  const auto& pin = zeta->sites.front().device.ssh->host_key;
  REQUIRE(pin.has_value());
  CHECK(pin->value == "SHA256:" + digest); // the padding OpenSSH leaves off is dropped
  CHECK(pin->where.line == 10);

  files["known_hosts"] = "@revoked * ssh-ed25519 AAAA\n\nhost ssh-foo AAAA\nhost ssh-rsa\n";
  files["customers/zeta.yaml"].replace(files["customers/zeta.yaml"].find("SHA256:"), 7, "MD5:");
  Diagnostics bad;
  load_inventory_from("inv", files, bad);
  std::vector<std::string> seen;
  for (const auto& d : bad.sorted()) {
    seen.push_back(fmt::format("{}:{} {}", d.where.file, d.where.line, d.code));
  }
  CHECK(seen == std::vector<std::string>{"inv/customers/zeta.yaml:10 invalid-host-key",
                                         "inv/known_hosts:1 known-hosts-marker",
                                         "inv/known_hosts:3 known-hosts-syntax",
                                         "inv/known_hosts:4 known-hosts-syntax"});
}

TEST_CASE("management selects ssh or cwmp per device, absent means ssh, anything else is an error") {
  auto files = test::small_inventory();
  files["customers/acme.yaml"] += R"(  - name: ghent
    lan: [192.168.30.0/24]
    device:
      name: acme-ghe-r1
      public-ip: 192.0.2.30
      router-id: 10.1.0.3
      management: cwmp
)";
  Diagnostics diags;
  auto inv = load_inventory_from("inv", files, diags);
  REQUIRE(inv);
  REQUIRE_FALSE(diags.has_errors());
  const Customer* acme = inv->find_customer("acme");
  REQUIRE(acme != nullptr);
  REQUIRE(acme->sites[2].device.management);
  CHECK(acme->sites[2].device.management->value == "cwmp");
  CHECK(acme->sites[2].device.management->where.line == 22);
  CHECK_FALSE(acme->sites[0].device.management);

  files["customers/acme.yaml"].replace(files["customers/acme.yaml"].find("management: cwmp"), 16,
                                       "management: cwnp");
  Diagnostics bad;
  load_inventory_from("inv", files, bad);
  auto all = bad.sorted();
  REQUIRE(all.size() == 1);
  CHECK(all[0].where.file == "inv/customers/acme.yaml");
  CHECK(all[0].where.line == 22);
  CHECK(all[0].message.find("management") != std::string::npos);
  CHECK(all[0].hint.find("cwmp") != std::string::npos);
}
