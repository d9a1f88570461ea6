#include "options.hpp"

#include <vpnaas/git/tree.hpp>

#include <fmt/format.h>

#include <array>
#include <cstdio>

#include "bundled_inventory.hpp"
#include "exit_codes.hpp"

namespace vpnaas::cli {

OpenRequest open_request(const InventoryOptions& options) {
  OpenRequest request;
  request.inventory = options.inventory;
  request.bundled = bundled_inventory();
  request.rev = options.rev;
  request.rev_option = options.rev_option;
  request.locked = options.locked;
  request.write_lock = !options.dry_run;
  request.allow_mass_removal = options.allow_mass_removal;
  return request;
}

OpenedWorkspace open_inventory(const InventoryOptions& options) {
  return vpnaas::open_inventory(open_request(options));
}

nlohmann::json source_json(const OpenedWorkspace& opened) {
  nlohmann::json doc{{"inventory", opened.path.path.generic_string()}};
  if (opened.rev && opened.commit) {
    doc["rev"] = *opened.rev;
    doc["commit"] = *opened.commit;
  }
  return doc;
}

void print_diagnostics(const Diagnostics& diags) {
  for (const auto& d : diags.sorted()) {
    fmt::print(stderr, "{}\n", format_diagnostic(d));
  }
}

void print_lock_news(const OpenedWorkspace& opened) {
  if (!opened.workspace || opened.workspace->allocation.changes.empty()) {
    return;
  }
  const auto& changes = opened.workspace->allocation.changes;
  using Kind = topology::LockChange::Kind;
  std::array<std::size_t, 5> count{};
  for (const auto& c : changes) {
    ++count[static_cast<std::size_t>(c.kind)];
  }
  std::string counts = fmt::format("{} added, {} removed, {} moved", count[0], count[1], count[2]);
  if (count[3] + count[4] > 0) {
    counts += fmt::format(", {} restored, {} retired subnet(s) dropped", count[3], count[4]);
  }
  if (opened.rev) {
    fmt::print(stderr, "{}:{} is out of date ({}); using the allocation computed in memory\n",
               *opened.rev, (opened.path.path / topology::kLockFileName).generic_string(), counts);
  } else {
    fmt::print(stderr, "{} {}: {}\n",
               opened.workspace->lock_written ? "updated" : "would update (dry run)",
               (opened.path.path / topology::kLockFileName).generic_string(), counts);
  }
  // Additions are the normal case; everything else deserves its reason on screen.
  for (const auto& c : changes) {
    if (c.kind != Kind::added || !c.reason.empty()) {
      fmt::print(stderr, "  {}\n", topology::describe(c));
    }
  }
}

void print_error(const Error& error) {
  fmt::print(stderr, "vpnaas: {}\n", to_string(error));
}

int fail(const Error& error, bool json) {
  if (json) {
    print_json({{"ok", false},
                {"error",
                 {{"code", error_code_name(error.code)},
                  {"message", error.message},
                  {"hint", error.hint}}}});
  } else {
    print_error(error);
  }
  return exit_code_for(error.code);
}

nlohmann::json to_json(const Diagnostic& d) {
  return nlohmann::json{{"severity", d.severity == Severity::error ? "error" : "warning"},
                        {"file", d.where.file},
                        {"line", d.where.line},
                        {"column", d.where.column},
                        {"code", d.code},
                        {"message", d.message},
                        {"hint", d.hint}};
}

nlohmann::json to_json(const Diagnostics& diags) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& d : diags.sorted()) {
    list.push_back(to_json(d));
  }
  return list;
}

nlohmann::json to_json(const topology::LockChange& change) {
  nlohmann::json j{{"kind", topology::kind_name(change.kind)}, {"tunnel", change.tunnel_id}};
  j["before"] = change.before ? nlohmann::json(change.before->to_string()) : nlohmann::json();
  j["after"] = change.after ? nlohmann::json(change.after->to_string()) : nlohmann::json();
  if (!change.reason.empty()) {
    j["reason"] = change.reason;
  }
  return j;
}

void print_json(const nlohmann::json& document) {
  // replace: a hostile inventory may hold bytes that are not UTF-8; JSON output
  // must still be written, not abort with an exception.
  fmt::print("{}\n", document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
}

} // namespace vpnaas::cli
