#include "option_flags.hpp"

#include <fmt/format.h>

#include <memory>

namespace vpnaas::cli {

void add_inventory_folder_option(CLI::App* cmd, InventoryOptions& options) {
  cmd->add_option("--inventory,-i", options.inventory,
                  "Inventory folder (default: $VPNAAS_INVENTORY, else the bundled inventory)");
}

void add_inventory_options(CLI::App* cmd, InventoryOptions& options) {
  add_inventory_folder_option(cmd, options);
  cmd->add_option("--rev", options.rev,
                  "Read the inventory and its lock as committed at this git revision "
                  "(commit, branch, tag, HEAD~1); the working tree is not touched");
  add_format_option(cmd, options.format);
}

void add_lock_options(CLI::App* cmd, InventoryOptions& options, const std::string& dry_run_help) {
  cmd->add_flag("--locked", options.locked,
                "Fail with exit code 3 if vpnaas.lock would change (for CI)");
  add_dry_run_option(cmd, options.dry_run, dry_run_help);
  add_mass_removal_option(cmd, options);
}

void add_mass_removal_option(CLI::App* cmd, InventoryOptions& options) {
  cmd->add_flag("--allow-mass-removal", options.allow_mass_removal,
                "Accept an inventory that removes more than half of the tunnels vpnaas.lock "
                "records (otherwise an error: a missing customers/ folder looks the same)");
}

void add_format_option(CLI::App* cmd, std::string& format) {
  cmd->add_option("--format", format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->default_str("text");
}

void add_ssh_options(CLI::App* cmd, SshCliOptions& options) {
  cmd->add_option("--known-hosts", options.known_hosts,
                  "known_hosts file to check host keys against (default: "
                  "$XDG_STATE_HOME/vpnaas/known_hosts, else ~/.local/state/vpnaas/known_hosts); "
                  "hosts pinned in the inventory are checked against their pins instead");
  cmd->add_flag("--accept-new-host-keys", options.accept_new_host_keys,
                "Record the key of a host seen for the first time; a changed key, or one that "
                "differs from an inventory pin, is still refused");
  cmd->add_option("--identity", options.identity,
                  "Private key file (default: ssh-agent, then ~/.ssh/id_*)");
  cmd->add_option("--connect-timeout", options.connect_timeout,
                  "Seconds allowed to connect and complete the SSH handshake")
      ->check(CLI::PositiveNumber)
      ->default_str("10");
  cmd->add_option("--command-timeout", options.command_timeout,
                  "Seconds allowed for each remote command or file transfer")
      ->check(CLI::PositiveNumber)
      ->default_str("120");
  cmd->add_option("--password-env", options.password_env,
                  "Environment variable holding an SSH password, tried after public keys")
      ->default_str("VPNAAS_SSH_PASSWORD");
}

void add_key_file_option(CLI::App* cmd, std::optional<std::string>& key_file) {
  cmd->add_option("--key-file", key_file,
                  "Master key file. Without it: $VPNAAS_MASTER_KEY if set, else "
                  "$XDG_CONFIG_HOME/vpnaas/master.key (~/.config/...; bundled-inventory.key for "
                  "the bundled inventory). `vpnaas key path` names the one in use");
}

void add_dry_run_option(CLI::App* cmd, bool& dry_run, const std::string& help) {
  cmd->add_flag("--dry-run", dry_run, help);
}

void add_acs_endpoint_option(CLI::App* cmd, std::optional<std::string>& acs) {
  cmd->add_option(
      "--acs", acs,
      "The ACS's management API: a Unix socket, the data dir given to `vpnaas acs serve --data "
      "DIR` (its DIR/acs.sock), or an http(s) URL (bearer token from $VPNAAS_ACS_TOKEN); default "
      "$VPNAAS_ACS, else $XDG_STATE_HOME/vpnaas/acs/acs.sock");
}

void add_acs_wait_option(CLI::App* cmd, std::optional<double>& wait, double default_seconds,
                         const std::string& help) {
  auto text = std::make_shared<std::string>();
  CLI::Option* option =
      cmd->add_option("--wait", *text,
                      fmt::format("Wait up to SECONDS (default {}) {}", default_seconds, help))
          ->expected(0, 1);
  cmd->parse_complete_callback([&wait, text, option] {
    if (option->count() == 0) {
      return;
    }
    if (text->empty()) {
      wait = 0;
      return;
    }
    double seconds = 0;
    if (!CLI::detail::lexical_cast(*text, seconds) || !(seconds > 0)) {
      throw CLI::ValidationError("--wait", "SECONDS must be a positive number, not " + *text);
    }
    wait = seconds;
  });
}

void add_help_footer(CLI::App* cmd, const std::string& exit_codes,
                     std::initializer_list<const char*> examples) {
  std::string text = "\nExit codes: " + exit_codes + " (the README's table)\nExamples:";
  for (const char* example : examples) {
    text += "\n  ";
    text += example;
  }
  cmd->footer(text);
}

} // namespace vpnaas::cli
