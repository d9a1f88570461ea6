#pragma once

// Options and output shared by the commands that read an inventory.

#include <vpnaas/core/diagnostic.hpp>
#include <vpnaas/git/tree.hpp>
#include <vpnaas/topology/allocation.hpp>
#include <vpnaas/workspace/inventory_path.hpp>
#include <vpnaas/workspace/workspace.hpp>

#include <memory>
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

InventoryPath inventory_path(const InventoryOptions& options);

struct OpenedWorkspace {
  InventoryPath path;
  std::optional<std::string> rev;       // --rev as given
  std::optional<std::string> commit;    // the commit --rev resolved to
  std::unique_ptr<Workspace> workspace; // null when the lock check failed
  std::optional<Error> error;           // lock out of date, or lock write failure
};

// Opens the inventory folder, or with --rev the folder as committed at that
// revision (the lock is then read from the same commit and never written).
OpenedWorkspace open_inventory(const InventoryOptions& options);

// The inventory as messages name it: "inventory", or "inventory at HEAD~1
// (commit 8e3fb39de6b5)" with --rev.
std::string inventory_label(const OpenedWorkspace& opened);

// {"inventory": path} plus "rev" and "commit" with --rev: where a JSON
// document's data comes from.
nlohmann::json source_json(const OpenedWorkspace& opened);

// What the rendered scripts' header names as the inventory revision: the
// commit of --rev, else HEAD of the folder's repository (with "-dirty").
std::optional<std::string> revision_of(const OpenedWorkspace& opened);

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
