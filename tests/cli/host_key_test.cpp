// Host key pinning from the CLI: `device host-key`, host-key: in the
// inventory, the inventory's known_hosts, and the default known_hosts file.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sys/stat.h>

#include "ssh_cli.hpp"
#include "support/git_repo.hpp"
#include "support/paths.hpp"

using vpnaas::test::file_mode;
using vpnaas::test::read_file;
using vpnaas::test::SshCli;
using vpnaas::test::write_file;

namespace {

std::string keygen_fingerprint(const vpnaas::test::FakeRouter& router) {
  const auto listed = vpnaas::test::run({"ssh-keygen", "-lf", router.host_public_key().string()});
  REQUIRE(listed.exit_code == 0);
  const auto start = listed.out.find(' ') + 1;
  return listed.out.substr(start, listed.out.find(' ', start) - start);
}

// Adds `host-key: <pin>` to dc1-r1's ssh: block; returns where the pin is,
// as messages name it.
std::string pin_dc1_r1(SshCli& cli, const std::string& pin) {
  const auto dc1 = cli.inventory / "clusters/dc1.yaml";
  std::string text = read_file(dc1);
  const std::string from = fmt::format("port: {},", cli.router("dc1-r1").port());
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  write_file(dc1, text.replace(at, from.size(), fmt::format("{} host-key: \"{}\",", from, pin)));
  const auto value = text.find("\"" + pin);
  const auto line_start = text.rfind('\n', value) + 1;
  const auto line = std::count(text.begin(), text.begin() + static_cast<long>(value), '\n') + 1;
  return fmt::format("inventory/clusters/dc1.yaml:{}:{}", line, value - line_start + 1);
}

const std::string kOtherFingerprint = "SHA256:" + std::string(43, 'Q');

} // namespace

TEST_CASE("device host-key prints what ssh-keygen -lf prints, trusting and writing nothing") {
  SshCli cli;
  const auto& router = cli.router("dc1-r1");
  const std::string fingerprint = keygen_fingerprint(router);
  auto text = cli.run({"device", "host-key", "dc1-r1"}, {}, {});
  INFO(text.err);
  CHECK(text.exit_code == 0);
  CHECK(text.out ==
        fmt::format("dc1-r1 (127.0.0.1 port {}) presents an ssh-ed25519 host key:\n  {}\n"
                    "Verify it on the router itself, then pin it in the device's ssh: block:\n"
                    "  host-key: {}\n",
                    router.port(), fingerprint, fingerprint));
  CHECK(read_file(cli.keys.known_hosts()).empty());
  CHECK(router.commands().empty()); // no authentication, no command

  const std::string where = pin_dc1_r1(cli, fingerprint);
  auto json = cli.run({"device", "host-key", "dc1-r1", "--format", "json"}, {}, {});
  REQUIRE(json.exit_code == 0);
  const auto doc = nlohmann::json::parse(json.out);
  CHECK(doc["fingerprint"] == fingerprint);
  CHECK(doc["key_type"] == "ssh-ed25519");
  CHECK(doc["pin"] == "host-key: " + fingerprint);
  CHECK(doc["pinned"]["matches"] == true);
  CHECK(doc["pinned"]["where"] == where);
}

TEST_CASE("a pinned key lets a pipeline connect with an empty known_hosts") {
  SshCli cli;
  pin_dc1_r1(cli, keygen_fingerprint(cli.router("dc1-r1")));
  auto exported = cli.run({"device", "export", "dc1-r1"}, {}, {});
  INFO(exported.err);
  CHECK(exported.exit_code == 0);
  CHECK(read_file(cli.keys.known_hosts()).empty());
}

TEST_CASE("a pinned mismatch is refused even with --accept-new-host-keys") {
  SshCli cli;
  const std::string where = pin_dc1_r1(cli, kOtherFingerprint);
  const std::string expected = fmt::format(
      "host key of 127.0.0.1 port {} does not match the pinned key: {} pins {}, but the server "
      "presents ssh-ed25519 key {}",
      cli.router("dc1-r1").port(), where, kOtherFingerprint,
      keygen_fingerprint(cli.router("dc1-r1")));
  auto exported = cli.run({"device", "export", "dc1-r1"}, {}, {"--accept-new-host-keys"});
  CHECK(exported.exit_code == 1);
  CHECK(exported.err.find(expected) != std::string::npos);
  auto rebooted = cli.run({"device", "reboot", "dc1-r1", "--yes"}, {}, {"--accept-new-host-keys"});
  CHECK(rebooted.exit_code == 1);
  CHECK(rebooted.err.find(expected) != std::string::npos);
  auto applied =
      cli.run({"apply", "--via", "ssh", "--device", "dc1-r1"}, {}, {"--accept-new-host-keys"});
  CHECK(applied.exit_code == 1);
  CHECK((applied.out + applied.err).find("does not match the pinned key") != std::string::npos);
  CHECK(read_file(cli.keys.known_hosts()).empty());
  CHECK(cli.router("dc1-r1").commands().empty());
}

TEST_CASE("a malformed host-key is an inventory error with its file and line") {
  SshCli cli;
  const std::string where = pin_dc1_r1(cli, "SHA256:short");
  auto result =
      vpnaas::test::run_cli({"inventory", "validate", "--inventory", cli.inventory.string()},
                            cli.env, cli.dir.path().string());
  CHECK(result.exit_code == 1);
  CHECK(result.err.find(where + ": error: ssh host-key \"SHA256:short\" is not an SSH key "
                                "fingerprint") != std::string::npos);
}

TEST_CASE("the known_hosts next to the inventory pins its hosts") {
  SshCli cli;
  const auto& router = cli.router("acme-bru-r1");
  write_file(cli.inventory / "known_hosts",
             fmt::format("# committed with the inventory\n[127.0.0.1]:{} {}", router.port(),
                         read_file(router.host_public_key())));
  auto trusted = cli.run({"device", "export", "acme-bru-r1"}, {}, {});
  INFO(trusted.err);
  CHECK(trusted.exit_code == 0);
  CHECK(read_file(cli.keys.known_hosts()).empty());

  // Any other key is refused, whatever the command line says.
  write_file(cli.inventory / "known_hosts",
             fmt::format("[127.0.0.1]:{} {}", router.port(),
                         read_file(cli.router("dc1-r2").host_public_key())));
  auto refused = cli.run({"device", "export", "acme-bru-r1"});
  CHECK(refused.exit_code == 1);
  CHECK(refused.err.find(fmt::format("inventory/known_hosts pins {} (line 1)",
                                     keygen_fingerprint(cli.router("dc1-r2")))) !=
        std::string::npos);

  write_file(cli.inventory / "known_hosts", "[127.0.0.1]:22 ssh-ed25519\n");
  auto invalid =
      vpnaas::test::run_cli({"inventory", "validate", "--inventory", cli.inventory.string()},
                            cli.env, cli.dir.path().string());
  CHECK(invalid.exit_code == 1);
  CHECK(invalid.err.find("inventory/known_hosts:1: error: a known_hosts line needs host names, a "
                         "key type and a key") != std::string::npos);
}

TEST_CASE("with --rev, the known_hosts committed at that revision pins the hosts") {
  SshCli cli;
  const auto& router = cli.router("dc1-r2");
  write_file(cli.inventory / "known_hosts",
             fmt::format("[127.0.0.1]:{} {}", router.port(), read_file(router.host_public_key())));
  vpnaas::test::GitRepo repo(cli.dir.path());
  repo.commit_all("pin dc1-r2");
  // The working copy now pins another key: only the committed file is right.
  write_file(cli.inventory / "known_hosts",
             fmt::format("[127.0.0.1]:{} {}", router.port(),
                         read_file(cli.router("dc1-r1").host_public_key())));
  auto committed = cli.run({"device", "export", "dc1-r2", "--rev", "HEAD"}, {}, {});
  INFO(committed.err);
  CHECK(committed.exit_code == 0);
  auto working = cli.run({"device", "export", "dc1-r2"}, {}, {});
  CHECK(working.exit_code == 1);
  CHECK(working.err.find("does not match the pinned key: inventory/known_hosts pins") !=
        std::string::npos);
}

TEST_CASE("a known_hosts file others may write is refused with exit 4") {
  SshCli cli;
  REQUIRE(::chmod(cli.keys.known_hosts().c_str(), 0620) == 0);
  auto refused = cli.run({"device", "export", "dc1-r2"});
  CHECK(refused.exit_code == 4);
  CHECK(refused.err.find(fmt::format("known_hosts file {} is writable by group or others (mode "
                                     "0620)",
                                     cli.keys.known_hosts().string())) != std::string::npos);
  CHECK(cli.router("dc1-r2").commands().empty());
}

TEST_CASE("without --known-hosts, vpnaas keeps its own file, 0600 in a 0700 folder") {
  SshCli cli;
  auto env = cli.env;
  env["XDG_STATE_HOME"] = (cli.dir.path() / "state").string();
  const auto file = cli.dir.path() / "state/vpnaas/known_hosts";
  auto result =
      vpnaas::test::run_cli({"device", "export", "dc1-r2", "--inventory", cli.inventory.string(),
                             "--identity", cli.keys.identity().string(), "--accept-new-host-keys"},
                            env, cli.dir.path().string());
  INFO(result.err);
  CHECK(result.exit_code == 0);
  CHECK(read_file(file).starts_with(
      fmt::format("[127.0.0.1]:{} ssh-ed25519 ", cli.router("dc1-r2").port())));
  CHECK(file_mode(file) == 0600);
  CHECK(file_mode(file.parent_path()) == 0700);
  CHECK_FALSE(std::filesystem::exists(cli.dir.path() / "home/.ssh/known_hosts"));

  // Without XDG_STATE_HOME: under $HOME/.local/state.
  env.erase("XDG_STATE_HOME");
  auto home =
      vpnaas::test::run_cli({"device", "export", "dc1-r2", "--inventory", cli.inventory.string(),
                             "--identity", cli.keys.identity().string(), "--accept-new-host-keys"},
                            env, cli.dir.path().string());
  CHECK(home.exit_code == 0);
  CHECK(file_mode(cli.dir.path() / "home/.local/state/vpnaas/known_hosts") == 0600);
}
