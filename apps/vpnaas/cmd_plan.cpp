#include <vpnaas/plan/diff.hpp>

#include <fmt/format.h>

#include <cstdlib>
#include <unistd.h>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "options.hpp"
#include "plan_output.hpp"
#include "plan_sides.hpp"

namespace vpnaas::cli {
namespace {

struct PlanCliOptions {
  InventoryOptions inventory;
  std::string base = "HEAD";
  std::optional<std::string> head;
  bool summary = false;
};

nlohmann::json side_json(const OpenedWorkspace& side) {
  if (side.rev && side.commit) {
    return {{"rev", *side.rev}, {"commit", *side.commit}, {"working_tree", false}};
  }
  return {{"rev", nullptr}, {"commit", nullptr}, {"working_tree", true}};
}

int run_plan(const PlanCliOptions& options) {
  const bool json = options.inventory.json();
  OpenedWorkspace base = open_side(options.inventory, options.base);
  if (int code = check_side(base, "base", json); code != kExitOk) {
    return code;
  }
  OpenedWorkspace head = open_side(options.inventory, options.head);
  if (int code = check_side(head, "head", json); code != kExitOk) {
    return code;
  }
  if (!json) {
    print_lock_news(head);
  }
  const std::string from = side_label(base);
  const std::string to = side_label(head);

  PlanTextOptions text;
  text.summary_only = options.summary;
  text.color = isatty(STDOUT_FILENO) != 0 && std::getenv("NO_COLOR") == nullptr;
  PlanTextPrinter printer(stdout, text);
  if (!json) {
    fmt::print("plan for {}: {} -> {}\n", base.path.path.generic_string(), from, to);
  }
  // Text streams router by router; JSON is one document, so it is collected.
  bool changes = false;
  nlohmann::json devices = nlohmann::json::array();
  std::size_t counts[4] = {0, 0, 0, 0}; // by DeviceDiff::Status
  auto walked = plan::diff_each_device(
      *base.workspace, *head.workspace, [&](plan::DeviceDiff&& diff) -> Status {
        changes = changes || diff.status != plan::DeviceDiff::Status::unchanged;
        ++counts[static_cast<int>(diff.status)];
        if (json) {
          nlohmann::json device = to_json(diff);
          // --summary: the per-router counts, as in text, without the items.
          if (options.summary) {
            device.erase("items");
          }
          devices.push_back(std::move(device));
        } else {
          printer.device(diff);
        }
        return Ok{};
      });
  if (!walked) {
    return fail(walked.error(), json);
  }
  if (json) {
    print_json({{"ok", true},
                {"inventory", base.path.path.generic_string()},
                {"base", side_json(base)},
                {"head", side_json(head)},
                {"changes", changes},
                {"routers",
                 {{"unchanged", counts[0]},
                  {"changed", counts[1]},
                  {"added", counts[2]},
                  {"removed", counts[3]}}},
                {"devices", std::move(devices)}});
  } else {
    printer.finish(from, to);
  }
  return changes ? kExitChanges : kExitOk;
}

} // namespace

void set_plan_command(CLI::App& app, Context& context) {
  auto options = std::make_shared<PlanCliOptions>();
  CLI::App* cmd = app.add_subcommand(
      "plan", "Show, router by router, the managed items a change of the inventory adds, changes "
              "and removes. Exit codes: 0 no change, 10 changes to apply, 1 an inventory is "
              "invalid or a revision unknown, 3 --locked and the lock is out of date");
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
  cmd->callback([&context, options] { context.exit_code = run_plan(*options); });
}

} // namespace vpnaas::cli
