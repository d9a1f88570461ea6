#pragma once

// The options several commands share, declared on a CLI11 command. Only the
// files that declare options include CLI11: it instantiates its validators in
// every translation unit that includes it (about 9 s of compile each).

#include <CLI/CLI.hpp>

#include <initializer_list>
#include <optional>
#include <string>

#include "options.hpp"
#include "ssh_options.hpp"

namespace vpnaas::cli {

// --inventory DIR alone (plan names its revisions with --base/--head).
void add_inventory_folder_option(CLI::App* cmd, InventoryOptions& options);
// --inventory DIR, --rev REV and --format text|json.
void add_inventory_options(CLI::App* cmd, InventoryOptions& options);
// --locked, --dry-run and --allow-mass-removal, for commands that may update the lock file.
void add_lock_options(CLI::App* cmd, InventoryOptions& options,
                      const std::string& dry_run_help = "Do not write an updated vpnaas.lock");
// --format text|json only.
void add_format_option(CLI::App* cmd, std::string& format);
// --allow-mass-removal alone (apply declares its own --dry-run and --locked).
void add_mass_removal_option(CLI::App* cmd, InventoryOptions& options);
// --known-hosts, --accept-new-host-keys, --identity, --connect-timeout,
// --command-timeout, --password-env.
void add_ssh_options(CLI::App* cmd, SshCliOptions& options);

// --key-file PATH for commands that derive pre-shared keys; the help names
// the real default (the same answer as `vpnaas key path`).
void add_key_file_option(CLI::App* cmd, std::optional<std::string>& key_file);
// --dry-run with a help text saying what the command leaves unwritten.
void add_dry_run_option(CLI::App* cmd, bool& dry_run, const std::string& help);

// --acs SOCKET|DIR|URL: where the ACS's management API is.
void add_acs_endpoint_option(CLI::App* cmd, std::optional<std::string>& acs);
// --wait [SECONDS] for tasks queued on the ACS: set when given, 0 when given
// without a value (the command's default wait). `wait` must outlive parsing.
void add_acs_wait_option(CLI::App* cmd, std::optional<double>& wait, double default_seconds,
                         const std::string& help);

// Ends a leaf command's --help with the exit codes it can return and examples.
void add_help_footer(CLI::App* cmd, const std::string& exit_codes,
                     std::initializer_list<const char*> examples);

} // namespace vpnaas::cli
