#include "device_apply.hpp"

#include <vpnaas/device/routeros.hpp>
#include <vpnaas/transport/ssh/session.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <thread>

namespace vpnaas::apply {
namespace {

using transport::ssh::Session;

std::size_t count_lines(std::string_view text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) +
         (!text.empty() && text.back() != '\n' ? 1U : 0U);
}

DeviceResult& fail(DeviceResult& result, Stage stage, const Error& error) {
  result.ok = false;
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

std::string backup_note(const DeviceResult& result, const Options& options) {
  return fmt::format("the configuration before this run is saved in {} and on the device as "
                     "{}.rsc",
                     result.backup.string(), options.remote_backup);
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
    result.message =
        fmt::format("would save a backup, upload {} lines ({} bytes) as {} and "
                    "import them; nothing was contacted",
                    count_lines(target.script), target.script.size(), options.remote_script);
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

  device::RouterOs router(*session);
  report(Stage::backup, result.attempts);
  auto backup = router.save_backup(target.device, options.backup_dir, options.remote_backup);
  if (!backup) {
    return fail(result, Stage::backup, backup.error());
  }
  result.backup = std::move(*backup);

  report(Stage::upload, result.attempts);
  if (auto uploaded = router.upload_script(target.script, options.remote_script); !uploaded) {
    if (session->connected()) {
      // A partial file may hold secrets; removing it is best effort.
      (void)router.remove_file(options.remote_script);
    }
    return fail(result, Stage::upload, uploaded.error());
  }

  report(Stage::import, result.attempts);
  auto verdict = router.import_script(options.remote_script, target.script);
  // The script holds pre-shared keys: it leaves the device whatever happened.
  report(Stage::cleanup, result.attempts);
  auto removed = session->connected() ? router.remove_file(options.remote_script)
                                      : Status(make_error(ErrorCode::remote, "not connected"));

  if (!verdict) {
    return fail(result, Stage::import, verdict.error());
  }
  if (!verdict->ok) {
    result.failed_line = verdict->line;
    Error error = make_error(
        ErrorCode::remote, fmt::format("RouterOS rejected {}", device::describe(*verdict)),
        verdict->line > 1 ? fmt::format("lines before {} were applied; {}", verdict->line,
                                        backup_note(result, options))
                          : backup_note(result, options));
    if (!removed) {
      error.message += fmt::format("; and {} could not be removed: {}", options.remote_script,
                                   removed.error().message);
    }
    return fail(result, Stage::import, error);
  }
  if (!removed) {
    return fail(result, Stage::cleanup, removed.error());
  }
  result.ok = true;
  result.message = fmt::format("imported {} lines", count_lines(target.script));
  return result;
}

} // namespace vpnaas::apply
