#pragma once

#include <vpnaas/core/error.hpp>
#include <vpnaas/device/routeros.hpp>
#include <vpnaas/transport/ssh/endpoint.hpp>
#include <vpnaas/transport/ssh/options.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace vpnaas::device {

// A RouterOS `time` value as the console prints it: "[<n>w][<n>d]HH:MM:SS",
// optionally with a fraction of a second (".200", dropped). nullopt for
// anything else.
std::optional<std::chrono::seconds> parse_routeros_time(std::string_view text);

// How long the router has been up (`:put [/system resource get uptime]`).
// Fails (remote) when the command fails or its answer is not a time.
Result<std::chrono::seconds> read_uptime(RouterOs& router);

struct WaitUpOptions {
  std::chrono::milliseconds limit{0}; // counted from the moment the reboot was sent
  std::chrono::milliseconds poll_interval{1000};
};

struct WaitUpResult {
  bool back = false;                          // reconnected, and its uptime proves a restart
  std::chrono::milliseconds waited{0};        // from the reboot to the proof, or to giving up
  std::optional<std::chrono::seconds> uptime; // the last uptime read
  std::string last_problem;                   // when !back: what the last attempt saw, for messages
};

// After `/system reboot` was sent at `sent_at`: connects to `target` again
// every poll_interval, with the same host key checks as any session, until
// the router answers with an uptime shorter than the time since `sent_at`
// (it restarted, rather than never going down) or options.limit runs out
// (then back == false). Connection failures are waited out; a refused host
// key or failed authentication ends the wait with that error.
Result<WaitUpResult> wait_until_back(const transport::ssh::Endpoint& target,
                                     const transport::ssh::SshOptions& ssh,
                                     std::chrono::steady_clock::time_point sent_at,
                                     const WaitUpOptions& options);

} // namespace vpnaas::device
