#include "device_apply.hpp"

#include <vpnaas/device/quoting.hpp>
#include <vpnaas/device/routeros.hpp>
#include <vpnaas/transport/ssh/session.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <thread>

#include "recovery.hpp"

namespace vpnaas::apply {
namespace {

using transport::ssh::Session;

// How often a router whose lock another run holds is asked again.
constexpr std::chrono::milliseconds kLockPoll{500};

std::size_t count_lines(std::string_view text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) +
         (!text.empty() && text.back() != '\n' ? 1U : 0U);
}

DeviceResult& fail(DeviceResult& result, Stage stage, const Error& error,
                   Outcome outcome = Outcome::failed) {
  result.ok = false;
  result.outcome = outcome;
  result.failed_stage = stage;
  result.message = error.message;
  result.hint = error.hint;
  return result;
}

// Connection failures are the only ones worth retrying: a refused host key or
// credential stays refused, and later steps may already have changed things.
std::optional<Session> connect_with_retries(const Target& target, const Options& options,
                                            const StageReporter& report, DeviceResult& result) {
  const int attempts = std::max(1, options.connect_attempts);
  auto delay = options.retry_delay;
  for (int attempt = 1;; ++attempt) {
    report(Stage::connect, attempt);
    result.attempts = attempt;
    auto session = Session::connect(target.ssh, options.ssh);
    if (session) {
      return std::move(*session);
    }
    if (attempt >= attempts) {
      Error error = session.error();
      if (attempts > 1) {
        error.message += fmt::format(" (gave up after {} attempts)", attempts);
      }
      fail(result, Stage::connect, error);
      return std::nullopt;
    }
    std::this_thread::sleep_for(delay);
    delay *= 2;
  }
}

// The session to one router, opened again (same options, same host-key
// check) when it broke: the uploaded script and the lock must be removed
// even after a connection lost mid-import.
class Link {
public:
  Link(const Target& target, const Options& options, Session session)
      : m_target(target), m_options(options), m_session(std::move(session)) {}

  bool connected() const { return m_session.connected(); }
  device::RouterOs router() { return device::RouterOs(m_session); }

  Status reconnect_if_needed() {
    if (m_session.connected()) {
      return Ok{};
    }
    auto session = Session::open(m_target.ssh, m_options.ssh);
    if (!session) {
      return session.error();
    }
    m_session = std::move(*session);
    return Ok{};
  }

private:
  const Target& m_target;
  const Options& m_options;
  Session m_session;
};

Status take_lock(Link& link, const Options& options, const std::string& endpoint) {
  const auto deadline = std::chrono::steady_clock::now() + options.lock_wait;
  std::string holder;
  for (;;) {
    auto got = link.router().try_lock(options.run_id, options.lock_expiry);
    if (!got) {
      return got.error();
    }
    if (*got == options.run_id) {
      return Ok{};
    }
    holder = *got;
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) {
      break;
    }
    std::this_thread::sleep_for(
        std::min<std::chrono::steady_clock::duration>(kLockPoll, deadline - now));
  }
  const std::string waited =
      fmt::format("{:.1f}s", static_cast<double>(options.lock_wait.count()) / 1000.0);
  return make_error(
      ErrorCode::remote,
      holder.empty() ? fmt::format("{} did not grant the apply lock within {}", endpoint, waited)
                     : fmt::format("{} is locked by another vpnaas apply (run {}); waited {}",
                                   endpoint, holder, waited),
      fmt::format("nothing was changed; apply again when that run has finished. A lock left by "
                  "a run that died removes itself {}s after it was taken (or remove it on the "
                  "router: /system scheduler remove [find where name={}])",
                  options.lock_expiry.count(), device::quote(device::RouterOs::kLockName)));
}

// Removes the uploaded script, which holds every pre-shared key of the
// router; an empty string when it is gone, else why it is not.
std::string remove_script(Link& link, const std::string& name) {
  Status removed = link.reconnect_if_needed();
  if (removed) {
    removed = link.router().remove_file(name);
  }
  return removed ? std::string() : removed.error().message;
}

// Deletes the oldest vpnaas-backup-* files beyond options.keep_backups; run
// ids start with the UTC time, so names sort oldest first. An empty string,
// else what went wrong (the apply itself stands).
std::string prune_backups(Link& link, const Options& options, const std::string& own) {
  auto router = link.router();
  auto names = router.list_files("vpnaas-backup-");
  if (!names) {
    return names.error().message;
  }
  const std::size_t keep = std::max<std::size_t>(1, options.keep_backups);
  std::erase(*names, own);
  std::string problem;
  for (std::size_t i = 0; i + keep - 1 < names->size(); ++i) {
    if (auto removed = router.remove_file((*names)[i]); !removed && problem.empty()) {
      problem = removed.error().message;
    }
  }
  return problem;
}

std::string with_end_marker(std::string_view script, std::string_view run_id) {
  std::string text(script);
  if (!text.empty() && text.back() != '\n') {
    text += '\n';
  }
  text += fmt::format(":put {}\n", device::quote(end_marker(run_id)));
  return text;
}

// The steps done while the router's lock is held. Sets `keep_lock` when the
// lock must outlive this run (an import RouterOS may still be running).
void locked_steps(Link& link, const Target& target, const Options& options,
                  const StageReporter& report, DeviceResult& result, bool& keep_lock) {
  report(Stage::backup, result.attempts);
  const std::string backup_name = remote_backup_name(options.run_id);
  auto backup = link.router().save_backup(target.device, options.backup_dir, backup_name);
  if (!backup) {
    fail(result, Stage::backup, backup.error());
    return;
  }
  result.backup = std::move(*backup);
  result.remote_backup = backup_name + ".rsc";

  const std::string script_name = remote_script_name(options.run_id);
  const std::string script = with_end_marker(target.script, options.run_id);
  report(Stage::upload, result.attempts);
  if (auto uploaded = link.router().upload_script(script, script_name); !uploaded) {
    Error error = uploaded.error();
    error.hint = recovery_hint(result, options, RouterState::unchanged);
    note_leftover_script(error, script_name, remove_script(link, script_name));
    fail(result, Stage::upload, error);
    return;
  }

  report(Stage::import, result.attempts);
  auto verdict = link.router().import_script(script_name, script, end_marker(options.run_id));
  const bool still_connected = link.connected();
  report(Stage::cleanup, result.attempts);
  const std::string left = remove_script(link, script_name);

  if (!verdict) {
    // The session survives a command timeout and not a lost connection.
    Error error = verdict.error();
    error.message = fmt::format("outcome unknown: {}", error.message);
    if (still_connected) {
      keep_lock = true;
      error.message += "; RouterOS goes on importing after vpnaas stops waiting";
    } else {
      error.message += " (the connection broke during the import)";
    }
    error.hint = recovery_hint(result, options, RouterState::unknown);
    if (keep_lock) {
      error.hint += fmt::format(". The router's apply lock stays until it expires ({}s after it "
                                "was taken), so that no other apply starts while this import "
                                "may still run",
                                options.lock_expiry.count());
    }
    note_leftover_script(error, script_name, left);
    fail(result, Stage::import, error, Outcome::unknown);
    return;
  }
  if (verdict->outcome == device::ImportOutcome::failed) {
    result.failed_line = verdict->line;
    const auto state = verdict->line > 1 ? RouterState::partly_changed : RouterState::unchanged;
    Error error = make_error(ErrorCode::remote,
                             fmt::format("RouterOS rejected {}", device::describe(*verdict)),
                             recovery_hint(result, options, state, verdict->line));
    note_leftover_script(error, script_name, left);
    fail(result, Stage::import, error);
    return;
  }
  if (verdict->outcome == device::ImportOutcome::unknown) {
    Error error =
        make_error(ErrorCode::remote,
                   fmt::format("outcome unknown: the import of {} did not prove success: {}",
                               script_name, verdict->error),
                   recovery_hint(result, options, RouterState::unknown));
    note_leftover_script(error, script_name, left);
    fail(result, Stage::import, error, Outcome::unknown);
    return;
  }

  result.outcome = Outcome::applied;
  if (!left.empty()) {
    fail(result, Stage::cleanup,
         make_error(ErrorCode::remote,
                    fmt::format("imported, but {} could not be removed: {}", script_name, left),
                    fmt::format("it holds the router's pre-shared keys: remove it on the router "
                                "(/file remove {})",
                                device::quote(script_name))),
         Outcome::applied);
    return;
  }
  result.ok = true;
  result.message = fmt::format("imported {} lines", count_lines(target.script));
  if (const std::string pruned = prune_backups(link, options, backup_name + ".rsc");
      !pruned.empty()) {
    result.message += fmt::format("; old backups on the router were not all deleted: {}", pruned);
  }
}

} // namespace

DeviceResult apply_device(const Target& target, const Options& options,
                          const StageReporter& report) {
  DeviceResult result;
  result.device = target.device;
  result.endpoint = fmt::format("{}@{}:{}", target.ssh.user, target.ssh.host, target.ssh.port);
  result.dry_run = options.dry_run;
  if (options.dry_run) {
    result.ok = true;
    result.outcome = Outcome::applied;
    result.message = fmt::format("would save a backup, upload {} lines ({} bytes) as {} and "
                                 "import them; nothing was contacted",
                                 count_lines(target.script), target.script.size(),
                                 remote_script_name(options.run_id));
    return result;
  }

  std::optional<Session> session = connect_with_retries(target, options, report, result);
  if (!session) {
    return result;
  }
  report(Stage::host_key, result.attempts);
  if (auto trusted = session->verify_host_key(); !trusted) {
    return fail(result, Stage::host_key, trusted.error());
  }
  report(Stage::authenticate, result.attempts);
  if (auto authenticated = session->authenticate(); !authenticated) {
    return fail(result, Stage::authenticate, authenticated.error());
  }

  Link link(target, options, std::move(*session));
  report(Stage::lock, result.attempts);
  if (auto locked = take_lock(link, options, result.endpoint); !locked) {
    return fail(result, Stage::lock, locked.error());
  }
  bool keep_lock = false;
  locked_steps(link, target, options, report, result, keep_lock);
  if (!keep_lock) {
    Status released = link.reconnect_if_needed();
    if (released) {
      released = link.router().unlock(options.run_id);
    }
    if (!released) {
      result.message += fmt::format(
          "; the router's apply lock could not be released ({}), it expires {}s after it "
          "was taken",
          released.error().message, options.lock_expiry.count());
    }
  }
  return result;
}

} // namespace vpnaas::apply
