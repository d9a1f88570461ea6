#include <vpnaas/transport/ssh/session.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <filesystem>

#include "session_state.hpp"

// The SCP sink protocol spoken directly on an exec channel: libssh's own SCP
// API is deprecated, and devices such as RouterOS may offer SCP without SFTP.
// Each step is acknowledged by one byte: 0 = ok, 1 = warning, 2 = error, the
// last two followed by a message line.

namespace vpnaas::transport::ssh {
namespace {

Status read_ack(Session::State& state, ssh_channel channel, std::string_view step) {
  const int timeout_ms = static_cast<int>(state.options.command_timeout.count());
  char code = 0;
  const int n = ssh_channel_read_timeout(channel, &code, 1, 0, timeout_ms);
  if (n == SSH_ERROR) {
    return remote_error(state, fmt::format("connection lost during SCP {}", step),
                        "the connection broke off; check the device and run again");
  }
  if (n == 0) {
    return make_error(ErrorCode::remote,
                      fmt::format("no SCP answer from {} during {}", state.endpoint, step),
                      "enable SFTP or SCP in the device's SSH server");
  }
  if (code == 0) {
    return Ok{};
  }
  std::string message;
  std::array<char, 1> c{};
  while (message.size() < 512 &&
         ssh_channel_read_timeout(channel, c.data(), 1, 0, timeout_ms) == 1 && c[0] != '\n') {
    message.push_back(c[0]);
  }
  return make_error(ErrorCode::remote, fmt::format("SCP {} refused by {}: {}", step, state.endpoint,
                                                   message.empty() ? "no reason given" : message));
}

Status write_all(Session::State& state, ssh_channel channel, std::string_view data,
                 std::string_view what) {
  for (std::size_t done = 0; done < data.size();) {
    const std::size_t n = std::min(kWriteChunk, data.size() - done);
    const int written = ssh_channel_write(channel, data.data() + done, static_cast<uint32_t>(n));
    if (written == SSH_ERROR || written <= 0) {
      return remote_error(state,
                          fmt::format("{} broke off after {} of {} bytes", what, done, data.size()),
                          "the connection broke off; check the device and run again");
    }
    done += static_cast<std::size_t>(written);
  }
  return Ok{};
}

} // namespace

Status upload_scp(Session::State& state, std::string_view content, const std::string& remote_path) {
  if (remote_path.find_first_of(" \t\n'\"\\;") != std::string::npos) {
    return make_error(ErrorCode::invalid_input,
                      fmt::format("remote file name `{}` cannot travel by SCP", remote_path),
                      "use a name without spaces, quotes or semicolons");
  }
  const std::filesystem::path remote(remote_path);
  const std::string folder = remote.has_parent_path() ? remote.parent_path().string() : ".";
  const std::string name = remote.filename().string();
  const std::string what = fmt::format("SCP upload of {}", remote_path);

  ChannelHandle channel(ssh_channel_new(state.session.get()));
  if (!channel || ssh_channel_open_session(channel.get()) != SSH_OK) {
    return remote_error(state, fmt::format("cannot open a channel for the {}", what));
  }
  const std::string command = fmt::format("scp -t {}", folder);
  if (ssh_channel_request_exec(channel.get(), command.c_str()) != SSH_OK) {
    return remote_error(
        state, fmt::format("cannot upload {}: the server has neither SFTP nor SCP", remote_path),
        "enable file transfer in the device's SSH server");
  }
  if (auto ready = read_ack(state, channel.get(), "start"); !ready) {
    return ready;
  }
  const std::string header = fmt::format("C0600 {} {}\n", content.size(), name);
  if (auto sent = write_all(state, channel.get(), header, what); !sent) {
    return sent;
  }
  if (auto accepted = read_ack(state, channel.get(), "file header"); !accepted) {
    return accepted;
  }
  if (auto sent = write_all(state, channel.get(), content, what); !sent) {
    return sent;
  }
  if (auto sent = write_all(state, channel.get(), std::string_view("\0", 1), what); !sent) {
    return sent;
  }
  if (auto stored = read_ack(state, channel.get(), "file end"); !stored) {
    return stored;
  }
  ssh_channel_send_eof(channel.get());
  ssh_channel_close(channel.get());
  return Ok{};
}

} // namespace vpnaas::transport::ssh
