// The router-wide apply lock (see RouterOs::try_lock).
//
// RouterOS behaviour relied on:
// - A `/system scheduler` item with an `interval` and no start time runs its
//   on-event first one interval after it was added: measured on 7.24.4 by
//   `SecOps-7/MikroDash` (testdata/fixtures/import/probe-7.24.4.json, "m7
//   first run after 15s" for `add name=... interval=15s on-event=...`), so the
//   on-event below removes a lock `expiry` after it was taken. The MikroTik
//   manual ("Scheduler"): interval is the time "between two script
//   executions"; on-event may be a script's source (the same probe).
// - Scheduler items carry `comment` (MikroTik's `/system scheduler` properties,
//   also in terraform-routeros's SystemScheduler resource), which holds the
//   holder's run id.
// - A `[find ...]` inside `get` takes its menu from the command around it
//   (MikroTik manual, "Scripting": "menu specific find command does not
//   require a full path because the path is derived from the parent
//   command's path").
// - One console command runs as one script: the test and the add below run
//   together, and if another session's add got in between, the add fails or
//   the `get` reads the other holder's comment. No text of a failure is
//   relied on: only the `vpnaas:lock:<run id>` line this command prints
//   says who holds the lock, and anything else means "try again".
#include <vpnaas/device/quoting.hpp>
#include <vpnaas/device/routeros.hpp>

#include <fmt/format.h>

#include "output_lines.hpp"

namespace vpnaas::device {
namespace {

constexpr std::string_view kLockLine = "vpnaas:lock:";

// `[find where name="vpnaas-apply-lock"]`, the lock's id list.
std::string find_lock() {
  return fmt::format("[find where name={}]", quote(RouterOs::kLockName));
}

} // namespace

Result<std::string> RouterOs::try_lock(std::string_view run_id, std::chrono::seconds expiry) {
  const std::string on_event = fmt::format("/system scheduler remove {}", find_lock());
  const std::string command = fmt::format(
      ":if ([:len [/system scheduler find where name={name}]] = 0) do={{/system scheduler add "
      "name={name} "
      "interval={seconds}s comment={run_id} on-event={on_event}}}; "
      ":put ({line} . [/system scheduler get {find} comment])",
      fmt::arg("find", find_lock()), fmt::arg("name", quote(kLockName)),
      fmt::arg("seconds", std::max<long long>(1, expiry.count())),
      fmt::arg("run_id", quote(run_id)), fmt::arg("on_event", quote(on_event)),
      fmt::arg("line", quote(kLockLine)));
  auto output = run(command);
  if (!output) {
    return output.error();
  }
  for (std::string_view line : output_lines(output->out)) {
    if (line.starts_with(kLockLine)) {
      return std::string(line.substr(kLockLine.size()));
    }
  }
  return std::string();
}

Status RouterOs::unlock(std::string_view run_id) {
  auto output = run(fmt::format("/system scheduler remove [find where name={} and comment={}]",
                                quote(kLockName), quote(run_id)));
  if (!output) {
    return output.error();
  }
  if (auto error = find_error_line(output->out + output->err)) {
    return make_error(
        ErrorCode::remote,
        fmt::format("cannot remove the apply lock on {}: {}", m_session.endpoint(), *error),
        fmt::format("it expires by itself; or remove it by hand: /system scheduler "
                    "remove [find where name={}]",
                    quote(kLockName)));
  }
  return Ok{};
}

} // namespace vpnaas::device
