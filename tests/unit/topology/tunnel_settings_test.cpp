#include <vpnaas/inventory/loader.hpp>
#include <vpnaas/inventory/validate.hpp>
#include <vpnaas/topology/tunnel.hpp>
#include <vpnaas/topology/tunnel_settings.hpp>

#include <doctest/doctest.h>

#include <algorithm>

#include "support/inventory_text.hpp"

using namespace vpnaas;

TEST_CASE("a site's overrides lead on its tunnels to shared cluster routers") {
  auto files = test::small_inventory();
  // "zz" sorts after the cluster name, so the cluster router is end a here:
  // the site's settings must still lead.
  files["vpnaas.yaml"] += R"(crypto:
  gcm:
    ike: { encryption: aes-256, hash: sha256, dh: ecp256 }
    esp: { encryption: aes-256-gcm, auth: "null", pfs: ecp256 }
)";
  files["customers/zz.yaml"] = R"(customer: zz
cluster: dc1
sites:
  - name: depot
    lan: [192.168.90.0/24]
    device: { name: zz-r1, public-ip: 192.0.2.90, router-id: 10.9.0.1, crypto: gcm, mtu: 1380,
              routing: static, psk-epoch: 2 }
)";
  Diagnostics diags;
  auto inv = inventory::load_inventory_from("inv", files, diags);
  REQUIRE(inv);
  inventory::validate_inventory(*inv, diags);
  CHECK_FALSE(diags.has_errors()); // GCM with auth "null" is the RouterOS form, not weak
  auto tunnels = topology::build_tunnels(*inv);
  auto it = std::find_if(tunnels.begin(), tunnels.end(),
                         [](const auto& t) { return t.id == "dc1/dc1-r1~zz/depot"; });
  REQUIRE(it != tunnels.end());
  auto s = topology::tunnel_settings(*it);
  CHECK(s.crypto == "gcm");
  CHECK(s.mtu == 1380);
  CHECK_FALSE(s.ospf);
  CHECK(it->b.psk_epoch() == 2); // the site device's epoch counts
}
