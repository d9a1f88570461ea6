#pragma once

// Shared by the CLI tests of `vpnaas device` and `vpnaas apply`: four fake
// routers behind real sshd, an inventory pointing at them, and the options
// every SSH command of the tests needs.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "support/run.hpp"
#include "support/ssh_inventory.hpp"
#include "support/sshd.hpp"

namespace vpnaas::test {

struct SshCli {
  SshClientKeys keys;
  TempDir dir;
  std::vector<std::unique_ptr<FakeRouter>> routers;
  std::filesystem::path inventory = dir.path() / "inventory";
  std::map<std::string, std::string> env{{"VPNAAS_MASTER_KEY", std::string(64, '7')},
                                         {"HOME", (dir.path() / "home").string()},
                                         {"XDG_CONFIG_HOME", (dir.path() / "config").string()},
                                         {"XDG_STATE_HOME", (dir.path() / "state").string()},
                                         {"VPNAAS_SSH_PASSWORD", ""}};

  explicit SshCli(FakeRouterOptions options = {}) {
    std::vector<const FakeRouter*> list;
    for (std::size_t i = 0; i < kSshInventoryDevices.size(); ++i) {
      routers.push_back(std::make_unique<FakeRouter>(keys, options));
      list.push_back(routers.back().get());
    }
    write_ssh_inventory(inventory, list);
  }

  FakeRouter& router(const std::string& device) {
    for (std::size_t i = 0; i < kSshInventoryDevices.size(); ++i) {
      if (kSshInventoryDevices[i] == device) {
        return *routers[i];
      }
    }
    throw std::invalid_argument(device);
  }

  // `vpnaas <head...> --inventory ... --known-hosts ... --identity ...
  // --connect-timeout 5 <ssh...> <tail...>`: `tail` is for what follows `--`.
  RunResult run(std::vector<std::string> head, const std::vector<std::string>& tail = {},
                const std::vector<std::string>& ssh = {"--accept-new-host-keys"}) const {
    for (const auto& option :
         {std::string("--inventory"), inventory.string(), std::string("--known-hosts"),
          keys.known_hosts().string(), std::string("--identity"), keys.identity().string(),
          std::string("--connect-timeout"), std::string("5")}) {
      head.push_back(option);
    }
    head.insert(head.end(), ssh.begin(), ssh.end());
    head.insert(head.end(), tail.begin(), tail.end());
    return run_cli(head, env, dir.path().string());
  }
};

} // namespace vpnaas::test
