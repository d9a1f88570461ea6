#include "cmd_plan.hpp"

#include <vpnaas/plan/diff.hpp>

#include <fmt/format.h>

#include <cstdlib>
#include <unistd.h>

#include "exit_codes.hpp"
#include "options.hpp"
#include "plan_output.hpp"
#include "plan_sides.hpp"

namespace vpnaas::cli {
namespace {

nlohmann::json side_json(const OpenedWorkspace& side) {
  if (side.rev && side.commit) {
    return {{"rev", *side.rev}, {"commit", *side.commit}, {"working_tree", false}};
  }
  return {{"rev", nullptr}, {"commit", nullptr}, {"working_tree", true}};
}

// plan has no way around git: both sides are revisions unless --head is left
// out, so the hints cannot offer to drop an option.
git::RevisionOption plan_rev_option(const char* flag) {
  git::RevisionOption option;
  option.flag = flag;
  option.outside_git_hint =
      "plan compares git revisions (--base, HEAD unless given, with --head or the working "
      "tree), so the inventory folder must be inside a git work tree: run vpnaas in a clone "
      "of the inventory's repository, or use `vpnaas inventory validate` to check a folder "
      "without git";
  option.no_git_hint = "install it (apt-get install git): plan reads --base and --head from git";
  return option;
}

} // namespace

int run_plan(const PlanCliOptions& options) {
  const bool json = options.inventory.json();
  OpenedWorkspace base = open_side(options.inventory, options.base, plan_rev_option("--base"));
  if (int code = check_side(base, "base", json); code != kExitOk) {
    return code;
  }
  OpenedWorkspace head = open_side(options.inventory, options.head, plan_rev_option("--head"));
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

} // namespace vpnaas::cli
