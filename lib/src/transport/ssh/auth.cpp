#include <vpnaas/transport/ssh/session.hpp>

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <vector>

#include "session_state.hpp"
#include "watchdog.hpp"

namespace vpnaas::transport::ssh {
namespace {

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    out += (out.empty() ? "" : ", ") + item;
  }
  return out.empty() ? "nothing" : out;
}

std::string accepted_methods(unsigned methods) {
  std::vector<std::string> names;
  if ((methods & SSH_AUTH_METHOD_PUBLICKEY) != 0) {
    names.emplace_back("publickey");
  }
  if ((methods & SSH_AUTH_METHOD_PASSWORD) != 0) {
    names.emplace_back("password");
  }
  if ((methods & SSH_AUTH_METHOD_INTERACTIVE) != 0) {
    names.emplace_back("keyboard-interactive");
  }
  return names.empty() ? "none we support" : join(names);
}

// Each method the server accepts, in order, until one succeeds.
Status try_methods(Session::State& state) {
  ssh_session session = state.session.get();
  const SshOptions& options = state.options;

  int rc = ssh_userauth_none(session, nullptr);
  if (rc == SSH_AUTH_SUCCESS) {
    return Ok{};
  }
  if (rc == SSH_AUTH_ERROR) {
    return remote_error(state, "authentication failed");
  }
  const auto methods = static_cast<unsigned>(ssh_userauth_list(session, nullptr));
  std::vector<std::string> tried;

  if ((methods & SSH_AUTH_METHOD_PUBLICKEY) != 0) {
    if (!options.identity.empty()) {
      ssh_key raw_key = nullptr;
      if (ssh_pki_import_privkey_file(options.identity.c_str(), nullptr, nullptr, nullptr,
                                      &raw_key) != SSH_OK) {
        return make_error(ErrorCode::io,
                          fmt::format("cannot read the private key {}", options.identity.string()),
                          "check the path; a passphrase-protected key must be loaded into "
                          "ssh-agent and --identity left out");
      }
      KeyHandle key(raw_key);
      rc = ssh_userauth_publickey(session, nullptr, key.get());
      tried.push_back(fmt::format("key {}", options.identity.string()));
    } else {
      rc = ssh_userauth_publickey_auto(session, nullptr, nullptr);
      tried.emplace_back("ssh-agent and the default keys in ~/.ssh");
    }
    if (rc == SSH_AUTH_SUCCESS) {
      return Ok{};
    }
    if (rc == SSH_AUTH_ERROR) {
      return remote_error(state, "public key authentication failed");
    }
  }

  // getenv is read once per session; the value goes straight to libssh.
  const char* password =
      options.password_env.empty() ? nullptr : std::getenv(options.password_env.c_str());
  if (password != nullptr && *password != '\0' && (methods & SSH_AUTH_METHOD_PASSWORD) != 0) {
    rc = ssh_userauth_password(session, nullptr, password);
    tried.push_back(fmt::format("the password in ${}", options.password_env));
    if (rc == SSH_AUTH_SUCCESS) {
      return Ok{};
    }
    if (rc == SSH_AUTH_ERROR) {
      return remote_error(state, "password authentication failed");
    }
  } else if (!options.password_env.empty() && (password == nullptr || *password == '\0')) {
    tried.push_back(fmt::format("no password (${} is not set)", options.password_env));
  }

  return make_error(
      ErrorCode::remote,
      fmt::format("authentication as {} on {} port {} was refused (tried {}; the server accepts "
                  "{})",
                  state.target.user, state.target.host, state.target.port, join(tried),
                  accepted_methods(methods)),
      fmt::format("add your public key to user {} on the device, pass --identity FILE, or set ${}",
                  state.target.user,
                  options.password_env.empty() ? "VPNAAS_SSH_PASSWORD" : options.password_env));
}

} // namespace

Status Session::authenticate() {
  State& state = *m_state;
  ssh_session session = state.session.get();
  const auto limit = state.options.connect_timeout;
  // A server can complete the key exchange and then stall while it checks
  // credentials (a hung RADIUS, PAM or key lookup behind it). Authentication
  // gets the connect limit again: libssh bounds each wait by it, and the
  // watchdog bounds all of them together (agent keys are tried one by one).
  set_session_timeout(session, limit);
  const auto start = std::chrono::steady_clock::now();
  Status result = Ok{};
  bool out_of_time = false;
  {
    ConnectionWatchdog watchdog(session, limit);
    result = try_methods(state);
    out_of_time =
        watchdog.fired() || (!result && std::chrono::steady_clock::now() - start >= limit);
  }
  if (out_of_time) {
    return make_error(
        ErrorCode::remote,
        fmt::format("authentication on {} did not finish within {}: the SSH server accepted the "
                    "connection but does not answer the login",
                    state.endpoint, format_seconds(limit)),
        "check the device's authentication (RADIUS, user database); raise --connect-timeout if "
        "it is just slow");
  }
  set_session_timeout(session, state.options.command_timeout);
  return result;
}

} // namespace vpnaas::transport::ssh
