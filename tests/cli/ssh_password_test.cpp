// Password logins: fake routers that authorise no key and accept only the
// password of a local test account (root only: the account is created with
// useradd and chpasswd, and sshd checks /etc/shadow). The password reaches
// vpnaas only through an environment variable and never shows in its output.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "ssh_cli.hpp"

using vpnaas::test::FakeRouterOptions;
using vpnaas::test::kSshInventoryDevices;
using vpnaas::test::PasswordUser;
using vpnaas::test::run_cli;
using vpnaas::test::running_as_root;
using vpnaas::test::RunResult;
using vpnaas::test::SshCli;

namespace {

constexpr const char* kNeeds = "useradd, chpasswd and sshd reading /etc/shadow";

// `vpnaas <head...> <ssh options but --identity> <tail...>` with `env` added:
// no key anywhere (no agent, an empty HOME), so only a password can log in.
RunResult run_without_key(const SshCli& cli, std::vector<std::string> head,
                          const std::map<std::string, std::string>& env,
                          const std::vector<std::string>& tail = {}) {
  for (const auto& option :
       {std::string("--inventory"), cli.inventory.string(), std::string("--known-hosts"),
        cli.keys.known_hosts().string(), std::string("--connect-timeout"), std::string("5"),
        std::string("--accept-new-host-keys")}) {
    head.push_back(option);
  }
  head.insert(head.end(), tail.begin(), tail.end());
  auto all = cli.env;
  all["SSH_AUTH_SOCK"] = "";
  for (const auto& [name, value] : env) {
    all[name] = value;
  }
  return run_cli(head, all, cli.dir.path().string());
}

void check_no_password(const RunResult& result, const std::string& password) {
  CHECK(result.out.find(password) == std::string::npos);
  CHECK(result.err.find(password) == std::string::npos);
}

} // namespace

TEST_CASE("apply and device run log in with the password from the environment") {
  if (!running_as_root(kNeeds)) {
    return;
  }
  PasswordUser user;
  FakeRouterOptions options;
  options.password_user = &user;
  SshCli cli(options);
  const std::map<std::string, std::string> env{{"VPNAAS_SSH_PASSWORD", user.password()}};

  auto text = run_without_key(cli, {"apply", "--via", "ssh", "--parallel", "4"}, env);
  INFO(text.err);
  CHECK(text.exit_code == 0);
  CHECK(text.out.find("applied 4 of 4 router(s)\n") != std::string::npos);
  check_no_password(text, user.password());
  for (const auto& device : kSshInventoryDevices) {
    CAPTURE(device);
    CHECK(cli.router(device).imported().size() == 1);
  }

  auto json = run_without_key(cli, {"apply", "--via", "ssh", "--format", "json"}, env);
  CHECK(json.exit_code == 0);
  CHECK(nlohmann::json::parse(json.out)["ok"] == true);
  check_no_password(json, user.password());

  // --password-env names another variable; VPNAAS_SSH_PASSWORD is then not read.
  auto run =
      run_without_key(cli, {"device", "run", "acme-bru-r1", "--password-env", "ROUTER_PW"},
                      {{"ROUTER_PW", user.password()}, {"VPNAAS_SSH_PASSWORD", "not-this-one"}},
                      {"--", "/system", "identity", "print"});
  INFO(run.err);
  CHECK(run.exit_code == 0);
  CHECK(run.out == "  name: fake-router\n");
  check_no_password(run, user.password());
  CHECK(cli.router("acme-bru-r1").commands().find("/system identity print\n") != std::string::npos);
}

TEST_CASE("a wrong or missing password is refused, and no output shows a password") {
  if (!running_as_root(kNeeds)) {
    return;
  }
  PasswordUser user;
  FakeRouterOptions options;
  options.password_user = &user;
  SshCli cli(options);
  const std::string wrong = "wrong-" + user.password().substr(0, 12) + "-pw";
  const std::map<std::string, std::string> env{{"VPNAAS_SSH_PASSWORD", wrong}};

  auto text = run_without_key(cli, {"apply", "--via", "ssh", "--device", "dc1-r1"}, env);
  INFO(text.out);
  INFO(text.err);
  CHECK(text.exit_code == 1);
  CHECK(text.out.find("failed (authenticate)") != std::string::npos);
  CHECK(text.out.find(fmt::format("authentication as {} on 127.0.0.1 port {} was refused",
                                  user.name(), cli.router("dc1-r1").port())) != std::string::npos);
  CHECK(text.out.find("the password in $VPNAAS_SSH_PASSWORD") != std::string::npos);
  check_no_password(text, wrong);
  check_no_password(text, user.password());

  auto json = run_without_key(cli, {"apply", "--via", "ssh", "--format", "json"}, env);
  CHECK(json.exit_code == 1);
  const auto document = nlohmann::json::parse(json.out);
  CHECK(document["failed"] == 4);
  for (const auto& entry : document["devices"]) {
    CHECK(entry["stage"] == "authenticate");
  }
  check_no_password(json, wrong);

  auto device = run_without_key(cli, {"device", "run", "dc1-r2", "--format", "json"}, env,
                                {"--", "/system", "identity", "print"});
  CHECK(device.exit_code == 1);
  const auto refused = nlohmann::json::parse(device.out);
  CHECK(refused["ok"] == false);
  CHECK(refused["error"]["code"] == "remote");
  check_no_password(device, wrong);

  auto unset =
      run_without_key(cli, {"device", "run", "dc1-r2"}, {}, {"--", "/system", "identity", "print"});
  CHECK(unset.exit_code == 1);
  CHECK(unset.err.find("no password ($VPNAAS_SSH_PASSWORD is not set)") != std::string::npos);

  for (const auto& router : cli.routers) {
    CHECK(router->commands().empty());
  }
}
