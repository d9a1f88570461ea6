// `vpnaas device run|export|reboot` against fake routers behind real sshd.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "ssh_cli.hpp"

using vpnaas::test::read_file;
using vpnaas::test::SshCli;
using vpnaas::test::write_file;

TEST_CASE("device run prints the router's answer") {
  SshCli cli;
  auto result = cli.run({"device", "run", "acme-bru-r1"}, {"--", "/system", "identity", "print"});
  INFO(result.err);
  CHECK(result.exit_code == 0);
  CHECK(result.out == "  name: fake-router\n");
  CHECK(cli.router("acme-bru-r1").commands() == "/system identity print\n");
}

TEST_CASE("device run fails when RouterOS refuses the command, in text and JSON") {
  SshCli cli;
  auto text = cli.run({"device", "run", "acme-bru-r1"}, {"--", "/foo"});
  CHECK(text.exit_code == 1);
  CHECK(text.out == "bad command name foo (line 1 column 2)\n");
  CHECK(text.err.find("vpnaas: acme-bru-r1 refused the command: bad command name foo (line 1 "
                      "column 2)") != std::string::npos);
  auto json = cli.run({"device", "run", "acme-bru-r1", "--format", "json"}, {"--", "/foo"});
  CHECK(json.exit_code == 1);
  const auto document = nlohmann::json::parse(json.out);
  CHECK(document["ok"] == false);
  CHECK(document["error"] == "bad command name foo (line 1 column 2)");
}

TEST_CASE("device export prints /export, also as JSON") {
  SshCli cli;
  const std::string expected = read_file(vpnaas::test::data_path("ssh/export.rsc"));
  auto text = cli.run({"device", "export", "dc1-r2"});
  INFO(text.err);
  CHECK(text.exit_code == 0);
  CHECK(text.out == expected);

  auto json = cli.run({"device", "export", "dc1-r2", "--format", "json"});
  REQUIRE(json.exit_code == 0);
  const auto document = nlohmann::json::parse(json.out);
  CHECK(document["device"] == "dc1-r2");
  CHECK(document["export"] == expected);
}

TEST_CASE("device reboot needs --yes when nobody can be asked") {
  SshCli cli;
  auto refused = cli.run({"device", "reboot", "dc1-r1", "--via", "ssh"});
  CHECK(refused.exit_code == 2);
  CHECK(refused.err == "vpnaas: refusing to reboot dc1-r1 without confirmation: standard input is "
                       "not a terminal (pass --yes to reboot without asking)\n");
  CHECK(cli.router("dc1-r1").commands().empty());

  auto rebooted = cli.run({"device", "reboot", "dc1-r1", "--via", "ssh", "--yes"});
  INFO(rebooted.err);
  CHECK(rebooted.exit_code == 0);
  CHECK(rebooted.out ==
        "dc1-r1: reboot sent, not confirmed (--wait-up SECONDS waits for it to come back)\n");
  CHECK(std::filesystem::exists(cli.router("dc1-r1").dir() / "rebooted"));
}

TEST_CASE("device commands explain an unknown device and an unknown host") {
  SshCli cli;
  auto typo = cli.run({"device", "export", "dc1-r3"});
  CHECK(typo.exit_code == 2);
  // The inventory is shown relative to the working folder, where it is.
  CHECK(typo.err == "vpnaas: no device named \"dc1-r3\" in inventory (did you mean \"dc1-r1\"?)\n");

  auto unknown = cli.run({"device", "export", "dc1-r1"}, {}, {});
  CHECK(unknown.exit_code == 1);
  CHECK(unknown.err.find(fmt::format("host key of 127.0.0.1 port {} is not in {}",
                                     cli.router("dc1-r1").port(),
                                     cli.keys.known_hosts().string())) != std::string::npos);
}

TEST_CASE("device reboot answered no on a terminal does nothing and exits 5") {
  SshCli cli;
  // script(1) gives the command a terminal and passes it our "n".
  const std::string command = vpnaas::test::cli_path() +
                              " device reboot dc1-r1 --via ssh --inventory " +
                              cli.inventory.string() + "; echo \"exit=$?\"";
  auto result = vpnaas::test::run({"script", "-qec", command, "/dev/null"}, cli.env,
                                  cli.dir.path().string(), "n\n");
  CHECK(result.out.find("not rebooted") != std::string::npos);
  CHECK(result.out.find("exit=5") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(cli.router("dc1-r1").dir() / "rebooted"));
}

TEST_CASE("a refused SSH connection says so, not that a time limit ran out") {
  SshCli cli;
  const int port = vpnaas::test::closed_port();
  const auto dc1 = cli.inventory / "clusters/dc1.yaml";
  std::string text = read_file(dc1);
  const std::string from = fmt::format("port: {},", cli.router("dc1-r1").port());
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  write_file(dc1, text.replace(at, from.size(), fmt::format("port: {},", port)));

  for (const std::string command : {"run", "export"}) {
    CAPTURE(command);
    std::vector<std::string> args{"device", command, "dc1-r1"};
    std::vector<std::string> tail;
    if (command == "run") {
      tail = {"--", "/system identity print"};
    }
    auto refused = cli.run(args, tail);
    INFO(refused.err);
    CHECK(refused.exit_code != 0);
    CHECK(refused.err.find(fmt::format("connection to 127.0.0.1:{} refused", port)) !=
          std::string::npos);
    CHECK(refused.err.find("nothing listens there, or a firewall rejects it") != std::string::npos);
    CHECK(refused.err.find("time limit") == std::string::npos);
    CHECK(refused.err.find("timed out") == std::string::npos);
  }
}

TEST_CASE("device reboot without --wait-up reports sent, not confirmed") {
  SshCli cli;
  auto json = cli.run({"device", "reboot", "dc1-r1", "--yes", "--format", "json"});
  INFO(json.err);
  CHECK(json.exit_code == 0);
  const auto document = nlohmann::json::parse(json.out);
  CHECK(document["ok"] == true);
  CHECK(document["outcome"] == "sent-unconfirmed");
  CHECK(document["rebooting"] == true);
}

TEST_CASE("device reboot --wait-up confirms a router that comes back with a fresh uptime") {
  SshCli cli;
  cli.router("dc1-r2").reboot_restarts_after(std::chrono::seconds(1));
  auto text = cli.run({"device", "reboot", "dc1-r2", "--yes", "--wait-up", "30"});
  INFO(text.err);
  CHECK(text.exit_code == 0);
  CHECK(text.out.starts_with("dc1-r2: rebooted, confirmed: back after "));
  CHECK(text.err.find("dc1-r2: reboot sent; waiting up to 30s for it to come back") !=
        std::string::npos);

  auto json =
      cli.run({"device", "reboot", "dc1-r2", "--yes", "--wait-up", "30", "--format", "json"});
  INFO(json.err);
  CHECK(json.exit_code == 0);
  const auto document = nlohmann::json::parse(json.out);
  CHECK(document["outcome"] == "confirmed");
  CHECK(document["waited_seconds"].get<double>() >= 1.0);
  CHECK(document["uptime_seconds"].get<double>() <= document["waited_seconds"].get<double>() + 1);
}

TEST_CASE("device reboot --wait-up exits 1 when the router is not back in time") {
  SshCli cli;
  cli.router("acme-ant-r1").reboot_never_returns();
  auto json =
      cli.run({"device", "reboot", "acme-ant-r1", "--yes", "--wait-up", "2", "--format", "json"});
  CHECK(json.exit_code == 1);
  const auto document = nlohmann::json::parse(json.out);
  CHECK(document["ok"] == false);
  CHECK(document["outcome"] == "sent-unconfirmed");
  CHECK(document["error"].get<std::string>().starts_with(
      "acme-ant-r1: reboot sent, not confirmed: not back within 2s (connection to 127.0.0.1:"));

  // A router that answers at once but whose uptime shows no restart is not confirmed either.
  auto text = cli.run({"device", "reboot", "dc1-r1", "--yes", "--wait-up", "2.5"});
  CHECK(text.exit_code == 1);
  CHECK(text.err.find("dc1-r1: reboot sent, not confirmed: not back within 2.5s (") !=
        std::string::npos);
}
