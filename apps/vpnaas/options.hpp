#pragma once

// Options and output shared by the commands that read an inventory.

#include <vpnaas/core/diagnostic.hpp>
#include <vpnaas/git/tree.hpp>
#include <vpnaas/topology/allocation.hpp>
#include <vpnaas/workspace/open.hpp>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace vpnaas::cli {

struct InventoryOptions {
  std::optional<std::string> inventory;
  std::optional<std::string> rev; // read the inventory as committed at this git revision
  git::RevisionOption rev_option; // how the command names `rev`, for its messages
  std::string format = "text";
  bool locked = false;
  bool dry_run = false;
  bool allow_mass_removal = false;

  bool json() const { return format == "json"; }
};

// The library's request for the inventory these options name (the bundled
// inventory's path filled in).
OpenRequest open_request(const InventoryOptions& options);

// Opens the inventory folder, or with --rev the folder as committed at that
// revision (the lock is then read from the same commit and never written).
OpenedWorkspace open_inventory(const InventoryOptions& options);

// {"inventory": path} plus "rev" and "commit" with --rev: where a JSON
// document's data comes from.
nlohmann::json source_json(const OpenedWorkspace& opened);

// Prints diagnostics and lock news for people on stderr.
void print_diagnostics(const Diagnostics& diags);
void print_lock_news(const OpenedWorkspace& opened);
void print_error(const Error& error);
// Reports `error` (as {"ok": false, "error": {...}} on stdout with `json`, else
// on stderr) and returns the exit code for it.
int fail(const Error& error, bool json);

nlohmann::json to_json(const Diagnostic& d);
nlohmann::json to_json(const Diagnostics& diags);
nlohmann::json to_json(const topology::LockChange& change);

// Prints JSON on stdout (pretty, one document).
void print_json(const nlohmann::json& document);

} // namespace vpnaas::cli
