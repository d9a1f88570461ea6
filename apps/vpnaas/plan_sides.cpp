#include "plan_sides.hpp"

#include <fmt/format.h>

#include "exit_codes.hpp"

namespace vpnaas::cli {

OpenedWorkspace open_side(const InventoryOptions& options, const std::optional<std::string>& rev,
                          const git::RevisionOption& rev_option) {
  return vpnaas::open_inventory(side_request(open_request(options), rev, rev_option));
}

std::string side_label(const OpenedWorkspace& side) {
  if (side.rev && side.commit) {
    return fmt::format("{} (commit {})", *side.rev, git::short_commit(*side.commit));
  }
  return "the working tree";
}

int check_side(const OpenedWorkspace& side, const std::string& role, bool json) {
  if (side.error) {
    return fail(*side.error, json);
  }
  const Diagnostics& diags = side.workspace->diagnostics;
  if (!json) {
    print_diagnostics(diags);
  }
  if (side.workspace->valid()) {
    return kExitOk;
  }
  if (json) {
    print_json({{"ok", false},
                {"side", role},
                {"inventory", inventory_label(side)},
                {"diagnostics", to_json(diags)}});
  } else {
    fmt::print(stderr, "{}: the {} inventory is invalid ({} error{}); nothing compared\n",
               inventory_label(side), role, diags.error_count(),
               diags.error_count() == 1 ? "" : "s");
  }
  return exit_code_for(diags);
}

} // namespace vpnaas::cli
