#include <vpnaas/transport/ssh/session.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "session_state.hpp"
#include "watchdog.hpp"

namespace vpnaas::transport::ssh {
namespace {

using Clock = std::chrono::steady_clock;

// The read loop below keeps its own deadline and leaves the session usable;
// the watchdog only stops calls that block past it (opening the channel).
constexpr std::chrono::milliseconds kWatchdogGrace{2000};

// Short enough that stderr-only output is picked up promptly, long enough not
// to spin: stdout is waited on, stderr is polled in between.
constexpr std::chrono::milliseconds kReadSlice{50};

enum class Drained { ok, broken, too_much };

// Appends what is buffered on one stream, while the output stays within
// `limit` bytes in all: a device that keeps sending must not keep us here.
Drained drain(ssh_channel channel, int is_stderr, std::string& sink, std::size_t& total,
              std::size_t limit) {
  std::array<char, 16384> buffer{};
  for (;;) {
    const int n = ssh_channel_read_nonblocking(channel, buffer.data(),
                                               static_cast<uint32_t>(buffer.size()), is_stderr);
    if (n == SSH_ERROR) {
      return Drained::broken;
    }
    if (n <= 0) {
      return Drained::ok;
    }
    total += static_cast<std::size_t>(n);
    if (total > limit) {
      return Drained::too_much;
    }
    sink.append(buffer.data(), static_cast<std::size_t>(n));
  }
}

std::string format_bytes(std::size_t bytes) {
  constexpr std::size_t kMiB = 1024 * 1024;
  return bytes % kMiB == 0 ? fmt::format("{} MiB", bytes / kMiB) : fmt::format("{} bytes", bytes);
}

std::string shorten(std::string_view command) {
  constexpr std::size_t kMax = 60;
  return command.size() <= kMax ? std::string(command)
                                : std::string(command.substr(0, kMax)) + "...";
}

} // namespace

Result<CommandOutput> Session::run(std::string_view command, std::string_view input) {
  State& state = *m_state;
  ssh_session session = state.session.get();
  const std::string what = fmt::format("command `{}`", shorten(command));
  const auto deadline = Clock::now() + state.options.command_timeout;
  ConnectionWatchdog watchdog(session, state.options.command_timeout + kWatchdogGrace);

  ChannelHandle channel(ssh_channel_new(session));
  if (!channel || ssh_channel_open_session(channel.get()) != SSH_OK) {
    return watchdog.fired()
               ? timeout_error(state, what)
               : remote_error(state, fmt::format("cannot open a channel for {}", what));
  }
  const std::string command_text(command);
  if (ssh_channel_request_exec(channel.get(), command_text.c_str()) != SSH_OK) {
    return remote_error(state, fmt::format("the server refused {}", what));
  }
  if (!input.empty() && ssh_channel_write(channel.get(), input.data(),
                                          static_cast<uint32_t>(input.size())) == SSH_ERROR) {
    return remote_error(state, fmt::format("cannot send input to {}", what));
  }
  ssh_channel_send_eof(channel.get());

  CommandOutput output;
  const std::size_t limit = state.options.max_output_bytes;
  std::size_t total = 0;
  // Past the limit the connection is closed, not just the channel: the device
  // would go on sending into it, and it is misbehaving anyway.
  auto too_much = [&] {
    channel.reset();
    ssh_disconnect(session);
    return make_error(ErrorCode::remote,
                      fmt::format("{} on {} printed more than {}; stopped reading it and closed "
                                  "the connection",
                                  what, state.endpoint, format_bytes(limit)),
                      "RouterOS answers vpnaas's commands with far less: check that the device "
                      "is a RouterOS router and what it prints for this command");
  };
  std::array<char, 16384> buffer{};
  while (ssh_channel_is_eof(channel.get()) == 0) {
    const auto now = Clock::now();
    if (now >= deadline || watchdog.fired()) {
      return timeout_error(state, what);
    }
    const auto wait =
        std::min(kReadSlice, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now));
    const int n =
        ssh_channel_read_timeout(channel.get(), buffer.data(), static_cast<uint32_t>(buffer.size()),
                                 0, static_cast<int>(wait.count()));
    if (n == SSH_ERROR) {
      return remote_error(state, fmt::format("connection lost while running {}", what));
    }
    if (n > 0) {
      total += static_cast<std::size_t>(n);
      if (total > limit) {
        return too_much();
      }
      output.out.append(buffer.data(), static_cast<std::size_t>(n));
    }
    const Drained err = drain(channel.get(), 1, output.err, total, limit);
    if (err == Drained::too_much) {
      return too_much();
    }
    if (err == Drained::broken) {
      return remote_error(state, fmt::format("connection lost while running {}", what));
    }
    if (n <= 0 && ssh_channel_is_closed(channel.get()) != 0) {
      break; // closed without EOF: nothing more will come
    }
  }
  for (int is_stderr : {0, 1}) {
    const Drained rest =
        drain(channel.get(), is_stderr, is_stderr != 0 ? output.err : output.out, total, limit);
    if (rest == Drained::too_much) {
      return too_much();
    }
    if (rest == Drained::broken) {
      return remote_error(state,
                          fmt::format("connection lost while reading the output of {}", what));
    }
  }
  output.exit_status = ssh_channel_get_exit_status(channel.get());
  ssh_channel_close(channel.get());
  return output;
}

} // namespace vpnaas::transport::ssh
