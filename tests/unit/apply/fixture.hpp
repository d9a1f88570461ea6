#pragma once

// Fake routers behind real sshd, and apply options that reach them, shared
// by the apply tests.

#include <vpnaas/apply/apply.hpp>

#include <fmt/format.h>

#include <memory>
#include <string>
#include <vector>

#include "support/sshd.hpp"

namespace vpnaas::test {

inline const std::string kScript = "/interface gre\n"
                                   "add name=gre-a remote-address=192.0.2.1\n"
                                   "add name=gre-b remote-address=192.0.2.2\n";

// A fixed run id, so that names and messages are known in advance.
inline const std::string kRunId = "20250131T101500Z-3f2a9c1-7b0e";

// kScript as apply uploads it for kRunId.
inline std::string uploaded(const std::string& script = kScript,
                            const std::string& run_id = kRunId) {
  return script + fmt::format(":put \"vpnaas:done:{}\"\n", run_id);
}

struct ApplyFixture {
  SshClientKeys keys;
  TempDir backups;
  std::vector<std::unique_ptr<FakeRouter>> routers;

  explicit ApplyFixture(std::size_t count) {
    for (std::size_t i = 0; i < count; ++i) {
      routers.push_back(std::make_unique<FakeRouter>(keys));
    }
  }

  std::vector<apply::Target> targets(const std::string& script = kScript) const {
    std::vector<apply::Target> list;
    for (std::size_t i = 0; i < routers.size(); ++i) {
      list.push_back({fmt::format("r{}", i + 1), routers[i]->target(), script});
    }
    return list;
  }

  apply::Options options() const {
    apply::Options options;
    options.ssh.known_hosts = keys.known_hosts();
    options.ssh.identity = keys.identity();
    options.ssh.accept_new_host_keys = true;
    options.ssh.password_env = "VPNAAS_TEST_NO_PASSWORD";
    options.ssh.connect_timeout = std::chrono::seconds(5);
    options.ssh.command_timeout = std::chrono::seconds(20);
    options.retry_delay = std::chrono::milliseconds(20);
    options.backup_dir = backups.path();
    options.run_id = kRunId;
    options.revision = "3f2a9c1d";
    options.reapply_command = [](const std::string& device) {
      return "vpnaas apply --via ssh --device " + device;
    };
    return options;
  }
};

// The uploaded scripts still in a router's file store.
inline std::vector<std::string> scripts_left(const FakeRouter& router) {
  std::vector<std::string> left;
  for (const auto& name : router.file_names()) {
    if (name.starts_with("vpnaas-apply-")) {
      left.push_back(name);
    }
  }
  return left;
}

} // namespace vpnaas::test
