#include <vpnaas/device/reboot.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <thread>

#include "output_lines.hpp"

namespace vpnaas::device {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using Clock = std::chrono::steady_clock;

// Reads the digits at `pos`; nullopt when there are none or too many.
std::optional<std::int64_t> take_number(std::string_view text, std::size_t& pos) {
  std::int64_t value = 0;
  const std::size_t start = pos;
  while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9' && pos - start < 12) {
    value = value * 10 + (text[pos] - '0');
    ++pos;
  }
  if (pos == start || (pos < text.size() && text[pos] >= '0' && text[pos] <= '9')) {
    return std::nullopt;
  }
  return value;
}

} // namespace

// The format: RouterOS's `time` type prints as days and a clock, e.g. `:put
// 2d11h12` gives "2d11:00:12" and `:put 0.1day1.2s` gives "02:24:01.200"
// (MikroTik RouterOS v2.9 manual, Scripting Host, "Data types"); weeks lead
// as "w" (MikroTik wiki, "Time constants": "4w2d - 30 days"). `uptime` of
// /system resource has that type (help.mikrotik.com CLI reference, read as
// newwlfz/mikrotik-docs-i18n docs/cli-reference/system/resource.md:
// "uptime ... time").
std::optional<seconds> parse_routeros_time(std::string_view text) {
  text = trimmed(text);
  std::size_t pos = 0;
  std::int64_t total = 0;
  for (const auto& [unit, length] : {std::pair{'w', 7 * 86400}, std::pair{'d', 86400}}) {
    std::size_t probe = pos;
    auto value = take_number(text, probe);
    if (value && probe < text.size() && text[probe] == unit) {
      total += *value * length;
      pos = probe + 1;
    }
  }
  std::int64_t hms[3] = {0, 0, 0};
  for (int part = 0; part < 3; ++part) {
    const std::size_t start = pos;
    auto value = take_number(text, pos);
    if (!value || pos - start != 2 || *value > (part == 0 ? 23 : 59)) {
      return std::nullopt;
    }
    hms[part] = *value;
    if (part < 2) {
      if (pos >= text.size() || text[pos] != ':') {
        return std::nullopt;
      }
      ++pos;
    }
  }
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    if (!take_number(text, pos)) {
      return std::nullopt;
    }
  }
  if (pos != text.size()) {
    return std::nullopt;
  }
  return seconds(total + hms[0] * 3600 + hms[1] * 60 + hms[2]);
}

Result<seconds> read_uptime(RouterOs& router) {
  constexpr std::string_view command = ":put [/system resource get uptime]";
  auto output = router.run(command);
  if (!output) {
    return output.error();
  }
  if (auto uptime = parse_routeros_time(output->out)) {
    return *uptime;
  }
  return make_error(ErrorCode::remote,
                    fmt::format("`{}` answered \"{}\", which is not a RouterOS time", command,
                                trimmed(output->out + output->err)),
                    "check that the SSH user may read /system resource");
}

Result<WaitUpResult> wait_until_back(const transport::ssh::Endpoint& target,
                                     const transport::ssh::SshOptions& ssh,
                                     Clock::time_point sent_at, const WaitUpOptions& options) {
  WaitUpResult result;
  const Clock::time_point deadline = sent_at + options.limit;
  for (;;) {
    const Clock::time_point attempt = Clock::now();
    if (attempt >= deadline) {
      break;
    }
    // One attempt must not outlast the wait it belongs to.
    transport::ssh::SshOptions bounded = ssh;
    bounded.connect_timeout =
        std::clamp(std::chrono::duration_cast<milliseconds>(deadline - attempt), milliseconds(1),
                   ssh.connect_timeout);
    bounded.command_timeout = std::min(bounded.command_timeout, bounded.connect_timeout);
    auto session = transport::ssh::Session::connect(target, bounded);
    if (!session) {
      result.last_problem = session.error().message;
    } else {
      if (auto trusted = session->verify_host_key(); !trusted) {
        return trusted.error();
      }
      if (auto authenticated = session->authenticate(); !authenticated) {
        return authenticated.error();
      }
      RouterOs router(*session);
      auto uptime = read_uptime(router);
      const auto since_sent = std::chrono::duration_cast<milliseconds>(Clock::now() - sent_at);
      if (!uptime) {
        result.last_problem = uptime.error().message;
      } else {
        result.uptime = *uptime;
        // The router counts whole seconds: its real uptime is below
        // uptime + 1s, and must be below the time since the reboot was sent.
        // (A router rebooted shortly before also answers with a small uptime
        // before it goes down: that must not count.)
        if (*uptime + seconds(1) <= since_sent) {
          result.back = true;
          result.waited = since_sent;
          return result;
        }
        result.last_problem = fmt::format(
            "it answers with an uptime of {}s, so it has not restarted yet", uptime->count());
      }
    }
    const auto next = std::min(attempt + options.poll_interval, deadline);
    std::this_thread::sleep_until(next);
  }
  result.waited = std::chrono::duration_cast<milliseconds>(Clock::now() - sent_at);
  return result;
}

} // namespace vpnaas::device
