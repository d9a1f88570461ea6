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

} // namespace

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

} // namespace vpnaas::cli
