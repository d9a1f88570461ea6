// `vpnaas apply --via ssh` end to end: inventory -> rendered scripts -> fake
// routers behind real sshd, checked against `vpnaas mesh generate`.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "ssh_cli.hpp"

using vpnaas::test::kSshInventoryDevices;
using vpnaas::test::read_file;
using vpnaas::test::SshCli;

namespace {

// What `mesh generate` renders for `device` from the same inventory.
std::string generated_script(const SshCli& cli, const std::string& device) {
  const auto out = cli.dir.path() / "out";
  auto result = vpnaas::test::run_cli(
      {"mesh", "generate", "--inventory", cli.inventory.string(), "--out", out.string()}, cli.env,
      cli.dir.path().string());
  REQUIRE(result.exit_code == 0);
  const std::string group = device.starts_with("dc1") ? "dc1" : "acme";
  return read_file(out / group / (device + ".rsc"));
}

} // namespace

TEST_CASE("apply pushes each router its own rendered script") {
  SshCli cli;
  auto result = cli.run({"apply", "--via", "ssh", "--parallel", "4", "--backup-dir",
                         (cli.dir.path() / "backups").string()});
  INFO(result.err);
  CHECK(result.exit_code == 0);
  CHECK(result.out.find("applied 4 of 4 router(s)\n") != std::string::npos);
  for (const auto& device : kSshInventoryDevices) {
    CAPTURE(device);
    const auto imported = cli.router(device).imported();
    REQUIRE(imported.size() == 1);
    CHECK(imported[0] == generated_script(cli, device));
    CHECK(std::filesystem::exists(cli.dir.path() / "backups" / device));
  }
}

TEST_CASE("apply --device and --customer select routers") {
  SshCli cli;
  auto one = cli.run({"apply", "--via", "ssh", "--device", "acme-ant-r1"});
  INFO(one.err);
  CHECK(one.exit_code == 0);
  for (const auto& device : kSshInventoryDevices) {
    CHECK(cli.router(device).imported().size() == (device == "acme-ant-r1" ? 1U : 0U));
  }
  auto typo = cli.run({"apply", "--via", "ssh", "--customer", "acmee"});
  CHECK(typo.exit_code == 2);
}

TEST_CASE("a failing router is reported, in JSON too, and the others are applied") {
  SshCli cli;
  cli.router("dc1-r2").fail_import_at("/interface gre", "bad command name gre");
  auto result = cli.run({"apply", "--via", "ssh", "--format", "json"});
  CHECK(result.exit_code == 1);
  const auto document = nlohmann::json::parse(result.out);
  CHECK(document["ok"] == false);
  CHECK(document["applied"] == 3);
  CHECK(document["failed"] == 1);
  for (const auto& entry : document["devices"]) {
    CAPTURE(entry.dump());
    const bool failing = entry["device"] == "dc1-r2";
    CHECK(entry["ok"] == !failing);
    CHECK(entry["stage"] == (failing ? "import" : "done"));
    if (failing) {
      // The fake router fails at the first line that mentions /interface gre.
      const std::string script = generated_script(cli, "dc1-r2");
      const auto at = script.find("/interface gre");
      const auto start = script.rfind('\n', at) + 1;
      const std::string line = script.substr(start, script.find('\n', at) - start);
      const auto number =
          std::count(script.begin(), script.begin() + static_cast<long>(start), '\n') + 1;
      CHECK(entry["line"] == number);
      CHECK(entry["message"] ==
            fmt::format("RouterOS rejected line {} (`{}`): Script Error: bad command name gre "
                        "(line {} column 1)",
                        number, line.substr(line.find_first_not_of(' ')), number));
    }
  }
  CHECK(cli.router("dc1-r2").imported().empty());
  CHECK(cli.router("dc1-r1").imported().size() == 1);
}

TEST_CASE("an unreachable router fails at connect and a dry run contacts nobody") {
  SshCli cli;
  auto dry = cli.run({"apply", "--via", "ssh", "--dry-run"});
  INFO(dry.err);
  CHECK(dry.exit_code == 0);
  CHECK(dry.out.find("would apply 4 of 4 router(s)\n") != std::string::npos);
  for (const auto& device : kSshInventoryDevices) {
    CHECK(cli.router(device).commands().empty());
  }

  cli.routers[3].reset(); // acme-ant-r1 goes away: its port is closed now
  auto result = cli.run({"apply", "--via", "ssh"});
  CHECK(result.exit_code == 1);
  CHECK(result.out.find("failed (connect)") != std::string::npos);
  CHECK(result.out.find("applied 3 of 4 router(s), 1 failed\n") != std::string::npos);
  CHECK(result.err.find("[4/4]") != std::string::npos);
}

TEST_CASE("a name held by an item vpnaas does not manage stops the import before any change") {
  SshCli cli;
  // acme-ant-r1 already has a hand-made GRE interface under the name vpnaas
  // needs for its tunnel to dc1-r1.
  vpnaas::test::write_file(cli.router("acme-ant-r1").dir() / "imported" / "0-hand-made.rsc",
                           "/interface gre add name=gre-dc1-r1 remote-address=198.51.100.7\n");
  auto result = cli.run({"apply", "--via", "ssh", "--device", "acme-ant-r1", "--format", "json"});
  CHECK(result.exit_code == 1);
  const auto document = nlohmann::json::parse(result.out);
  REQUIRE(document["devices"].size() == 1);
  const auto& entry = document["devices"][0];
  CHECK(entry["ok"] == false);
  CHECK(entry["stage"] == "import");
  const std::string message = entry["message"];
  CHECK(message.find("Script Error: vpnaas: nothing was changed: these names are held by items "
                     "vpnaas does not manage: /interface gre gre-dc1-r1; rename or remove them, "
                     "then import again") != std::string::npos);
  // Only the hand-made state: the failed script was not recorded as imported.
  CHECK(cli.router("acme-ant-r1").imported().size() == 1);
}
