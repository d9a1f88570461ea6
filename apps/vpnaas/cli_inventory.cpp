#include "cmd_inventory.hpp"
#include "commands.hpp"
#include "option_flags.hpp"

namespace vpnaas::cli {

void set_inventory_command(CLI::App& app, Context& context) {
  CLI::App* group = app.add_subcommand("inventory", "Check and inspect the inventory");
  group->require_subcommand(1);

  auto validate_options = std::make_shared<InventoryOptions>();
  CLI::App* validate = group->add_subcommand(
      "validate", "Check every file of the inventory and update vpnaas.lock. Exit codes: 0 valid, "
                  "1 invalid, 2 usage, 3 lock out of date (--locked)");
  add_inventory_options(validate, *validate_options);
  add_lock_options(validate, *validate_options);
  validate->callback(
      [&context, validate_options] { context.exit_code = run_validate(*validate_options); });

  auto show_options = std::make_shared<ShowOptions>();
  CLI::App* show = group->add_subcommand(
      "show", "Print the tunnel table (customer, both ends, transit subnet and addresses), then "
              "each device's settings and where each one comes from");
  add_inventory_options(show, show_options->inventory);
  add_lock_options(show, show_options->inventory);
  show->add_option("--customer", show_options->customers, "Only these customers (repeatable)");
  show->add_flag("--settings", show_options->settings,
                 "After the tunnel table, every device's effective settings and where each "
                 "was chosen (always in --format json)");
  show->add_flag("--show-secrets", show_options->show_secrets,
                 "Add each tunnel's pre-shared key (needs the master key)");
  show->add_option("--key-file", show_options->key_file,
                   "Master key file (default: $VPNAAS_MASTER_KEY, else ~/.config/vpnaas/)");
  show->callback([&context, show_options] { context.exit_code = run_show(*show_options); });

  auto prune_options = std::make_shared<InventoryOptions>();
  CLI::App* prune = group->add_subcommand(
      "prune", "Forget the transit subnets vpnaas.lock keeps for removed tunnels (retired), so "
               "that their tunnels get fresh ones if they return. Exit codes: 0 done, 1 invalid "
               "inventory, 2 usage, 4 the lock cannot be written");
  add_inventory_folder_option(prune, *prune_options);
  add_format_option(prune, prune_options->format);
  prune->add_flag("--dry-run", prune_options->dry_run, "Show what would be dropped; write nothing");
  add_mass_removal_option(prune, *prune_options);
  prune->callback([&context, prune_options] { context.exit_code = run_prune(*prune_options); });
}

} // namespace vpnaas::cli
