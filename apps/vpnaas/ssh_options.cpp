#include "ssh_options.hpp"

#include <chrono>
#include <cmath>

namespace vpnaas::cli {
namespace {

std::chrono::milliseconds to_duration(double seconds) {
  return std::chrono::milliseconds(std::llround(seconds * 1000.0));
}

} // namespace

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
