#pragma once

#include <vpnaas/core/error.hpp>
#include <vpnaas/transport/ssh/options.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace vpnaas::transport::ssh {

struct CommandOutput {
  std::string out;
  std::string err;
  int exit_status = -1; // -1 when the server sent none
};

enum class TransferMethod { none, sftp, scp };

// A server's host key as OpenSSH shows it.
struct HostKey {
  std::string type;        // "ssh-ed25519", "ssh-rsa", ...
  std::string fingerprint; // "SHA256:<base64>", as `ssh-keygen -lf` prints it
};

// One SSH connection to one device, used by one thread at a time. Opening
// happens in three steps so that callers can tell a network failure (worth a
// retry) from a trust or credential failure (never worth one):
//   connect() -> verify_host_key() -> authenticate() -> run()/upload()/remove()
// Every error is ErrorCode::remote unless stated otherwise, and its message
// names the endpoint ("user@host:port") and what to do; no secret is ever in it.
class Session {
public:
  Session(Session&&) noexcept;
  Session& operator=(Session&&) noexcept;
  ~Session();

  // Host name lookup, TCP connect, banner and key exchange, all within
  // options.connect_timeout. Fails when the name does not resolve in time, the
  // port is closed, nothing answers in time, or the handshake fails.
  static Result<Session> connect(const Endpoint& target, const SshOptions& options);

  // Checks the server's key. A pinned host (the target's host_key, or entries
  // for it in options.pinned_known_hosts) must present a pinned key, else it
  // is refused naming the expected and presented fingerprints. Any other host
  // is checked against the known_hosts file: an unknown key is refused unless
  // accept_new_host_keys (then it is appended, creating the file 0600 and
  // missing folders 0700; io error when that fails), a changed key is always
  // refused naming the line that holds the old one. A known_hosts file that
  // group or others may write is refused (ErrorCode::environment).
  Status verify_host_key();

  // The host key the server presented in connect(); trusts nothing. Fails
  // (remote) when libssh cannot read it.
  Result<HostKey> host_key() const;

  // Tries the identity file (or ssh-agent and the default keys), then the
  // password from options.password_env, all within options.connect_timeout.
  // Fails listing what was tried, or saying that the server stalled.
  Status authenticate();

  // connect() + verify_host_key() + authenticate(), for one-shot commands.
  static Result<Session> open(const Endpoint& target, const SshOptions& options);

  // Runs `command`, feeds `input` to its stdin, and collects its output until
  // it exits. Fails when the channel cannot be opened, the connection drops,
  // the command outlives options.command_timeout, or it prints more than
  // options.max_output_bytes (then the connection is closed: connected() is
  // false afterwards). A non-zero exit status is not an error: it is in the
  // returned output.
  Result<CommandOutput> run(std::string_view command, std::string_view input = {});

  // Writes `content` to `remote_path` by SFTP, or by SCP when the server has no
  // SFTP subsystem. Fails when both are unavailable or the transfer breaks off.
  Status upload(std::string_view content, const std::string& remote_path);

  // Deletes `remote_path` by SFTP; a file already gone is success. Fails when
  // SFTP is unavailable (see sftp_available()) or the server refuses.
  Status remove(const std::string& remote_path);

  // The names of the entries in `folder` by SFTP (without "." and ".."), in
  // the server's order. Fails like remove().
  Result<std::vector<std::string>> list(const std::string& folder);

  // False once an SFTP subsystem request has been refused on this session.
  bool sftp_available() const;
  // How the last successful upload travelled.
  TransferMethod last_transfer() const;
  // "user@host:port", for messages.
  const std::string& endpoint() const;
  bool connected() const;

  // The libssh handles; defined in the transport's sources only.
  struct State;

private:
  explicit Session(std::unique_ptr<State> state);
  std::unique_ptr<State> m_state;
};

} // namespace vpnaas::transport::ssh
