#include "cmd_mesh.hpp"

#include <vpnaas/core/join.hpp>
#include <vpnaas/mesh/check.hpp>
#include <vpnaas/render/generate.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <map>

#include "exit_codes.hpp"
#include "options.hpp"
#include "table.hpp"

namespace vpnaas::cli {
namespace {

// The per-group rows of the summary: a customer (its site routers) or a
// cluster (its routers), with the tunnels that end there.
struct GroupRow {
  std::string kind;
  std::size_t devices = 0;
  std::size_t tunnels = 0;
  std::vector<const render::GeneratedFile*> files;
};

std::map<std::string, GroupRow> group_rows(const Workspace& ws,
                                           const render::GenerateSummary& summary) {
  std::map<std::string, GroupRow> rows;
  for (const auto& c : ws.inventory.clusters) {
    rows[c.name.value] = GroupRow{"cluster", c.devices.size(), 0, {}};
  }
  for (const auto& c : ws.inventory.customers) {
    rows[c.name.value] = GroupRow{"customer", c.sites.size(), 0, {}};
  }
  for (const auto& t : ws.tunnels) {
    rows[t.customer->name.value].tunnels++;
    if (t.b.cluster != nullptr) {
      rows[t.b.cluster->name.value].tunnels++;
    } else if (t.a.cluster != nullptr) {
      rows[t.a.cluster->name.value].tunnels++;
    }
  }
  for (const auto& f : summary.files) {
    rows[f.group].files.push_back(&f);
  }
  return rows;
}

// A partial run's other effects on the folder, so nothing changes unannounced.
void print_tree_changes(const render::GenerateSummary& summary, bool dry_run) {
  auto list = [](const std::vector<std::string>& paths) { return join_first(paths, 10); };
  std::vector<std::string> dependents;
  for (const auto& f : summary.files) {
    if (f.dependent) {
      dependents.push_back(f.path);
    }
  }
  if (!dependents.empty()) {
    fmt::print("{} {} script(s) not selected whose router the inventory change touched: {}\n",
               dry_run ? "would also rewrite" : "also rewrote", dependents.size(),
               list(dependents));
  }
  if (!summary.kept.empty()) {
    fmt::print("{} {} unchanged script(s) of other routers\n", dry_run ? "would keep" : "kept",
               summary.kept.size());
  }
  if (!summary.removed.empty()) {
    fmt::print("{} {} file(s) that no router of the inventory has: {}\n",
               dry_run ? "would remove" : "removed", summary.removed.size(), list(summary.removed));
  }
}

} // namespace

int run_generate(const GenerateCliOptions& options) {
  bool json = options.inventory.json();
  OpenedWorkspace opened = open_inventory(options.inventory);
  if (opened.error) {
    return fail(*opened.error, json);
  }
  const Workspace& ws = *opened.workspace;
  if (!ws.valid()) {
    print_diagnostics(ws.diagnostics);
    if (json) {
      print_json({{"ok", false}, {"diagnostics", to_json(ws.diagnostics)}});
    }
    fmt::print(stderr, "{}: invalid inventory, nothing generated\n", inventory_label(opened));
    return exit_code_for(ws.diagnostics);
  }
  if (!json) {
    print_diagnostics(ws.diagnostics);
    print_lock_news(opened);
  }
  std::optional<std::filesystem::path> created;
  auto key = master_key_for(opened, options.key_file, &created);
  if (!key) {
    return fail(key.error(), json);
  }
  if (created) {
    fmt::print(stderr, "created a new master key for the bundled inventory at {} (mode 0600)\n",
               created->string());
  }
  render::RenderInput input{ws.inventory, ws.tunnels, ws.allocation.lock, *key,
                            revision_of(opened)};
  render::GenerateOptions gen{options.out, options.customers, options.devices,
                              options.inventory.dry_run};
  auto summary = render::generate(input, gen);
  if (!summary) {
    return fail(summary.error(), json);
  }
  auto rows = group_rows(ws, *summary);
  if (json) {
    nlohmann::json groups = nlohmann::json::array();
    for (const auto& [name, row] : rows) {
      nlohmann::json files = nlohmann::json::array();
      for (const auto* f : row.files) {
        files.push_back({{"path", f->path},
                         {"device", f->device},
                         {"routeros", f->routeros},
                         {"tunnels", f->tunnels},
                         {"bytes", f->bytes},
                         {"dependent", f->dependent}});
      }
      groups.push_back({{"name", name},
                        {"kind", row.kind},
                        {"devices", row.devices},
                        {"tunnels", row.tunnels},
                        {"files", files}});
    }
    print_json({{"ok", true},
                {"inventory", opened.path.path.generic_string()},
                {"revision", input.revision ? nlohmann::json(*input.revision) : nullptr},
                {"out", summary->out.generic_string()},
                {"dry_run", options.inventory.dry_run},
                {"groups", groups},
                {"files", summary->files.size()},
                {"bytes", summary->bytes},
                {"kept", summary->kept},
                {"removed", summary->removed}});
    return kExitOk;
  }
  Table table({"GROUP", "KIND", "DEVICES", "TUNNELS", "FILES"});
  for (const auto& [name, row] : rows) {
    if (!row.files.empty()) {
      table.add({name, row.kind, std::to_string(row.devices), std::to_string(row.tunnels),
                 std::to_string(row.files.size())});
    }
  }
  table.print(stdout);
  fmt::print("{} {} file(s), {} bytes, to {}\n",
             options.inventory.dry_run ? "would write" : "wrote", summary->files.size(),
             summary->bytes, summary->out.generic_string());
  print_tree_changes(*summary, options.inventory.dry_run);
  return kExitOk;
}

int run_check(const CheckCliOptions& options) {
  bool json = options.format == "json";
  auto report = mesh::check_tree(options.out);
  if (!report) {
    return fail(report.error(), json);
  }
  if (json) {
    nlohmann::json problems = nlohmann::json::array();
    for (const auto& p : report->problems) {
      problems.push_back({{"file", p.file}, {"tunnel", p.tunnel}, {"message", p.message}});
    }
    print_json({{"ok", report->ok()},
                {"out", options.out},
                {"files", report->files},
                {"tunnels", report->tunnels},
                {"one_sided", report->one_sided},
                {"routeros_minimums", report->minimums},
                {"import_work", report->import_work},
                {"problems", problems}});
  } else {
    for (const auto& p : report->problems) {
      fmt::print(stderr, "{}: {}{}\n", p.file, p.tunnel.empty() ? "" : "tunnel " + p.tunnel + ": ",
                 p.message);
    }
    std::vector<std::string> minimums;
    for (const auto& [release, count] : report->minimums) {
      minimums.push_back(fmt::format("RouterOS {} or later ({} file(s))", release, count));
    }
    fmt::print("{}: {} file(s), {} tunnel(s) checked, {} with one end outside the set: {}\n",
               options.out, report->files, report->tunnels, report->one_sided,
               report->ok() ? "consistent" : fmt::format("{} problem(s)", report->problems.size()));
    if (!minimums.empty()) {
      fmt::print("each script ran in the strict simulator on the release it needs: {}\n",
                 fmt::join(minimums, ", "));
    }
  }
  return report->ok() ? kExitOk : kExitInvalid;
}

} // namespace vpnaas::cli
