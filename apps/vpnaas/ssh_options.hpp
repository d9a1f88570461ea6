#pragma once

// SSH options shared by `vpnaas apply --via ssh` and `vpnaas device`.

#include <vpnaas/transport/ssh/options.hpp>

#include <optional>
#include <string>

namespace vpnaas::cli {

struct SshCliOptions {
  std::optional<std::string> known_hosts;
  bool accept_new_host_keys = false;
  std::optional<std::string> identity;
  double connect_timeout = 10;  // seconds
  double command_timeout = 120; // seconds
  std::string password_env = "VPNAAS_SSH_PASSWORD";
};

transport::ssh::SshOptions to_ssh_options(const SshCliOptions& options);

} // namespace vpnaas::cli
