#pragma once

#include <vpnaas/transport/ssh/endpoint.hpp>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>

namespace vpnaas::transport::ssh {

// How to reach and trust a device over SSH; shared by every session of a run.
struct SshOptions {
  // Covers the host name lookup, TCP connect, the SSH banner and key
  // exchange; then, counted anew, authentication.
  std::chrono::milliseconds connect_timeout{10'000};
  // Covers one remote command or one file transfer, from start to end.
  std::chrono::milliseconds command_timeout{120'000};
  // Most a command may print (stdout and stderr together) before it is
  // abandoned and the connection closed: a broken or hostile device must not
  // fill our memory. A RouterOS /export is far smaller.
  std::size_t max_output_bytes = 16 * 1024 * 1024;
  // Empty means vpnaas's own file (see known_hosts_path), never ~/.ssh's.
  std::filesystem::path known_hosts;
  // First contact: record an unknown host key instead of refusing it. A key
  // that differs from a recorded one is refused regardless.
  bool accept_new_host_keys = false;
  // The inventory's known_hosts (committed with it). A host it lists must
  // present one of the keys listed for it, as must a target with a host_key
  // pin; for such a host the file above is neither read nor written and
  // accept_new_host_keys does not apply.
  std::optional<PinnedKnownHosts> pinned_known_hosts;
  // Private key file (unencrypted; use ssh-agent for protected keys). Empty
  // means ssh-agent, then the default keys in ~/.ssh.
  std::filesystem::path identity;
  // Environment variable holding a password, tried after public keys. The
  // password itself never appears in options, logs or messages.
  std::string password_env = "VPNAAS_SSH_PASSWORD";
};

// The known_hosts file `options` uses: options.known_hosts, or when that is
// empty $XDG_STATE_HOME/vpnaas/known_hosts ($HOME/.local/state/vpnaas/known_hosts
// without XDG_STATE_HOME). Never fails; the file may not exist.
std::filesystem::path known_hosts_path(const SshOptions& options);

} // namespace vpnaas::transport::ssh
