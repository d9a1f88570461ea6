// `vpnaas apply --via ssh` end to end: inventory -> rendered scripts -> fake
// routers behind real sshd, checked against `vpnaas mesh generate`.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <regex>

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
    // The rendered script, then the statement whose output proves it ran to its end.
    const std::string script = generated_script(cli, device);
    CHECK(imported[0].starts_with(script));
    CHECK(std::regex_match(imported[0].substr(script.size()),
                           std::regex(":put \"vpnaas:done:[0-9]{8}T[0-9]{6}Z-[0-9a-f]{4}\"\n")));
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

namespace {

// Every apply of one router that did not end well says what to do about it.
void check_recovery_hint(const nlohmann::json& entry, const SshCli& cli, const std::string& run_id,
                         const std::string& state) {
  const std::string device = entry["device"];
  const std::string hint = entry["hint"];
  CHECK(hint.starts_with(state));
  CHECK(hint.find(fmt::format("saved in {} and on the router as vpnaas-backup-{}.rsc",
                              entry["backup"].get<std::string>(), run_id)) != std::string::npos);
  CHECK(entry["remote_backup"] == fmt::format("vpnaas-backup-{}.rsc", run_id));
  CHECK(hint.find(fmt::format("(run {})", run_id)) != std::string::npos);
  CHECK(hint.ends_with(fmt::format(
      "To apply it again: vpnaas apply --via ssh --inventory {} --known-hosts {} --identity {} "
      "--device {}",
      cli.inventory.string(), cli.keys.known_hosts().string(), cli.keys.identity().string(),
      device)));
}

bool script_left(SshCli& cli, const std::string& device) {
  for (const auto& name : cli.router(device).file_names()) {
    if (name.starts_with("vpnaas-apply-")) {
      return true;
    }
  }
  return false;
}

} // namespace

TEST_CASE("imports in doubt and broken uploads exit 1 and say how to recover") {
  SshCli cli;
  cli.router("dc1-r1").cut_off_imports(3);
  cli.router("dc1-r2").interrupt_imports();
  cli.router("acme-bru-r1").drop_imports();
  cli.router("acme-ant-r1").drop_uploads();
  auto result = cli.run({"apply", "--via", "ssh", "--format", "json"});
  INFO(result.err);
  CHECK(result.exit_code == 1);
  const auto document = nlohmann::json::parse(result.out);
  CHECK(document["ok"] == false);
  CHECK(document["applied"] == 0);
  CHECK(document["failed"] == 4);
  CHECK(document["unknown"] == 3);
  const std::string run_id = document["run_id"];
  CHECK(std::regex_match(run_id, std::regex("[0-9]{8}T[0-9]{6}Z-[0-9a-f]{4}")));
  const std::string unknown = "the router may be partly changed";
  for (const auto& entry : document["devices"]) {
    CAPTURE(entry.dump());
    const std::string device = entry["device"];
    CHECK(entry["ok"] == false);
    CHECK_FALSE(script_left(cli, device));
    if (device == "acme-ant-r1") {
      CHECK(entry["outcome"] == "failed");
      CHECK(entry["stage"] == "upload");
      check_recovery_hint(entry, cli, run_id, "nothing was changed on the router");
      continue;
    }
    CHECK(entry["outcome"] == "unknown");
    CHECK(entry["stage"] == "import");
    check_recovery_hint(entry, cli, run_id, unknown);
    const std::string message = entry["message"];
    CHECK(message.starts_with("outcome unknown: "));
    if (device == "dc1-r1") {
      CHECK(message.ends_with("the output ends without RouterOS's success line (\"Script file "
                              "loaded and executed successfully\")"));
    } else if (device == "dc1-r2") {
      CHECK(message.ends_with("RouterOS printed `interrupted`"));
    } else {
      CHECK(message.ends_with("(the connection broke during the import)"));
    }
  }
}

TEST_CASE("a failed backup stops the router before its upload, and the table says unknown") {
  SshCli cli;
  cli.router("dc1-r1").fail_backups("failure: not enough disk space");
  cli.router("dc1-r2").cut_off_imports(2);
  auto result = cli.run({"apply", "--via", "ssh", "--device", "dc1-r1", "--device", "dc1-r2",
                         "--keep-backups", "2", "--lock-wait", "5"});
  INFO(result.err);
  CHECK(result.exit_code == 1);
  CHECK(result.out.find("failed (backup)") != std::string::npos);
  CHECK(result.out.find("unknown (import)") != std::string::npos);
  CHECK(result.out.find("applied 0 of 2 router(s), 2 failed (1 with unknown outcome)\n") !=
        std::string::npos);
  const std::string commands = cli.router("dc1-r1").commands();
  CHECK(commands.find("sftp") == std::string::npos);
  CHECK(commands.find("/import") == std::string::npos);
  CHECK_FALSE(script_left(cli, "dc1-r1"));
  CHECK_FALSE(script_left(cli, "dc1-r2"));
  CHECK(cli.router("dc1-r1").imported().empty());
}
