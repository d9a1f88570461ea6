#pragma once

// The options several commands share, declared on a CLI11 command. Only the
// files that declare options include CLI11: it instantiates its validators in
// every translation unit that includes it (about 9 s of compile each).

#include <CLI/CLI.hpp>

#include "options.hpp"
#include "ssh_options.hpp"

namespace vpnaas::cli {

// --inventory DIR alone (plan names its revisions with --base/--head).
void add_inventory_folder_option(CLI::App* cmd, InventoryOptions& options);
// --inventory DIR, --rev REV and --format text|json.
void add_inventory_options(CLI::App* cmd, InventoryOptions& options);
// --locked, --dry-run and --allow-mass-removal, for commands that may update the lock file.
void add_lock_options(CLI::App* cmd, InventoryOptions& options);
// --format text|json only.
void add_format_option(CLI::App* cmd, std::string& format);
// --allow-mass-removal alone (apply declares its own --dry-run and --locked).
void add_mass_removal_option(CLI::App* cmd, InventoryOptions& options);
// --known-hosts, --accept-new-host-keys, --identity, --connect-timeout,
// --command-timeout, --password-env.
void add_ssh_options(CLI::App* cmd, SshCliOptions& options);

} // namespace vpnaas::cli
