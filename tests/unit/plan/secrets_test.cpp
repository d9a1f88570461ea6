// Pre-shared keys in a plan: a change is reported, a value never is.
#include <vpnaas/secrets/psk.hpp>
#include <vpnaas/topology/tunnel.hpp>

#include <doctest/doctest.h>

#include <string>

#include "plan_support.hpp"

using namespace vpnaas;
using namespace vpnaas::test;
using Kind = vpnaas::plan::ItemChange::Kind;

namespace {

// As device_model.cpp derives it.
std::string psk_of(const topology::Tunnel& t, const secrets::MasterKey& key) {
  auto psk = secrets::derive_psk(key, t.id, topology::psk_epoch_tag(t));
  REQUIRE(psk.ok());
  return *psk;
}

// No key either revision derives, with the comparison key or with `key`,
// appears anywhere in `text`.
void check_no_psk(const std::string& text, const Workspace& ws, const secrets::MasterKey& key) {
  for (const auto& t : ws.tunnels) {
    CAPTURE(t.id);
    CHECK(text.find(psk_of(t, plan::comparison_key())) == std::string::npos);
    CHECK(text.find(psk_of(t, key)) == std::string::npos);
  }
}

} // namespace

TEST_CASE("a psk-epoch change reports the key as changed without showing it") {
  auto base = open_files(three_customers(sites(3)));
  auto bumped = sites(3);
  bumped[1].site_extra = "psk-epoch: 1";
  auto head = open_files(with_lock_of(three_customers(bumped), *base));
  const std::string id = "acme/s000~acme/s001";
  // The comparison keys differ, so the diff has something to hide.
  REQUIRE(psk_of(tunnel(*base, id), plan::comparison_key()) !=
          psk_of(tunnel(*head, id), plan::comparison_key()));

  auto d = diff(*base, *head);
  const auto& peer = device(d, "acme-s000");
  REQUIRE(peer.items.size() == 1);
  CHECK(peer.items[0].kind == Kind::changed);
  CHECK(peer.items[0].menu == "/ip ipsec identity");
  CHECK(peer.items[0].tag == "vpnaas:identity:" + id);
  REQUIRE(peer.items[0].props.size() == 1);
  const auto& p = peer.items[0].props[0];
  CHECK(p.name == "secret");
  CHECK(p.secret);
  CHECK(p.before == plan::kHiddenValue);
  CHECK(p.after == plan::kHiddenValue);
  CHECK(device(d, "acme-s001").items.size() == 4);
  CHECK(device(d, "beta-s100").status == plan::DeviceDiff::Status::unchanged);

  // Nor anywhere else: not in added or removed items either.
  const secrets::MasterKey operator_key(std::vector<unsigned char>(32, 0x42), "test key");
  const std::string text = dump(d);
  check_no_psk(text, *base, operator_key);
  check_no_psk(text, *head, operator_key);
}

TEST_CASE("keys of added and removed devices are hidden too") {
  auto base = open_files(three_customers(sites(3)));
  auto head = open_files(with_lock_of(three_customers(sites(3, 1)), *base)); // s000 out, s003 in
  auto d = diff(*base, *head);
  CHECK(device(d, "acme-s000").status == plan::DeviceDiff::Status::removed);
  CHECK(device(d, "acme-s003").status == plan::DeviceDiff::Status::added);
  std::size_t secrets_seen = 0;
  for (const auto& dev : d.devices) {
    for (const auto& item : dev.items) {
      for (const auto& p : item.props) {
        if (p.name == "secret") {
          CHECK(p.secret);
          ++secrets_seen;
        }
      }
    }
  }
  CHECK(secrets_seen > 0);
  const secrets::MasterKey operator_key(std::vector<unsigned char>(32, 0x42), "test key");
  check_no_psk(dump(d), *base, operator_key);
  check_no_psk(dump(d), *head, operator_key);
}
