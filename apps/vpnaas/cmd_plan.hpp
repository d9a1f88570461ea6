#pragma once

// `vpnaas plan`: what applying the head revision would change, per router. The options CLI11 fills
// (cli_plan.cpp) and the functions that run the command with them, apart so that this part compiles
// without CLI11.

#include <optional>
#include <string>

#include "options.hpp"

namespace vpnaas::cli {

struct PlanCliOptions {
  InventoryOptions inventory;
  std::string base = "HEAD";
  std::optional<std::string> head;
  bool summary = false;
};

int run_plan(const PlanCliOptions& options);

} // namespace vpnaas::cli
