#include <vpnaas/secrets/cpe_credentials.hpp>

#include <doctest/doctest.h>

#include <cctype>
#include <string>
#include <vector>

#include "counting_key.hpp"
#include "support/run.hpp"

using vpnaas::ErrorCode;
using vpnaas::secrets::derive_cpe_credentials;
using vpnaas::secrets::MasterKey;
using vpnaas::test::counting_key;
using vpnaas::test::kCountingKeyHex;

namespace {

// The same derivation by `openssl kdf`, which shares none of our code.
std::string openssl_kdf(const std::string& salt, const std::string& info) {
  auto run = vpnaas::test::run({"openssl", "kdf", "-keylen", "16", "-kdfopt", "digest:SHA256",
                                "-kdfopt", std::string("hexkey:") + kCountingKeyHex, "-kdfopt",
                                "salt:" + salt, "-kdfopt", "info:" + info, "HKDF"});
  REQUIRE_MESSAGE(run.exit_code == 0, "`openssl kdf` failed: " << run.err);
  std::string hex;
  for (char c : run.out) {
    if (std::isxdigit(static_cast<unsigned char>(c)) != 0) {
      hex += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  REQUIRE(hex.size() == 32);
  return hex;
}

} // namespace

TEST_CASE("CPE credentials: the serial is the username and the passwords match openssl kdf") {
  auto credentials = derive_cpe_credentials(counting_key(), "HCQ08A2VJ7P");
  REQUIRE(credentials.ok());
  CHECK(credentials->acs.username == "HCQ08A2VJ7P");
  CHECK(credentials->connection_request.username == "HCQ08A2VJ7P");
  CHECK(credentials->acs.password == openssl_kdf("vpnaas/cpe-acs-login/v1", "HCQ08A2VJ7P"));
  CHECK(credentials->connection_request.password ==
        openssl_kdf("vpnaas/cpe-connection-request/v1", "HCQ08A2VJ7P"));
  CHECK(credentials->acs.password != credentials->connection_request.password);
  // Pinned: changing a salt or the encoding changes every router's password.
  CHECK(credentials->acs.password.size() == 32);
}

TEST_CASE("CPE credentials: different serials and keys give different passwords") {
  auto a = derive_cpe_credentials(counting_key(), "SERIAL-A");
  auto b = derive_cpe_credentials(counting_key(), "serial-a");
  MasterKey other(std::vector<unsigned char>(32, 0x42), "test");
  auto c = derive_cpe_credentials(other, "SERIAL-A");
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  REQUIRE(c.ok());
  CHECK(a->acs.password != b->acs.password);
  CHECK(a->acs.password != c->acs.password);
  auto again = derive_cpe_credentials(counting_key(), "SERIAL-A");
  REQUIRE(again.ok());
  CHECK(again->acs.password == a->acs.password);
}

TEST_CASE("CPE credentials: a serial that cannot be a username is a usage error") {
  for (const std::string& serial :
       {std::string(), std::string(65, 'A'), std::string("AB:CD"), std::string("AB\nCD")}) {
    auto result = derive_cpe_credentials(counting_key(), serial);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code == ErrorCode::usage);
    CHECK(result.error().message.find("is not a CPE serial number") != std::string::npos);
  }
  CHECK(derive_cpe_credentials(counting_key(), std::string(64, 'A')).ok());
}

TEST_CASE("CPE credentials: a short master key is a missing secret") {
  auto result = derive_cpe_credentials(MasterKey(std::vector<unsigned char>(16, 1), "t"), "S1");
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code == ErrorCode::missing_secret);
}
