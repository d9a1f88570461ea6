#pragma once

#include <string>
#include <vector>

namespace vpnaas::git {

struct ProcessOutput {
  bool started = false; // false when the program could not be run (not installed)
  int exit_status = -1; // exit code, or -1 when killed by a signal
  std::string out;
  std::string err;
  bool ok() const { return started && exit_status == 0; }
};

// `text` without trailing newlines: git ends every answer with one.
std::string without_trailing_newlines(std::string text);

// Runs `program` with `args` (found on PATH, no shell) in a reduced
// environment (see passed_to_git in process.cpp: no SSH password, no master
// key), feeds it `input` on stdin and collects stdout and stderr. One poll loop drives all three
// pipes, so a child that writes much output while we still write its input cannot deadlock us.
ProcessOutput run_process(const std::string& program, const std::vector<std::string>& args,
                          const std::string& input = {});

} // namespace vpnaas::git
