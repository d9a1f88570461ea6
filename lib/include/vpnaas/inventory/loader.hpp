#pragma once

#include <vpnaas/core/diagnostic.hpp>
#include <vpnaas/inventory/model.hpp>

#include <filesystem>
#include <optional>

namespace vpnaas::inventory {

// The file next to vpnaas.yaml that pins host keys (see PinnedKnownHosts).
inline constexpr const char* kKnownHostsFileName = "known_hosts";

// Reads every file of an inventory folder (vpnaas.yaml, clusters/*.yaml,
// customers/*.yaml, known_hosts) strictly: YAML syntax, unknown keys (with a suggestion),
// types, required keys, address syntax and name syntax. Every problem is added
// to `diags` with its file, line and column; loading goes on after an error so
// that one run reports them all. Returns the model when the files could be read
// at all, even with errors (callers check diags.has_errors() before using it);
// nullopt when the folder itself is unusable (missing vpnaas.yaml, not a folder).
std::optional<Inventory> load_inventory(const std::filesystem::path& root, Diagnostics& diags);

// Same, from in-memory files: `files` maps a path relative to the inventory
// root ("customers/acme.yaml") to its contents. Used for git revisions and tests.
std::optional<Inventory> load_inventory_from(const std::filesystem::path& display_root,
                                             const std::map<std::string, std::string>& files,
                                             Diagnostics& diags);

} // namespace vpnaas::inventory
