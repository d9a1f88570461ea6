#pragma once

// Opening the two inventories a diff compares (`plan`, `apply --changed-since`).

#include <optional>
#include <string>

#include "options.hpp"

namespace vpnaas::cli {

// The inventory of `options` at `rev` (nullopt: the working tree), read-only:
// the lock is never written. `locked` is kept for the working tree only, since
// a lock committed out of date is history, not something to fix now.
// `rev_option` names the option `rev` came from in messages.
OpenedWorkspace open_side(const InventoryOptions& options, const std::optional<std::string>& rev,
                          const git::RevisionOption& rev_option);

// "HEAD~1 (commit 8e3fb39de6b5)" or "the working tree".
std::string side_label(const OpenedWorkspace& side);

// Reports an unusable side ("base", "head", or "REV" for --changed-since):
// its error, or its diagnostics when invalid; then returns the exit code.
// Returns kExitOk, printing only warnings, when the side is usable.
int check_side(const OpenedWorkspace& side, const std::string& role, bool json);

} // namespace vpnaas::cli
