#include <vpnaas/net/resolve.hpp>
#include <vpnaas/transport/ssh/session.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <mutex>

#include "session_state.hpp"
#include "tcp.hpp"

namespace vpnaas::transport::ssh {
namespace {

// libssh initialises its crypto backend lazily and not thread-safely; doing
// it once up front lets many worker threads connect at the same time.
void ensure_libssh_initialised() {
  static std::once_flag once;
  std::call_once(once, [] { ssh_init(); });
}

template <class T>
bool set_option(ssh_session session, ssh_options_e option, const T* value) {
  return ssh_options_set(session, option, value) == SSH_OK;
}

Error refused_error(const Endpoint& target) {
  return make_error(
      ErrorCode::remote,
      fmt::format("connection to {}:{} refused (as {}): nothing listens there, or a "
                  "firewall rejects it",
                  target.host, target.port, target.user),
      fmt::format("check the device's ssh: port in the inventory, and that the SSH service "
                  "of the device is enabled on port {} (RouterOS: /ip service print)",
                  target.port));
}

std::string timeout_hint(const Endpoint& target, std::chrono::milliseconds limit) {
  return fmt::format("check that the device is up, reachable, and SSH listens "
                     "on port {} (time limit {}, see --connect-timeout)",
                     target.port, format_seconds(limit));
}

} // namespace

std::string last_error(ssh_session session) {
  const char* text = session != nullptr ? ssh_get_error(session) : nullptr;
  return text != nullptr && *text != '\0' ? std::string(text) : std::string("unknown error");
}

Error remote_error(const Session::State& state, std::string_view what, std::string hint) {
  return make_error(
      ErrorCode::remote,
      fmt::format("{} on {}: {}", what, state.endpoint, last_error(state.session.get())),
      std::move(hint));
}

Error timeout_error(const Session::State& state, std::string_view what) {
  return make_error(ErrorCode::remote,
                    fmt::format("{} on {} did not finish within {}", what, state.endpoint,
                                format_seconds(state.options.command_timeout)),
                    "raise --command-timeout if the device is just slow");
}

void set_session_timeout(ssh_session session, std::chrono::milliseconds timeout) {
  const long seconds = static_cast<long>(timeout.count() / 1000);
  const long micros = static_cast<long>((timeout.count() % 1000) * 1000);
  ssh_options_set(session, SSH_OPTIONS_TIMEOUT, &seconds);
  ssh_options_set(session, SSH_OPTIONS_TIMEOUT_USEC, &micros);
}

std::string format_seconds(std::chrono::milliseconds duration) {
  if (duration.count() % 1000 == 0) {
    return fmt::format("{}s", duration.count() / 1000);
  }
  return fmt::format("{:.1f}s", static_cast<double>(duration.count()) / 1000.0);
}

Session::Session(std::unique_ptr<State> state) : m_state(std::move(state)) {}
Session::Session(Session&&) noexcept = default;
Session& Session::operator=(Session&&) noexcept = default;
Session::~Session() = default;

Result<Session> Session::connect(const Endpoint& target, const SshOptions& options) {
  ensure_libssh_initialised();
  auto state = std::make_unique<State>();
  state->target = target;
  state->options = options;
  state->endpoint = fmt::format("{}@{}:{}", target.user, target.host, target.port);
  state->session.reset(ssh_new());
  ssh_session session = state->session.get();
  if (session == nullptr) {
    return make_error(ErrorCode::internal, "cannot allocate an SSH session (out of memory)");
  }

  const int port = target.port;
  const int verbosity = SSH_LOG_NOLOG;
  // The user's ~/.ssh/config must not silently change host, port, user or keys:
  // the inventory is the only source of those.
  const bool process_config = false;
  const std::string known_hosts = known_hosts_for_connect(target, options).string();
  if (!set_option(session, SSH_OPTIONS_HOST, target.host.c_str()) ||
      !set_option(session, SSH_OPTIONS_PORT, &port) ||
      !set_option(session, SSH_OPTIONS_USER, target.user.c_str()) ||
      !set_option(session, SSH_OPTIONS_LOG_VERBOSITY, &verbosity) ||
      !set_option(session, SSH_OPTIONS_PROCESS_CONFIG, &process_config) ||
      !set_option(session, SSH_OPTIONS_KNOWNHOSTS, known_hosts.c_str())) {
    return make_error(
        ErrorCode::invalid_input,
        fmt::format("invalid SSH settings for {}: {}", state->endpoint, last_error(session)),
        "check the device's ssh: host, port and user in the inventory");
  }

  // One time limit for the name lookup, TCP connect, banner and key exchange.
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  const auto deadline = start + options.connect_timeout;
  auto addresses = net::resolve(target.host, target.port, options.connect_timeout);
  if (!addresses) {
    return addresses.error();
  }
  TcpConnection tcp = connect_tcp(*addresses, deadline);
  if (tcp.fd < 0 && tcp.timed_out) {
    return make_error(ErrorCode::remote,
                      fmt::format("connection timed out after {} on {}: no answer from {}",
                                  format_seconds(options.connect_timeout), state->endpoint,
                                  tcp.address),
                      timeout_hint(target, options.connect_timeout));
  }
  if (tcp.fd < 0 && tcp.error == ECONNREFUSED) {
    return refused_error(target);
  }
  if (tcp.fd < 0) {
    return make_error(
        ErrorCode::remote,
        fmt::format("cannot connect on {}: {} ({})", state->endpoint, std::strerror(tcp.error),
                    tcp.address),
        fmt::format("check that the device is up and SSH listens on port {}", target.port));
  }
  // The state closes the socket unless libssh did (see SocketOwner); the host name
  // set above stays the name the host key is known under.
  state->socket.fd = tcp.fd;
  if (!set_option(session, SSH_OPTIONS_FD, &tcp.fd)) {
    return make_error(ErrorCode::internal,
                      fmt::format("cannot hand the connection to libssh for {}: {}",
                                  state->endpoint, last_error(session)));
  }
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  set_session_timeout(session, std::max(left, std::chrono::milliseconds(1)));
  if (ssh_connect(session) != SSH_OK) {
    // libssh reports a timeout in words of its own ("Socket error:
    // disconnected", "Timeout connecting to ..."), and may give up a few
    // milliseconds early as it rounds its own limit; say plainly that the
    // time limit ran out.
    const bool libssh_timeout = last_error(session).starts_with("Timeout");
    if (libssh_timeout || Clock::now() + std::chrono::milliseconds(50) >= deadline) {
      return remote_error(
          *state,
          fmt::format("connection timed out after {}", format_seconds(options.connect_timeout)),
          timeout_hint(target, options.connect_timeout));
    }
    return remote_error(
        *state, "cannot connect",
        fmt::format("check that the device is up and SSH listens on port {}", target.port));
  }
  // From here on every blocking call (channel, SFTP) is bounded by the
  // command limit rather than the connect limit.
  set_session_timeout(session, options.command_timeout);
  return Session(std::move(state));
}

Result<Session> Session::open(const Endpoint& target, const SshOptions& options) {
  auto session = connect(target, options);
  if (!session) {
    return session.error();
  }
  if (auto trusted = session->verify_host_key(); !trusted) {
    return trusted.error();
  }
  if (auto authenticated = session->authenticate(); !authenticated) {
    return authenticated.error();
  }
  return session;
}

bool Session::sftp_available() const {
  return !m_state->sftp_refused;
}
TransferMethod Session::last_transfer() const {
  return m_state->last_transfer;
}
const std::string& Session::endpoint() const {
  return m_state->endpoint;
}
bool Session::connected() const {
  return ssh_is_connected(m_state->session.get()) != 0;
}

} // namespace vpnaas::transport::ssh
