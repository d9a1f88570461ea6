#pragma once

#include <map>
#include <string>
#include <vector>

namespace vpnaas::test {

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs a program with arguments (no shell), optional extra environment
// variables and working directory; captures stdout and stderr separately.
RunResult run(const std::vector<std::string>& argv,
              const std::map<std::string, std::string>& env = {}, const std::string& cwd = {},
              const std::string& stdin_text = {});

// The built `vpnaas` binary.
std::string cli_path();

// Runs the built `vpnaas` binary with `args`.
RunResult run_cli(const std::vector<std::string>& args,
                  const std::map<std::string, std::string>& env = {}, const std::string& cwd = {});

} // namespace vpnaas::test
