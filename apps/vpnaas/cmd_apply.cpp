#include "cmd_apply.hpp"

#include <vpnaas/apply/apply.hpp>
#include <vpnaas/apply/targets.hpp>
#include <vpnaas/plan/diff.hpp>
#include <vpnaas/render/device_model.hpp>

#include <fmt/format.h>

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

nlohmann::json to_json(const apply::DeviceResult& r) {
  return {{"device", r.device},
          {"endpoint", r.endpoint},
          {"ok", r.ok},
          {"stage", r.ok ? "done" : apply::to_string(r.failed_stage)},
          {"message", r.message},
          {"hint", r.hint},
          {"line", r.failed_line == 0 ? nlohmann::json() : nlohmann::json(r.failed_line)},
          {"duration_ms", r.duration.count()},
          {"attempts", r.attempts},
          {"backup", r.backup.empty() ? nlohmann::json() : nlohmann::json(r.backup.string())}};
}

void print_table(const std::vector<apply::DeviceResult>& results) {
  Table table({"DEVICE", "ENDPOINT", "RESULT", "TIME", "DETAIL"});
  for (const auto& r : results) {
    const std::string outcome = r.dry_run ? "dry-run"
                                : r.ok
                                    ? "ok"
                                    : fmt::format("failed ({})", apply::to_string(r.failed_stage));
    table.add({r.device, r.endpoint, outcome,
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
  auto key = master_key_for(opened.path, options.key_file, nullptr);
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
  apply_options.backup_dir = options.backup_dir;
  ApplyProgress progress(targets->size(), !json && isatty(STDERR_FILENO) != 0);
  if (!json) {
    apply_options.on_progress = [&progress](const apply::Progress& p) { progress.update(p); };
  }
  const auto results = apply::apply(*targets, apply_options);
  progress.finish();

  std::size_t failed = 0;
  for (const auto& r : results) {
    failed += r.ok ? 0 : 1;
  }
  if (json) {
    nlohmann::json devices = nlohmann::json::array();
    for (const auto& r : results) {
      devices.push_back(to_json(r));
    }
    print_json({{"ok", failed == 0},
                {"dry_run", apply_options.dry_run},
                {"revision", input.revision ? nlohmann::json(*input.revision) : nullptr},
                {"changed_since", changed ? nlohmann::json(since) : nullptr},
                {"applied", results.size() - failed},
                {"failed", failed},
                {"devices", devices}});
  } else {
    print_table(results);
    fmt::print("{} {} of {} router(s){}\n", apply_options.dry_run ? "would apply" : "applied",
               results.size() - failed, results.size(),
               failed == 0 ? "" : fmt::format(", {} failed", failed));
  }
  return failed == 0 ? kExitOk : kExitInvalid;
}

} // namespace vpnaas::cli
