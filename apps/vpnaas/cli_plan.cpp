#include "cmd_plan.hpp"
#include "commands.hpp"
#include "option_flags.hpp"

namespace vpnaas::cli {

void set_plan_command(CLI::App& app, Context& context) {
  auto options = std::make_shared<PlanCliOptions>();
  CLI::App* cmd = app.add_subcommand(
      "plan", "Show, router by router, the managed items a change of the inventory adds, changes "
              "and removes");
  add_inventory_folder_option(cmd, options->inventory);
  cmd->add_option("--base", options->base,
                  "Git revision to compare from: what the routers have now")
      ->default_str("HEAD");
  cmd->add_option("--head", options->head,
                  "Git revision to compare to (default: the working tree, uncommitted edits "
                  "included)");
  cmd->add_flag("--summary", options->summary, "One line per router, without the items");
  cmd->add_flag("--locked", options->inventory.locked,
                "Fail with exit code 3 if the working tree's vpnaas.lock is out of date");
  add_format_option(cmd, options->inventory.format);
  add_help_footer(cmd,
                  "0 no change, 10 changes to apply, 1 an inventory is invalid or a revision "
                  "unknown, 2 usage, 3 --locked and the lock is out of date, 4 git missing or an "
                  "I/O error",
                  {"vpnaas plan                          # HEAD against the working tree",
                   "vpnaas plan --base origin/main --head HEAD --summary --format json"});
  cmd->callback([&context, options] { context.exit_code = run_plan(*options); });
}

} // namespace vpnaas::cli
