#include "cmd_apply.hpp"

#include <vpnaas/acs/cwmp_executor.hpp>
#include <vpnaas/apply/apply.hpp>
#include <vpnaas/apply/backup_folder.hpp>
#include <vpnaas/apply/targets.hpp>
#include <vpnaas/delivery/ssh_executor.hpp>
#include <vpnaas/inventory/device_registry.hpp>
#include <vpnaas/plan/diff.hpp>
#include <vpnaas/render/device_model.hpp>

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <map>
#include <set>
#include <thread>
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

nlohmann::json device_result_json(const apply::DeviceResult& r) {
  return {{"device", r.device},
          {"via", "ssh"},
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

// A router reached over CWMP: its script queued on the ACS as a .alter
// Download, confirmed only by the CPE's TransferComplete.
struct CwmpRow {
  std::string device;
  bool dry_run = false;
  delivery::TaskResult result;
};

std::string result_word(const CwmpRow& r) {
  if (r.dry_run) {
    return "dry-run";
  }
  switch (r.result.state) {
  case delivery::TaskState::done:
    return "ok";
  case delivery::TaskState::queued:
    return "queued";
  case delivery::TaskState::failed:
    return r.result.fault_code != 0 ? fmt::format("failed (fault {})", r.result.fault_code)
                                    : std::string("failed");
  case delivery::TaskState::outcome_unknown:
    return "unknown";
  }
  return "unknown";
}

nlohmann::json cwmp_row_json(const CwmpRow& r) {
  const auto& t = r.result;
  const char* outcome = nullptr;
  if (!r.dry_run) {
    outcome = t.state == delivery::TaskState::done     ? "applied"
              : t.state == delivery::TaskState::queued ? "queued"
              : t.state == delivery::TaskState::failed ? "failed"
                                                       : "unknown";
  }
  return {{"device", r.device},
          {"via", "cwmp"},
          {"endpoint", t.endpoint.empty() ? nlohmann::json() : nlohmann::json(t.endpoint)},
          {"ok", r.dry_run || t.state == delivery::TaskState::done},
          {"outcome", outcome == nullptr ? nlohmann::json() : nlohmann::json(outcome)},
          {"state", r.dry_run ? nlohmann::json() : nlohmann::json(delivery::to_string(t.state))},
          {"task_id", t.acs_task == 0 ? nlohmann::json() : nlohmann::json(t.acs_task)},
          {"fault_code", t.fault_code == 0 ? nlohmann::json() : nlohmann::json(t.fault_code)},
          {"message", t.message},
          {"hint", t.hint},
          {"evidence", t.evidence},
          {"duration_ms", t.duration.count()}};
}

void print_table(const std::vector<apply::DeviceResult>& results,
                 const std::vector<CwmpRow>& cwmp) {
  Table table({"DEVICE", "ENDPOINT", "RESULT", "TIME", "DETAIL"});
  for (const auto& r : results) {
    table.add({r.device, r.endpoint, result_word(r),
               fmt::format("{:.1f}s", static_cast<double>(r.duration.count()) / 1000.0),
               r.message});
  }
  for (const auto& r : cwmp) {
    table.add({r.device,
               r.result.acs_task != 0 ? fmt::format("cwmp task {}", r.result.acs_task)
                                      : std::string("cwmp"),
               result_word(r),
               fmt::format("{:.1f}s", static_cast<double>(r.result.duration.count()) / 1000.0),
               r.result.message});
  }
  table.print(stdout);
  for (const auto& r : results) {
    if (!r.ok && !r.hint.empty()) {
      fmt::print("{}: {}\n", r.device, r.hint);
    }
  }
  for (const auto& r : cwmp) {
    if (!r.dry_run && r.result.state != delivery::TaskState::done && !r.result.hint.empty()) {
      fmt::print("{}: {}\n", r.device, r.result.hint);
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

  // Each device goes the way --via says, else as its `management:` key does.
  const auto chosen = delivery::parse_transport(options.via);
  const inventory::DeviceRegistry registry(ws.inventory);
  std::vector<apply::Target> ssh_targets;
  std::vector<delivery::Task> cwmp_tasks;
  for (auto& target : *targets) {
    const auto* entry = registry.find(target.device);
    const auto via = entry != nullptr ? delivery::transport_for(*entry->device, chosen)
                                      : chosen.value_or(delivery::Transport::ssh);
    if (via == delivery::Transport::cwmp) {
      cwmp_tasks.push_back(delivery::Task{target.device, delivery::TaskKind::apply_script,
                                          std::move(target.script), input.revision});
    } else {
      ssh_targets.push_back(std::move(target));
    }
  }
  const bool dry_run = options.inventory.dry_run;
  std::optional<acs::ManagementEndpoint> acs_endpoint;
  if (!cwmp_tasks.empty() && !dry_run) {
    // Checked before any router is touched.
    auto endpoint = acs::resolve_management_endpoint(options.acs);
    if (!endpoint) {
      return fail(endpoint.error(), json);
    }
    acs_endpoint = std::move(*endpoint);
  }

  apply::Options apply_options;
  apply_options.ssh = to_ssh_options(options.ssh);
  apply_options.ssh.pinned_known_hosts = apply::pinned_known_hosts(ws.inventory);
  apply_options.parallel = options.parallel;
  apply_options.dry_run = dry_run;
  apply_options.backup_dir = std::move(*backups);
  apply_options.revision = input.revision;
  apply_options.run_id = apply::make_run_id(input.revision);
  apply_options.keep_backups = options.keep_backups;
  apply_options.lock_wait =
      std::chrono::milliseconds(static_cast<long long>(options.lock_wait_seconds * 1000.0));
  apply_options.reapply_command = [&options](const std::string& device) {
    return reapply_command(options, device);
  };
  ApplyProgress progress(ssh_targets.size(), !json && isatty(STDERR_FILENO) != 0);
  if (!json) {
    apply_options.on_progress = [&progress](const apply::Progress& p) { progress.update(p); };
  }
  const std::string run_id = apply_options.run_id;

  // The CWMP routers are queued (and waited for) while the SSH ones are worked on.
  std::vector<CwmpRow> cwmp(cwmp_tasks.size());
  std::vector<apply::DeviceResult> results;
  {
    std::jthread cwmp_worker;
    if (!cwmp_tasks.empty()) {
      cwmp_worker = std::jthread([&] {
        std::vector<delivery::TaskResult> answers;
        if (acs_endpoint) {
          acs::CwmpExecutorOptions cwmp_options;
          cwmp_options.endpoint = *acs_endpoint;
          if (options.wait) {
            const double seconds = *options.wait > 0 ? *options.wait : kDefaultApplyWait;
            cwmp_options.wait = std::chrono::milliseconds(std::llround(seconds * 1000.0));
          }
          acs::CwmpExecutor executor(std::move(cwmp_options));
          answers = executor.execute(cwmp_tasks);
        }
        for (std::size_t i = 0; i < cwmp_tasks.size(); ++i) {
          cwmp[i].device = cwmp_tasks[i].device;
          cwmp[i].dry_run = dry_run;
          if (i < answers.size()) {
            cwmp[i].result = std::move(answers[i]);
          } else {
            cwmp[i].result.message = "would queue the script on the ACS as a .alter Download";
          }
        }
      });
    }
    std::map<std::string, transport::ssh::Endpoint> endpoints;
    std::vector<delivery::Task> ssh_tasks;
    for (auto& target : ssh_targets) {
      endpoints.emplace(target.device, target.ssh);
      ssh_tasks.push_back(delivery::Task{target.device, delivery::TaskKind::apply_script,
                                         std::move(target.script), input.revision});
    }
    delivery::SshExecutor ssh_executor(
        [&endpoints](const std::string& device) -> std::optional<transport::ssh::Endpoint> {
          auto it = endpoints.find(device);
          return it == endpoints.end() ? std::nullopt : std::optional(it->second);
        },
        std::move(apply_options));
    if (!ssh_tasks.empty()) {
      ssh_executor.execute(ssh_tasks);
    }
    progress.finish();
    results = ssh_executor.apply_results();
  }

  std::size_t failed = 0;
  std::size_t unknown = 0;
  std::size_t queued = 0;
  int acs_error = kExitOk; // the exit code of an ACS that could not take the tasks
  for (const auto& r : results) {
    failed += r.ok ? 0 : 1;
    unknown += !r.ok && r.outcome == apply::Outcome::unknown ? 1 : 0;
  }
  for (const auto& r : cwmp) {
    if (r.dry_run) {
      continue;
    }
    const auto state = r.result.state;
    queued += state == delivery::TaskState::queued ? 1 : 0;
    failed += state == delivery::TaskState::failed || state == delivery::TaskState::outcome_unknown
                  ? 1
                  : 0;
    unknown += state == delivery::TaskState::outcome_unknown ? 1 : 0;
    if (r.result.error && acs_error == kExitOk) {
      acs_error = exit_code_for(r.result.error->code);
    }
  }
  const std::size_t total = results.size() + cwmp.size();
  // Without --wait, queued is what was asked for; with it, only a confirmation is.
  const bool waited = options.wait.has_value();
  const std::size_t applied = total - failed - queued;
  const bool ok = failed == 0 && (!waited || queued == 0);
  if (json) {
    nlohmann::json devices = nlohmann::json::array();
    for (const auto& r : results) {
      devices.push_back(device_result_json(r));
    }
    for (const auto& r : cwmp) {
      devices.push_back(cwmp_row_json(r));
    }
    print_json({{"ok", ok},
                {"dry_run", dry_run},
                {"revision", input.revision ? nlohmann::json(*input.revision) : nullptr},
                {"run_id", run_id},
                {"changed_since", changed ? nlohmann::json(since) : nullptr},
                {"applied", applied},
                {"failed", failed},
                {"unknown", unknown},
                {"queued", queued},
                {"devices", devices}});
  } else {
    print_table(results, cwmp);
    fmt::print("{} {} of {} router(s){}{}{}\n", dry_run ? "would apply" : "applied", applied, total,
               failed == 0 ? "" : fmt::format(", {} failed", failed),
               unknown == 0 ? "" : fmt::format(" ({} with unknown outcome)", unknown),
               queued == 0 ? ""
                           : fmt::format(", {} queued on the ACS (not confirmed{})", queued,
                                         waited ? " before --wait ran out" : "; --wait waits"));
  }
  if (failed != 0) {
    // Nothing reached the ACS: its own exit code (4 unreachable, 2 unknown device) says why.
    return acs_error != kExitOk && failed == cwmp.size() && results.empty() ? acs_error
                                                                            : kExitInvalid;
  }
  return waited && queued != 0 ? kExitDeclined : kExitOk;
}

} // namespace vpnaas::cli
