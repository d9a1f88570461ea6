#pragma once

// Internal to the SSH transport: the libssh handles behind a Session and the
// helpers the transport's .cpp files share.

#include <vpnaas/core/error.hpp>
#include <vpnaas/transport/ssh/endpoint.hpp>
#include <vpnaas/transport/ssh/options.hpp>
#include <vpnaas/transport/ssh/session.hpp>

#include <libssh/libssh.h>
#include <libssh/sftp.h>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unistd.h>

namespace vpnaas::transport::ssh {

struct SessionFree {
  void operator()(ssh_session session) const {
    if (ssh_is_connected(session) != 0) {
      ssh_disconnect(session);
    }
    ssh_free(session);
  }
};
struct ChannelFree {
  void operator()(ssh_channel channel) const { ssh_channel_free(channel); }
};
struct SftpFree {
  void operator()(sftp_session sftp) const { sftp_free(sftp); }
};
struct SftpFileClose {
  void operator()(sftp_file file) const { sftp_close(file); }
};
struct KeyFree {
  void operator()(ssh_key key) const { ssh_key_free(key); }
};
struct CStringFree {
  void operator()(char* text) const { ssh_string_free_char(text); }
};
struct KnownHostsEntryFree {
  void operator()(ssh_knownhosts_entry* entry) const { ssh_knownhosts_entry_free(entry); }
};

using SessionHandle = std::unique_ptr<ssh_session_struct, SessionFree>;
using ChannelHandle = std::unique_ptr<ssh_channel_struct, ChannelFree>;
using SftpHandle = std::unique_ptr<sftp_session_struct, SftpFree>;
using SftpFileHandle = std::unique_ptr<sftp_file_struct, SftpFileClose>;
using KeyHandle = std::unique_ptr<ssh_key_struct, KeyFree>;
using CString = std::unique_ptr<char, CStringFree>;
using KnownHostsEntryHandle = std::unique_ptr<ssh_knownhosts_entry, KnownHostsEntryFree>;

// Bytes per write of a file upload, by SFTP (transfer.cpp) or SCP (scp.cpp).
constexpr std::size_t kWriteChunk = 16384;

// The TCP socket vpnaas opens for a session (see tcp.hpp) and gives libssh
// with SSH_OPTIONS_FD. libssh 0.10.6 closes such a socket itself only when the
// connection breaks (its socket error path; ssh_get_fd() then answers
// SSH_INVALID_SOCKET), and leaves it open on a normal disconnect and in
// ssh_free (both seen with strace). Closing it after libssh did could close a
// descriptor another thread of a parallel apply has just opened, so the owner
// asks libssh first (State's destructor).
class SocketOwner {
public:
  SocketOwner() = default;
  SocketOwner(const SocketOwner&) = delete;
  SocketOwner& operator=(const SocketOwner&) = delete;
  ~SocketOwner() {
    if (fd >= 0) {
      ::close(fd);
    }
  }
  int fd = -1;
};

struct Session::State {
  Endpoint target;
  SshOptions options;
  std::string endpoint; // user@host:port
  State() = default;
  State(const State&) = delete;
  State& operator=(const State&) = delete;
  ~State() {
    sftp.reset();
    if (session != nullptr && socket.fd >= 0 && ssh_get_fd(session.get()) != socket.fd) {
      socket.fd = -1; // libssh closed it when the connection broke
    }
    session.reset();
  }

  // Declared before `session` so that it is closed after libssh let go of it.
  SocketOwner socket;
  SessionHandle session;
  // Opened on first use, then reused; declared after `session` so that it is
  // freed before the session that carries it.
  SftpHandle sftp;
  bool sftp_refused = false;
  TransferMethod last_transfer = TransferMethod::none;
};

// libssh's last error text for `session`, or "unknown error".
std::string last_error(ssh_session session);

// An ErrorCode::remote error "<what> on <endpoint>: <libssh error>" with a hint.
Error remote_error(const Session::State& state, std::string_view what, std::string hint = {});

// "<what> on <endpoint> did not finish within <command timeout>".
Error timeout_error(const Session::State& state, std::string_view what);

// Sets the libssh timeout used by every blocking call of this session.
void set_session_timeout(ssh_session session, std::chrono::milliseconds timeout);

// Writes `content` to `remote_path` with the SCP sink protocol ("scp -t") over
// an exec channel, for servers without SFTP. Fails like Session::upload.
Status upload_scp(Session::State& state, std::string_view content, const std::string& remote_path);

// The name known_hosts files use for `target`: "host" on port 22,
// "[host]:port" otherwise, in lower case.
std::string known_hosts_name(const Endpoint& target);

// The key the server of `state` presented. Fails (remote) when libssh cannot read it.
Result<HostKey> server_host_key(const Session::State& state);

// "ssh-ed25519 key SHA256:...", for messages.
std::string describe(const HostKey& key);

// The verdict of the pins on the server's key (the target's host_key and the
// entries for it in options.pinned_known_hosts), or nullopt when nothing pins
// this host. See Session::verify_host_key.
std::optional<Status> check_pinned_host_key(const Session::State& state);

// The known_hosts file libssh is given in connect(), which also orders the
// host key algorithms it offers by the entries there: the user's file, or
// for a target pinned with host_key an empty one, so that the key negotiated
// is the one any fresh machine (a CI runner, `vpnaas device host-key`) sees.
std::filesystem::path known_hosts_for_connect(const Endpoint& target, const SshOptions& options);

// "120s" or "1.5s", for messages about time limits.
std::string format_seconds(std::chrono::milliseconds duration);

} // namespace vpnaas::transport::ssh
