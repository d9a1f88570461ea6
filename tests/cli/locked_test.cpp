// `--locked` in CI: a vpnaas.lock that no longer matches the inventory stops
// `mesh generate` and `apply` with exit 3 before they write or connect anything.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "ssh_cli.hpp"

using vpnaas::test::copy_tree;
using vpnaas::test::data_path;
using vpnaas::test::read_file;
using vpnaas::test::run_cli;
using vpnaas::test::SshCli;
using vpnaas::test::TempDir;
using vpnaas::test::write_file;
namespace fs = std::filesystem;

namespace {

// A site added after the lock was committed: the lock would gain tunnels.
void add_site(const fs::path& inventory) {
  const fs::path acme = inventory / "customers/acme.yaml";
  write_file(acme, read_file(acme) + R"(  - name: mechelen
    lan: [192.168.40.0/24]
    device: { name: acme-mec-r1, public-ip: 192.0.2.40, router-id: 10.1.0.4 }
)");
}

} // namespace

TEST_CASE("mesh generate --locked exits 3 on a stale lock and writes nothing") {
  TempDir dir;
  const fs::path inventory = dir.path() / "inventory";
  const fs::path out = dir.path() / "out";
  const std::map<std::string, std::string> env{
      {"VPNAAS_MASTER_KEY", std::string(64, '7')},
      {"HOME", (dir.path() / "home").string()},
      {"XDG_CONFIG_HOME", (dir.path() / "config").string()}};
  copy_tree(data_path("render/small7"), inventory);
  REQUIRE(run_cli({"inventory", "validate", "-i", inventory.string()}, env).exit_code == 0);
  const std::string lock = read_file(inventory / "vpnaas.lock");
  add_site(inventory);

  for (const std::string format : {"text", "json"}) {
    CAPTURE(format);
    auto stale = run_cli({"mesh", "generate", "--locked", "-i", inventory.string(), "--out",
                          out.string(), "--format", format},
                         env);
    CHECK(stale.exit_code == 3);
    if (format == "json") {
      const auto document = nlohmann::json::parse(stale.out);
      CHECK(document["ok"] == false);
      CHECK(document["error"]["code"] == "lock-out-of-date");
    } else {
      CHECK(stale.err.find("vpnaas.lock is out of date (") != std::string::npos);
      CHECK(stale.err.find("acme/brussels~acme/mechelen") != std::string::npos);
    }
    CHECK_FALSE(fs::exists(out));
    CHECK(read_file(inventory / "vpnaas.lock") == lock);
  }

  // The same command without --locked goes through, so the refusal above came
  // from the lock alone.
  auto unlocked =
      run_cli({"mesh", "generate", "-i", inventory.string(), "--out", out.string()}, env);
  CHECK(unlocked.exit_code == 0);
  CHECK(fs::exists(out / "acme/acme-mec-r1.rsc"));
}

TEST_CASE("apply --locked exits 3 on a stale lock before contacting any router") {
  SshCli cli;
  REQUIRE(run_cli({"inventory", "validate", "-i", cli.inventory.string()}, cli.env).exit_code == 0);
  const std::string lock = read_file(cli.inventory / "vpnaas.lock");
  add_site(cli.inventory);

  auto text = cli.run({"apply", "--via", "ssh", "--locked"});
  CHECK(text.exit_code == 3);
  CHECK(text.err.find("vpnaas.lock is out of date (") != std::string::npos);
  CHECK(text.err.find("acme/brussels~acme/mechelen") != std::string::npos);
  CHECK(text.out.find("applied") == std::string::npos);

  auto json = cli.run({"apply", "--via", "ssh", "--locked", "--format", "json"});
  CHECK(json.exit_code == 3);
  const auto document = nlohmann::json::parse(json.out);
  CHECK(document["ok"] == false);
  CHECK(document["error"]["code"] == "lock-out-of-date");

  for (const auto& router : cli.routers) {
    CHECK(router->commands().empty());
    CHECK(router->imported().empty());
  }
  CHECK(read_file(cli.inventory / "vpnaas.lock") == lock);

  // Without --locked the same apply reaches the router: its empty command log
  // above is the refusal's doing, not a log that never fills.
  auto unlocked = cli.run({"apply", "--via", "ssh", "--device", "dc1-r1"});
  INFO(unlocked.err);
  CHECK(unlocked.exit_code == 0);
  CHECK_FALSE(cli.router("dc1-r1").commands().empty());
}
