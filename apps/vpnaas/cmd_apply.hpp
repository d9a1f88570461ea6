#pragma once

// `vpnaas apply`: push each selected router's script over SSH. The options CLI11 fills
// (cli_apply.cpp) and the functions that run the command with them, apart so that this part
// compiles without CLI11.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "options.hpp"
#include "ssh_options.hpp"

namespace vpnaas::cli {

struct ApplyCliOptions {
  InventoryOptions inventory;
  SshCliOptions ssh;
  std::string via = "ssh";
  std::vector<std::string> devices;
  std::vector<std::string> customers;
  std::size_t parallel = 10;
  std::optional<std::string> backup_dir; // default: apply::default_backup_folder()
  std::size_t keep_backups = 5;
  double lock_wait_seconds = 60;
  std::optional<std::string> key_file;
  std::optional<std::string> changed_since;
};

int run_apply(const ApplyCliOptions& options);

} // namespace vpnaas::cli
