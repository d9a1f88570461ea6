#include <vpnaas/apply/backup_folder.hpp>

#include "cmd_apply.hpp"
#include "commands.hpp"
#include "option_flags.hpp"

namespace vpnaas::cli {

void set_apply_command(CLI::App& app, Context& context) {
  auto options = std::make_shared<ApplyCliOptions>();
  CLI::App* cmd = app.add_subcommand(
      "apply", "Push each selected router's rendered script to it and import it");
  add_inventory_options(cmd, options->inventory);
  cmd->add_option("--via", options->via,
                  "ssh, or cwmp to queue each script on the ACS as a .alter Download; default: "
                  "each device's `management:` in the inventory, else ssh")
      ->check(CLI::IsMember({"ssh", "cwmp"}));
  cmd->add_option("--device", options->devices,
                  "Only this device (repeatable); with --customer, only the devices named here "
                  "among that customer's routers");
  cmd->add_option("--customer", options->customers,
                  "Only this customer's routers and its cluster's (repeatable)");
  cmd->add_option("--parallel", options->parallel, "Routers worked on at the same time")
      ->check(CLI::Range(1, 1000))
      ->default_str("10");
  add_dry_run_option(cmd, options->inventory.dry_run,
                     "Show what would be applied; contact no router and write no lock file");
  cmd->add_flag("--locked", options->inventory.locked,
                "Fail with exit code 3 if vpnaas.lock would change (for CI)");
  add_mass_removal_option(cmd, options->inventory);
  cmd->add_option("--backup-dir", options->backup_dir,
                  "Where each router's configuration is saved before the change, in a folder "
                  "per router; refused inside a git work tree unless git ignores it")
      ->default_str(apply::kDefaultBackupFolderText);
  cmd->add_option("--keep-backups", options->keep_backups,
                  "Backups kept on each router (vpnaas-backup-<run id>.rsc, this run's "
                  "included); older ones are deleted after a successful import")
      ->check(CLI::Range(1, 1000))
      ->default_str("5");
  cmd->add_option("--lock-wait", options->lock_wait_seconds,
                  "Seconds to wait for a router locked by another vpnaas apply before failing "
                  "it")
      ->check(CLI::Range(0.0, 86400.0))
      ->default_str("60");
  add_key_file_option(cmd, options->key_file);
  cmd->add_option("--changed-since", options->changed_since,
                  "Only routers whose configuration differs from the inventory at this git "
                  "revision (as `vpnaas plan --base REV` shows); combines with --device and "
                  "--customer");
  add_ssh_options(cmd, options->ssh);
  add_acs_endpoint_option(cmd, options->acs);
  add_acs_wait_option(cmd, options->wait, kDefaultApplyWait,
                      "for every CWMP router's confirmation (its TransferComplete); without "
                      "--wait, a queued script counts as sent, not applied");
  add_help_footer(cmd,
                  "0 every selected router applied (CWMP routers: queued, or with --wait "
                  "confirmed), 1 invalid inventory, or a router failed or "
                  "the outcome of its import is unknown, 2 "
                  "usage or unknown customer or device, 3 --locked and vpnaas.lock would change, "
                  "4 no usable master key, an I/O error, a backup folder git would commit, or the "
                  "ACS cannot be reached, 5 --wait ran out with CWMP routers still queued",
                  {"vpnaas apply --via ssh --dry-run",
                   "vpnaas apply --via ssh --changed-since origin/main --parallel 20",
                   "vpnaas apply --customer acme --wait 600"});
  cmd->callback([&context, options] { context.exit_code = run_apply(*options); });
}

} // namespace vpnaas::cli
