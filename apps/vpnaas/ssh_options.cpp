#include "ssh_options.hpp"

#include <chrono>
#include <cmath>

namespace vpnaas::cli {
namespace {

std::chrono::milliseconds to_duration(double seconds) {
  return std::chrono::milliseconds(std::llround(seconds * 1000.0));
}

} // namespace

void add_ssh_options(CLI::App* cmd, SshCliOptions& options) {
  cmd->add_option("--known-hosts", options.known_hosts,
                  "known_hosts file to check host keys against (default: ~/.ssh/known_hosts)");
  cmd->add_flag("--accept-new-host-keys", options.accept_new_host_keys,
                "Record the key of a host seen for the first time; a changed key is still refused");
  cmd->add_option("--identity", options.identity,
                  "Private key file (default: ssh-agent, then ~/.ssh/id_*)");
  cmd->add_option("--connect-timeout", options.connect_timeout,
                  "Seconds allowed to connect and complete the SSH handshake")
      ->check(CLI::PositiveNumber)
      ->default_str("10");
  cmd->add_option("--command-timeout", options.command_timeout,
                  "Seconds allowed for each remote command or file transfer")
      ->check(CLI::PositiveNumber)
      ->default_str("120");
  cmd->add_option("--password-env", options.password_env,
                  "Environment variable holding an SSH password, tried after public keys")
      ->default_str("VPNAAS_SSH_PASSWORD");
}

transport::ssh::SshOptions to_ssh_options(const SshCliOptions& options) {
  transport::ssh::SshOptions out;
  out.known_hosts = options.known_hosts.value_or("");
  out.accept_new_host_keys = options.accept_new_host_keys;
  out.identity = options.identity.value_or("");
  out.connect_timeout = to_duration(options.connect_timeout);
  out.command_timeout = to_duration(options.command_timeout);
  out.password_env = options.password_env;
  return out;
}

} // namespace vpnaas::cli
