#pragma once

// Opening an inventory the way every command and the ACS server do: which
// folder, at which git revision, and which master key goes with it.

#include <vpnaas/core/error.hpp>
#include <vpnaas/git/tree.hpp>
#include <vpnaas/secrets/master_key.hpp>
#include <vpnaas/workspace/inventory_path.hpp>
#include <vpnaas/workspace/workspace.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace vpnaas {

struct OpenRequest {
  std::optional<std::string> inventory; // --inventory; else $VPNAAS_INVENTORY, else `bundled`
  std::filesystem::path bundled;        // the demo inventory shipped with the program
  std::optional<std::string> rev;       // read the folder as committed at this git revision
  git::RevisionOption rev_option;       // how the caller names `rev`, for its messages
  bool locked = false;                  // fail if the lock would change
  bool write_lock = true;               // write an updated lock (never with `rev`)
  bool allow_mass_removal = false;
};

struct OpenedWorkspace {
  InventoryPath path;
  std::optional<std::string> rev;       // the request's revision, once it resolved
  std::optional<std::string> commit;    // the commit `rev` resolved to
  std::unique_ptr<Workspace> workspace; // null when `error` is set
  std::optional<Error> error;           // git could not read `rev`, lock out of date, lock write
};

// Resolves the folder, reads it (or with `rev` its committed state, the lock
// then from the same commit and never written) and opens the workspace.
// Never throws: a failure is in `error`, inventory mistakes in the
// workspace's diagnostics.
OpenedWorkspace open_inventory(const OpenRequest& request);

// The request for one side of a comparison (`plan`, `apply --changed-since`):
// `base` at `rev` (nullopt: the working tree), read-only. `locked` is kept
// for the working tree only, since a lock committed out of date is history,
// not something to fix now; a mass removal is allowed, since a side only shows.
OpenRequest side_request(const OpenRequest& base, const std::optional<std::string>& rev,
                         const git::RevisionOption& rev_option);

// The inventory as messages name it: "inventory", or "inventory at HEAD~1
// (commit 8e3fb39de6b5)" for a revision.
std::string inventory_label(const OpenedWorkspace& opened);

// The inventory revision rendered scripts name: the commit of the revision
// read, else HEAD of the folder's repository (with "-dirty"); nullopt outside git.
std::optional<std::string> revision_of(const OpenedWorkspace& opened);

// Where the master key of the inventory `request` names comes from: the one
// answer `vpnaas key path|generate` and every command that loads a key share.
secrets::KeySource key_source_for(const OpenRequest& request,
                                  const std::optional<std::string>& key_file);

// The master key for an opened inventory, through key_source_for like every
// other command: `key_file`, else $VPNAAS_MASTER_KEY, else the default file
// (created for the bundled inventory; `created` then receives its path).
// Fails with missing_secret and a hint listing the ways to provide a key.
Result<secrets::MasterKey> master_key_for(const OpenedWorkspace& opened,
                                          const std::optional<std::string>& key_file,
                                          std::optional<std::filesystem::path>* created);

} // namespace vpnaas
