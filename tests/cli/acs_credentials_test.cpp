// `vpnaas acs credentials`: what it prints is what the ACS will check.
#include <vpnaas/secrets/cpe_credentials.hpp>

#include <doctest/doctest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/paths.hpp"
#include "support/run.hpp"

using namespace vpnaas::test;

namespace {

const std::string kKeyHex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

std::map<std::string, std::string> env_with_key(const TempDir& dir) {
  return {{"VPNAAS_MASTER_KEY", kKeyHex},
          {"HOME", (dir.path() / "home").string()},
          {"XDG_CONFIG_HOME", (dir.path() / "config").string()}};
}

vpnaas::secrets::CpeCredentials expected(const std::string& serial) {
  std::vector<unsigned char> bytes;
  for (int b = 0; b < 32; ++b) {
    bytes.push_back(static_cast<unsigned char>(b));
  }
  auto derived =
      vpnaas::secrets::derive_cpe_credentials(vpnaas::secrets::MasterKey(bytes, "t"), serial);
  REQUIRE(derived.ok());
  return *derived;
}

} // namespace

TEST_CASE("acs credentials: JSON holds the serial and both derived logins") {
  TempDir dir;
  auto run = run_cli({"acs", "credentials", "--serial", "HCQ08A2VJ7P", "--format", "json"},
                     env_with_key(dir), dir.path().string());
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  const auto document = nlohmann::json::parse(run.out);
  const auto want = expected("HCQ08A2VJ7P");
  CHECK(document["ok"] == true);
  CHECK(document["serial"] == "HCQ08A2VJ7P");
  CHECK(document["acs"]["username"] == "HCQ08A2VJ7P");
  CHECK(document["acs"]["password"] == want.acs.password);
  CHECK(document["connection_request"]["password"] == want.connection_request.password);
  CHECK(document["key"] == "environment variable VPNAAS_MASTER_KEY");
  CHECK(run.out.find(kKeyHex.substr(0, 16)) == std::string::npos);
}

TEST_CASE("acs credentials: text gives the logins and the tr069-client line") {
  TempDir dir;
  auto run = run_cli({"acs", "credentials", "--serial", "HCQ08A2VJ7P"}, env_with_key(dir),
                     dir.path().string());
  REQUIRE(run.exit_code == 0);
  const auto want = expected("HCQ08A2VJ7P");
  CHECK(run.out.find("  CPE -> ACS login:            username HCQ08A2VJ7P  password " +
                     want.acs.password + "\n") != std::string::npos);
  CHECK(run.out.find("/tr069-client set enabled=yes acs-url=ACS-URL username=HCQ08A2VJ7P "
                     "password=" +
                     want.acs.password + " periodic-inform-enabled=yes") != std::string::npos);
  CHECK(run.err.empty());
}

TEST_CASE("acs credentials: a bad serial is a usage error, a missing key exit 4") {
  TempDir dir;
  auto bad = run_cli({"acs", "credentials", "--serial", "a:b", "--format", "json"},
                     env_with_key(dir), dir.path().string());
  CHECK(bad.exit_code == 2);
  const auto document = nlohmann::json::parse(bad.out);
  CHECK(document["error"]["code"] == "usage");
  CHECK(document["error"]["message"] == "'a:b' is not a CPE serial number");

  auto env = env_with_key(dir);
  env.erase("VPNAAS_MASTER_KEY");
  auto no_key = run_cli(
      {"acs", "credentials", "--serial", "S1", "--key-file", (dir.path() / "missing.key").string()},
      env, dir.path().string());
  CHECK(no_key.exit_code == 4);
  CHECK(no_key.out.empty());
  auto no_serial = run_cli({"acs", "credentials"}, env_with_key(dir), dir.path().string());
  CHECK(no_serial.exit_code == 2);
}
