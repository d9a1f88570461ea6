#include <vpnaas/inventory/loader.hpp>
#include <vpnaas/inventory/validate.hpp>

#include <doctest/doctest.h>

#include "support/inventory_text.hpp"

using namespace vpnaas;

namespace {

struct Validated {
  std::optional<inventory::Inventory> inv;
  std::vector<Diagnostic> errors;
};

// small_inventory() plus customer globex on dc1 with `globex_lan`, the
// cluster file's extra keys `cluster_keys`.
Validated validate(const std::string& globex_lan, const std::string& cluster_keys = "",
                   const std::string& acme_extra_lan = "") {
  auto files = test::small_inventory();
  files["clusters/dc1.yaml"] = "cluster: dc1\nnetworks: [10.10.0.0/24]\n" + cluster_keys +
                               "devices:\n  - { name: dc1-r1, public-ip: 203.0.113.1, "
                               "router-id: 10.0.255.1 }\n";
  if (!acme_extra_lan.empty()) {
    auto& acme = files["customers/acme.yaml"];
    acme.replace(acme.find("[192.168.20.0/24]"), 17, "[192.168.20.0/24, " + acme_extra_lan + "]");
  }
  files["customers/globex.yaml"] =
      "customer: globex\ncluster: dc1\nsites:\n  - name: paris\n    lan: [" + globex_lan +
      "]\n    device: { name: globex-par, public-ip: 198.51.100.11, router-id: 10.2.0.1 }\n";
  Diagnostics diags;
  Validated out;
  out.inv = inventory::load_inventory_from("inv", files, diags);
  REQUIRE(out.inv);
  inventory::validate_inventory(*out.inv, diags);
  for (const auto& d : diags.items()) {
    if (d.severity == Severity::error) {
      out.errors.push_back(d);
    }
  }
  return out;
}

} // namespace

TEST_CASE("a RouterOS 7 cluster isolates by VRF unless told otherwise, a RouterOS 6 one cannot") {
  CHECK(validate("192.168.99.0/24").inv->clusters[0].isolation.value == inventory::Isolation::vrf);
  CHECK(validate("192.168.99.0/24", "isolation: none\n").inv->clusters[0].isolation.value ==
        inventory::Isolation::none);
  CHECK(validate("192.168.99.0/24", "routeros: 6\n").inv->clusters[0].isolation.value ==
        inventory::Isolation::none);
  auto v6 = validate("192.168.99.0/24", "routeros: 6\nisolation: vrf\n");
  REQUIRE(v6.errors.size() == 1);
  CHECK(v6.errors[0].code == "isolation-needs-v7");
  CHECK(v6.errors[0].where.file == "inv/clusters/dc1.yaml");
  CHECK(v6.errors[0].where.line == 4);
  CHECK(v6.errors[0].message ==
        "isolation: vrf needs RouterOS 7 on every router of cluster dc1, but dc1-r1 runs "
        "RouterOS 6");
}

TEST_CASE("LANs of different customers may overlap on a VRF cluster, nowhere else") {
  CHECK(validate("192.168.10.0/24").errors.empty()); // acme's brussels has it too
  CHECK(validate("192.168.10.128/25").errors.empty());

  auto shared = validate("192.168.10.0/24", "isolation: none\n");
  REQUIRE(shared.errors.size() == 1);
  CHECK(shared.errors[0].code == "overlap");
  CHECK(shared.errors[0].where.file == "inv/customers/globex.yaml");
  CHECK(shared.errors[0].where.line == 5);
  CHECK(shared.errors[0].hint == "cluster dc1 routes all its customers in one table (isolation: "
                                 "none); renumber one of them, or set isolation: vrf on the "
                                 "cluster");

  auto v6 = validate("192.168.10.0/24", "routeros: 6\n");
  REQUIRE(v6.errors.size() == 1);
  CHECK(v6.errors[0].hint == "cluster dc1 routes all its customers in one table: router dc1-r1 "
                             "runs RouterOS 6, which has no VRFs; renumber one of them");
}

TEST_CASE("on a VRF cluster a customer's own LANs and the cluster networks stay unique") {
  // Within one customer.
  auto own = validate("192.168.99.0/24", "", "192.168.10.0/25");
  REQUIRE(own.errors.size() == 1);
  CHECK(own.errors[0].code == "overlap");
  CHECK(own.errors[0].where.file == "inv/customers/acme.yaml");
  CHECK(own.errors[0].hint == "routed networks must not overlap; renumber one of them");
  // Against the cluster's networks, which are leaked into every VRF.
  auto cluster = validate("10.10.0.0/16");
  REQUIRE(cluster.errors.size() == 1);
  CHECK(cluster.errors[0].code == "overlap");
  CHECK(cluster.errors[0].where.file == "inv/customers/globex.yaml");
  CHECK(cluster.errors[0].message.find("overlaps network of cluster dc1 10.10.0.0/24") !=
        std::string::npos);
}
