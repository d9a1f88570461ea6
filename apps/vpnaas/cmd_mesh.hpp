#pragma once

// `vpnaas mesh generate|check`. The options CLI11 fills (cli_mesh.cpp) and
// the functions that run the command with them, apart so that this part
// compiles without CLI11.

#include <optional>
#include <string>
#include <vector>

#include "options.hpp"

namespace vpnaas::cli {

struct GenerateCliOptions {
  InventoryOptions inventory;
  std::string out = "out";
  std::vector<std::string> customers;
  std::vector<std::string> devices;
  std::optional<std::string> key_file;
};

struct CheckCliOptions {
  std::string out = "out";
  std::string format = "text";
};

int run_generate(const GenerateCliOptions& options);
int run_check(const CheckCliOptions& options);

} // namespace vpnaas::cli
