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

// Appends what is buffered on one stream; false when the connection broke.
bool drain(ssh_channel channel, int is_stderr, std::string& sink) {
  std::array<char, 16384> buffer{};
  for (;;) {
    const int n = ssh_channel_read_nonblocking(channel, buffer.data(),
                                               static_cast<uint32_t>(buffer.size()), is_stderr);
    if (n == SSH_ERROR) {
      return false;
    }
    if (n <= 0) {
      return true;
    }
    sink.append(buffer.data(), static_cast<std::size_t>(n));
  }
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
    if (n == SSH_ERROR || !drain(channel.get(), 1, output.err)) {
      return remote_error(state, fmt::format("connection lost while running {}", what));
    }
    if (n > 0) {
      output.out.append(buffer.data(), static_cast<std::size_t>(n));
    } else if (ssh_channel_is_closed(channel.get()) != 0) {
      break; // closed without EOF: nothing more will come
    }
  }
  if (!drain(channel.get(), 0, output.out) || !drain(channel.get(), 1, output.err)) {
    return remote_error(state, fmt::format("connection lost while reading the output of {}", what));
  }
  output.exit_status = ssh_channel_get_exit_status(channel.get());
  ssh_channel_close(channel.get());
  return output;
}

} // namespace vpnaas::transport::ssh
