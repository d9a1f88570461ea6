#include "cmd_apply.hpp"

#include <vpnaas/apply/apply.hpp>
#include <vpnaas/apply/backup_folder.hpp>
#include <vpnaas/apply/targets.hpp>
#include <vpnaas/plan/diff.hpp>
#include <vpnaas/render/device_model.hpp>

#include <fmt/format.h>

#include <chrono>
#include <set>
#include <unistd.h>
#include <variant>

#include "apply_progress.hpp"
#include "exit_codes.hpp"
#include "options.hpp"
#include "plan_sides.hpp"
#include "ssh_options.hpp"
#include "table.hpp"

namespace vpnaas::cli {
namespace {

// The routers whose plan differs between `rev` and the inventory being
// applied, or the exit code when the inventory at `rev` cannot be used.
std::variant<plan::ChangedRouters, int> changed_since(const ApplyCliOptions& options,
                                                      const Workspace& head, bool json,
                                                      std::string& since) {
  git::RevisionOption rev_option;
  rev_option.flag = "--changed-since";
  rev_option.outside_git_hint =
      "--changed-since compares with a git revision, so the inventory folder must be inside a "
      "git work tree: run vpnaas in a clone of the inventory's repository, or drop "
      "--changed-since to apply to every router";
  rev_option.no_git_hint = "install it (apt-get install git) or drop --changed-since";
  OpenedWorkspace base = open_side(options.inventory, *options.changed_since, rev_option);
  if (int code = check_side(base, "--changed-since", json); code != kExitOk) {
    return code;
  }
  since = side_label(base);
  auto changed = plan::changed_routers(*base.workspace, head);
  if (!changed) {
    return fail(changed.error(), json);
  }
  return std::move(*changed);
}

// `word` as one shell word, for commands people copy.
std::string shell_word(const std::string& word) {
  if (!word.empty() && word.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                              "0123456789-_./:@=+,") == std::string::npos) {
    return word;
  }
  std::string out = "'";
  for (const char c : word) {
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return out + "'";
}

// The command that applies one device again, with this run's options (a
// host key is known by then, so not --accept-new-host-keys).
std::string reapply_command(const ApplyCliOptions& options, const std::string& device) {
  std::string command = "vpnaas apply --via ssh";
  auto add = [&command](std::string_view flag, const std::string& value) {
    command += fmt::format(" {} {}", flag, shell_word(value));
  };
  if (options.inventory.inventory) {
    add("--inventory", *options.inventory.inventory);
  }
  if (options.inventory.rev) {
    add("--rev", *options.inventory.rev);
  }
  if (options.key_file) {
    add("--key-file", *options.key_file);
  }
  if (options.backup_dir) {
    add("--backup-dir", *options.backup_dir);
  }
  if (options.ssh.known_hosts) {
    add("--known-hosts", *options.ssh.known_hosts);
  }
  if (options.ssh.identity) {
    add("--identity", *options.ssh.identity);
  }
  if (options.ssh.password_env != SshCliOptions{}.password_env) {
    add("--password-env", options.ssh.password_env);
  }
  if (options.ssh.command_timeout != SshCliOptions{}.command_timeout) {
    add("--command-timeout", fmt::format("{:g}", options.ssh.command_timeout));
  }
  add("--device", device);
  return command;
}

std::string result_word(const apply::DeviceResult& r) {
  if (r.dry_run) {
    return "dry-run";
  }
  if (r.ok) {
    return "ok";
  }
  return fmt::format("{} ({})", r.outcome == apply::Outcome::unknown ? "unknown" : "failed",
                     apply::to_string(r.failed_stage));
}

nlohmann::json to_json(const apply::DeviceResult& r) {
  return {{"device", r.device},
          {"endpoint", r.endpoint},
          {"ok", r.ok},
          {"outcome", r.dry_run ? nlohmann::json() : nlohmann::json(apply::to_string(r.outcome))},
          {"stage", r.ok ? "done" : apply::to_string(r.failed_stage)},
          {"message", r.message},
          {"hint", r.hint},
          {"line", r.failed_line == 0 ? nlohmann::json() : nlohmann::json(r.failed_line)},
          {"duration_ms", r.duration.count()},
          {"attempts", r.attempts},
          {"backup", r.backup.empty() ? nlohmann::json() : nlohmann::json(r.backup.string())},
          {"remote_backup",
           r.remote_backup.empty() ? nlohmann::json() : nlohmann::json(r.remote_backup)}};
}

void print_table(const std::vector<apply::DeviceResult>& results) {
  Table table({"DEVICE", "ENDPOINT", "RESULT", "TIME", "DETAIL"});
  for (const auto& r : results) {
    table.add({r.device, r.endpoint, result_word(r),
               fmt::format("{:.1f}s", static_cast<double>(r.duration.count()) / 1000.0),
               r.message});
  }
  table.print(stdout);
  for (const auto& r : results) {
    if (!r.ok && !r.hint.empty()) {
      fmt::print("{}: {}\n", r.device, r.hint);
    }
  }
}

} // namespace

int run_apply(const ApplyCliOptions& options) {
  const bool json = options.inventory.json();
  // Checked before anything is read or written, in a dry run too.
  auto backups = apply::backup_folder(options.backup_dir);
  if (!backups) {
    return fail(backups.error(), json);
  }
  OpenedWorkspace opened = open_inventory(options.inventory);
  if (opened.error) {
    return fail(*opened.error, json);
  }
  const Workspace& ws = *opened.workspace;
  print_diagnostics(ws.diagnostics);
  if (!ws.valid()) {
    if (json) {
      print_json({{"ok", false}, {"diagnostics", cli::to_json(ws.diagnostics)}});
    }
    fmt::print(stderr, "{}: invalid inventory, nothing applied\n", inventory_label(opened));
    return exit_code_for(ws.diagnostics);
  }
  print_lock_news(opened);
  auto key = master_key_for(opened, options.key_file, nullptr);
  if (!key) {
    return fail(key.error(), json);
  }
  render::RenderInput input{ws.inventory, ws.tunnels, ws.allocation.lock, *key,
                            revision_of(opened)};
  std::optional<plan::ChangedRouters> changed;
  std::string since;
  if (options.changed_since) {
    auto found = changed_since(options, ws, json, since);
    if (const int* code = std::get_if<int>(&found)) {
      return *code;
    }
    changed = std::move(std::get<plan::ChangedRouters>(found));
  }
  auto targets = apply::build_targets(input, options.customers, options.devices,
                                      changed ? &changed->to_apply : nullptr);
  if (!targets) {
    return fail(targets.error(), json);
  }
  if (changed && !json) {
    fmt::print(stderr, "changed since {}: {} router(s) to apply, {} unchanged skipped\n", since,
               targets->size(), changed->unchanged);
    for (const auto& name : changed->gone) {
      fmt::print(stderr,
                 "note: {} is no longer in the inventory; apply does not reach it, so its "
                 "vpnaas items stay on it until removed there\n",
                 name);
    }
  }

  apply::Options apply_options;
  apply_options.ssh = to_ssh_options(options.ssh);
  apply_options.ssh.pinned_known_hosts = ws.inventory.known_hosts;
  apply_options.parallel = options.parallel;
  apply_options.dry_run = options.inventory.dry_run;
  apply_options.backup_dir = std::move(*backups);
  apply_options.revision = input.revision;
  apply_options.run_id = apply::make_run_id(input.revision);
  apply_options.keep_backups = options.keep_backups;
  apply_options.lock_wait =
      std::chrono::milliseconds(static_cast<long long>(options.lock_wait_seconds * 1000.0));
  apply_options.reapply_command = [&options](const std::string& device) {
    return reapply_command(options, device);
  };
  ApplyProgress progress(targets->size(), !json && isatty(STDERR_FILENO) != 0);
  if (!json) {
    apply_options.on_progress = [&progress](const apply::Progress& p) { progress.update(p); };
  }
  const auto results = apply::apply(*targets, apply_options);
  progress.finish();

  std::size_t failed = 0;
  std::size_t unknown = 0;
  for (const auto& r : results) {
    failed += r.ok ? 0 : 1;
    unknown += !r.ok && r.outcome == apply::Outcome::unknown ? 1 : 0;
  }
  if (json) {
    nlohmann::json devices = nlohmann::json::array();
    for (const auto& r : results) {
      devices.push_back(to_json(r));
    }
    print_json({{"ok", failed == 0},
                {"dry_run", apply_options.dry_run},
                {"revision", input.revision ? nlohmann::json(*input.revision) : nullptr},
                {"run_id", apply_options.run_id},
                {"changed_since", changed ? nlohmann::json(since) : nullptr},
                {"applied", results.size() - failed},
                {"failed", failed},
                {"unknown", unknown},
                {"devices", devices}});
  } else {
    print_table(results);
    fmt::print("{} {} of {} router(s){}{}\n", apply_options.dry_run ? "would apply" : "applied",
               results.size() - failed, results.size(),
               failed == 0 ? "" : fmt::format(", {} failed", failed),
               unknown == 0 ? "" : fmt::format(" ({} with unknown outcome)", unknown));
  }
  return failed == 0 ? kExitOk : kExitInvalid;
}

} // namespace vpnaas::cli
