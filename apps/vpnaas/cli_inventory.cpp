#include "cmd_inventory.hpp"
#include "commands.hpp"
#include "option_flags.hpp"

namespace vpnaas::cli {

void set_inventory_command(CLI::App& app, Context& context) {
  CLI::App* group = app.add_subcommand("inventory", "Check and inspect the inventory");
  group->require_subcommand(1);

  auto validate_options = std::make_shared<InventoryOptions>();
  CLI::App* validate =
      group->add_subcommand("validate", "Check every file of the inventory and update vpnaas.lock");
  add_inventory_options(validate, *validate_options);
  add_lock_options(validate, *validate_options);
  add_help_footer(validate,
                  "0 valid, 1 invalid (or more than half of the lock's tunnels would go), 2 "
                  "usage, 3 --locked and vpnaas.lock would change, 4 unreadable files",
                  {"vpnaas inventory validate --locked            # in CI",
                   "vpnaas inventory validate -i examples/hub-and-spoke --format json"});
  validate->callback(
      [&context, validate_options] { context.exit_code = run_validate(*validate_options); });

  auto show_options = std::make_shared<ShowOptions>();
  CLI::App* show = group->add_subcommand(
      "show", "Print the tunnel table: customer, both ends, transit subnet and addresses");
  add_inventory_options(show, show_options->inventory);
  add_lock_options(show, show_options->inventory);
  show->add_option("--customer", show_options->customers, "Only these customers (repeatable)");
  show->add_flag("--settings", show_options->settings,
                 "After the tunnel table, every device's effective settings and where each "
                 "was chosen (always in --format json)");
  show->add_flag("--show-secrets", show_options->show_secrets,
                 "Add each tunnel's pre-shared key (needs the master key)");
  add_key_file_option(show, show_options->key_file);
  add_help_footer(show,
                  "0 shown, 1 invalid inventory, 2 usage or unknown customer, 3 --locked and "
                  "vpnaas.lock would change, 4 unreadable files or (--show-secrets) no usable "
                  "master key",
                  {"vpnaas inventory show --customer acme", "vpnaas inventory show --settings"});
  show->callback([&context, show_options] { context.exit_code = run_show(*show_options); });

  auto prune_options = std::make_shared<InventoryOptions>();
  CLI::App* prune = group->add_subcommand(
      "prune", "Forget the transit subnets vpnaas.lock keeps for removed tunnels (retired), so "
               "that their tunnels get fresh ones if they return");
  add_inventory_folder_option(prune, *prune_options);
  add_format_option(prune, prune_options->format);
  prune->add_flag("--dry-run", prune_options->dry_run, "Show what would be dropped; write nothing");
  add_mass_removal_option(prune, *prune_options);
  add_help_footer(prune, "0 done, 1 invalid inventory, 2 usage, 4 the lock cannot be written",
                  {"vpnaas inventory prune --dry-run", "vpnaas inventory prune"});
  prune->callback([&context, prune_options] { context.exit_code = run_prune(*prune_options); });
}

} // namespace vpnaas::cli
