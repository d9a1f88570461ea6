#include <vpnaas/secrets/psk.hpp>
#include <vpnaas/topology/tunnel.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <utility>
#include <vector>

#include "counting_key.hpp"
#include "support/run.hpp"

using vpnaas::ErrorCode;
using vpnaas::secrets::derive_psk;
using vpnaas::secrets::MasterKey;
using vpnaas::test::counting_key;
using vpnaas::test::kCountingKeyHex;
using vpnaas::topology::psk_epoch_tag;

namespace {

std::string psk(const MasterKey& key, const std::string& id, const std::string& tag) {
  auto result = derive_psk(key, id, tag);
  REQUIRE(result.ok());
  return *result;
}

// The same derivation by OpenSSL's command line tool, an implementation that
// shares none of our code paths (parameter setup, hex encoding). Without the
// tool the test fails: a cross-check that skips itself proves nothing.
std::string openssl_cli_psk(const std::string& key_hex, const std::string& info) {
  auto run = vpnaas::test::run({"openssl", "kdf", "-keylen", "32", "-kdfopt", "digest:SHA256",
                                "-kdfopt", "hexkey:" + key_hex, "-kdfopt", "salt:vpnaas/psk/v1",
                                "-kdfopt", "info:" + info, "HKDF"});
  REQUIRE_MESSAGE(run.exit_code == 0,
                  "`openssl kdf` failed (exit "
                      << run.exit_code
                      << std::string(run.exit_code == 127 ? ", no openssl command" : "")
                      << "): " << run.err
                      << "; install the openssl package (OpenSSL 3), as "
                         "scripts/lib/common.sh does");
  std::string hex;
  for (char c : run.out) {
    if (std::isxdigit(static_cast<unsigned char>(c)) != 0) {
      hex += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  REQUIRE_MESSAGE(hex.size() == 64, "unexpected `openssl kdf` output: " << run.out);
  return hex;
}

struct Fixture {
  vpnaas::inventory::Customer customer;
  vpnaas::inventory::Site brussels;
  vpnaas::inventory::Cluster dc1;
  vpnaas::inventory::Device router;

  Fixture() {
    customer.name.value = "acme";
    brussels.name.value = "brussels";
    dc1.name.value = "dc1";
    router.name.value = "dc1-r1";
  }

  vpnaas::topology::Tunnel tunnel() const {
    vpnaas::topology::Tunnel t;
    t.id = "acme/brussels~dc1/dc1-r1";
    t.customer = &customer;
    t.kind = vpnaas::topology::TunnelKind::site_to_cluster;
    t.a = {"acme/brussels", &brussels.device, &brussels, nullptr};
    t.b = {"dc1/dc1-r1", &router, nullptr, &dc1};
    return t;
  }
};

} // namespace

TEST_CASE("derive_psk: pinned vectors") {
  MasterKey key = counting_key();
  CHECK(psk(key, "acme/antwerp~acme/brussels", "t0.a0.b0") ==
        "f38f9d9ee43fb393b6fb9447569f9130e36434cb2e424d054e70646be8c0d74d");
  CHECK(psk(key, "acme/brussels~dc1/dc1-r1", "t3.a2.b1") ==
        "11d3edc7260595a2cccbc74d90d1b17e0464fe8befaedd10b2e72545115f9265");
}

TEST_CASE("derive_psk: matches an independent computation by the openssl command") {
  MasterKey key = counting_key();
  for (const auto& [id, tag] : std::vector<std::pair<std::string, std::string>>{
           {"acme/antwerp~acme/brussels", "t0.a0.b0"},
           {"acme/brussels~dc1/dc1-r1", "t3.a2.b1"},
           {"globex/gent~globex/liege", "t12.a0.b7"}}) {
    CAPTURE(id);
    const std::string expected = openssl_cli_psk(kCountingKeyHex, id + "|" + tag);
    CHECK(psk(key, id, tag) == expected);
  }
}

TEST_CASE("derive_psk: 64 lowercase hex digits, the same for the same inputs") {
  MasterKey key = counting_key();
  std::string first = psk(key, "acme/antwerp~acme/brussels", "t0.a0.b0");
  CHECK(first.size() == 64);
  CHECK(std::all_of(first.begin(), first.end(),
                    [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }));
  MasterKey copy = key;
  CHECK(psk(copy, "acme/antwerp~acme/brussels", "t0.a0.b0") == first);
}

TEST_CASE("derive_psk: any change of input changes the key") {
  MasterKey key = counting_key();
  std::string base = psk(key, "acme/antwerp~acme/brussels", "t0.a0.b0");
  CHECK(psk(key, "acme/antwerp~acme/gent", "t0.a0.b0") != base);
  CHECK(psk(key, "acme/antwerp~acme/brussels", "t1.a0.b0") != base);
  CHECK(psk(key, "acme/antwerp~acme/brussels", "t0.a1.b0") != base);
  CHECK(psk(key, "acme/antwerp~acme/brussels", "t0.a0.b1") != base);

  std::vector<unsigned char> rotated = key.bytes();
  rotated[31] ^= 0x01;
  CHECK(psk(MasterKey(rotated, "test"), "acme/antwerp~acme/brussels", "t0.a0.b0") != base);

  // A longer master key is used whole, not truncated to 32 bytes.
  std::vector<unsigned char> longer = key.bytes();
  longer.push_back(0x20);
  CHECK(psk(MasterKey(longer, "test"), "acme/antwerp~acme/brussels", "t0.a0.b0") != base);
}

TEST_CASE("derive_psk: refuses an empty or short master key and ambiguous input") {
  SUBCASE("empty key") {
    auto result = derive_psk(MasterKey{}, "acme/a~acme/b", "t0.a0.b0");
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code == ErrorCode::missing_secret);
    CHECK(result.error().message ==
          "cannot derive a pre-shared key: the master key has 0 bytes, at least 32 are needed");
  }
  SUBCASE("separator inside the epoch tag") {
    auto result = derive_psk(counting_key(), "acme/a~acme/b", "t0|a0");
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code == ErrorCode::internal);
  }
  SUBCASE("empty tunnel id") {
    CHECK_FALSE(derive_psk(counting_key(), "", "t0.a0.b0").ok());
  }
}

TEST_CASE("psk_epoch_tag: the tunnel's epoch, then each end's") {
  Fixture f;
  CHECK(psk_epoch_tag(f.tunnel()) == "t0.a0.b0");

  f.brussels.psk_epoch = 2;
  f.router.psk_epoch = 1;
  vpnaas::topology::Tunnel t = f.tunnel();
  t.psk_epoch = 3;
  CHECK(psk_epoch_tag(t) == "t3.a2.b1");
  CHECK(psk(counting_key(), t.id, psk_epoch_tag(t)) ==
        "11d3edc7260595a2cccbc74d90d1b17e0464fe8befaedd10b2e72545115f9265");
}
