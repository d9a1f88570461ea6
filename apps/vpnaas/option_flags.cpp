#include "option_flags.hpp"

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

void add_lock_options(CLI::App* cmd, InventoryOptions& options) {
  cmd->add_flag("--locked", options.locked,
                "Fail with exit code 3 if vpnaas.lock would change (for CI)");
  cmd->add_flag("--dry-run", options.dry_run, "Do not write an updated vpnaas.lock");
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
                  "known_hosts file to check host keys against (default: ~/.ssh/known_hosts)");
  cmd->add_flag("--accept-new-host-keys", options.accept_new_host_keys,
                "Record the key of a host seen for the first time; a changed key is still refused");
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

} // namespace vpnaas::cli
