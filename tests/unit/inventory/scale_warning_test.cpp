#include <vpnaas/inventory/loader.hpp>
#include <vpnaas/inventory/validate.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>

#include "support/inventory_text.hpp"

using namespace vpnaas;

namespace {

// acme with `sites` sites in full mesh on dc1 (one router).
std::vector<Diagnostic> warnings_for(int sites) {
  auto files = test::small_inventory();
  std::string acme = "customer: acme\ncluster: dc1\nsites:\n";
  for (int i = 0; i < sites; ++i) {
    acme += fmt::format("  - name: s{0:03}\n    lan: [172.20.{0}.0/24]\n    device: {{ name: "
                        "acme-s{0:03}, public-ip: 100.64.0.{1}, router-id: 10.1.0.{1} }}\n",
                        i, i + 1);
  }
  files["customers/acme.yaml"] = acme;
  Diagnostics diags;
  auto inv = inventory::load_inventory_from("inv", files, diags);
  REQUIRE(inv);
  inventory::validate_inventory(*inv, diags);
  std::vector<Diagnostic> many;
  for (const auto& d : diags.items()) {
    CHECK(d.severity == Severity::warning);
    if (d.code == "many-tunnels") {
      many.push_back(d);
    }
  }
  return many;
}

} // namespace

TEST_CASE("many crowded routers of one customer give one warning, not one each") {
  CHECK(warnings_for(100).empty()); // 99 site peers + 1 cluster router: exactly the limit
  auto many = warnings_for(120);
  REQUIRE(many.size() == 2); // acme's 120 sites, and dc1's router
  auto acme = std::find_if(many.begin(), many.end(), [](const Diagnostic& d) {
    return d.where.file == "inv/customers/acme.yaml";
  });
  REQUIRE(acme != many.end());
  CHECK(acme->where.line == 1);
  CHECK(acme->message == "120 devices of customer acme would hold more than 100 tunnels each (up "
                         "to 120): acme-s000, acme-s001, acme-s002, acme-s003, acme-s004 and 115 "
                         "more; beyond 100 RouterOS converges slowly and is hard to operate");
  auto dc1 = std::find_if(many.begin(), many.end(), [](const Diagnostic& d) {
    return d.where.file == "inv/clusters/dc1.yaml";
  });
  REQUIRE(dc1 != many.end());
  CHECK(dc1->message == "device dc1-r1 would hold 120 tunnels; beyond 100 RouterOS converges "
                        "slowly and is hard to operate");
}
