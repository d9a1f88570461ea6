// The /import of the test routers behind a real sshd (tests/data/ssh/
// fake-routeros.sh): runs a script in the strict RouterOS simulator on the
// router's state and prints what RouterOS prints, so the SSH tests exercise
// the same simulator as `mesh check`.
//
// Usage: fake_router_import STATE_DIR SCRIPT
// The router's state is every script it imported successfully before
// (STATE_DIR/imported/, oldest first), replayed on an empty router of the
// release in STATE_DIR/routeros-version, or, without that file, of the
// release the script says it needs. A failed import leaves the state as it
// was: the replay does not model what a real router keeps of a script that
// stopped halfway.
// A script that succeeds is kept as STATE_DIR/imported/<nanoseconds>.rsc
// (one process fewer per import than a `cp` in the shell script).
// Output and exit status: what the script's `:put` statements print, then
// "Script file loaded and executed successfully", and 0 (RouterOS prints
// `:put` output during an /import before that line: luqasz/librouteros
// issue #228 shows a console import doing so); or "Script Error: <message> (line N column M)", the
// shape RouterOS prints for a failing /import (lib/data/routeros/SOURCES.md cites it), and 3.
#include <vpnaas/routeros/reader.hpp>
#include <vpnaas/routeros/simulator.hpp>
#include <vpnaas/routeros/version.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace {

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

// RouterOS's shape: "Script Error: <what> (line N column M)". The simulator
// says "line N:M: <what>".
std::string router_error(const std::string& message) {
  if (message.rfind("line ", 0) == 0) {
    auto colon = message.find(": ");
    std::string where = message.substr(5, colon - 5);
    auto sep = where.find(':');
    if (colon != std::string::npos && sep != std::string::npos) {
      return "Script Error: " + message.substr(colon + 2) + " (line " + where.substr(0, sep) +
             " column " + where.substr(sep + 1) + ")";
    }
  }
  return "Script Error: " + message;
}

// Runs one script on the router; an error message, empty on success. What
// its `:put` statements printed goes to `printed`.
std::string run(const std::string& text, vpnaas::routeros::Router& router,
                std::vector<std::string>* printed = nullptr) {
  auto read = vpnaas::routeros::read_script(text);
  if (!read.ok()) {
    const auto& e = read.errors.front();
    return "line " + vpnaas::routeros::to_string(e.pos) + ": " + e.message;
  }
  auto stats = vpnaas::routeros::run_script(read.commands, router);
  if (stats.ok() && printed != nullptr) {
    *printed = stats->printed;
  }
  return stats.ok() ? std::string() : stats.error().message;
}

} // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: fake_router_import STATE_DIR SCRIPT\n";
    return 2;
  }
  const std::filesystem::path state = argv[1];
  const std::string script = slurp(argv[2]);
  std::optional<vpnaas::routeros::Version> version;
  if (std::filesystem::exists(state / "routeros-version")) {
    version = vpnaas::routeros::parse_version(trimmed(slurp(state / "routeros-version")));
  } else {
    version = vpnaas::routeros::declared_minimum(script);
  }
  vpnaas::routeros::Router router(version.value_or(vpnaas::routeros::oldest_supported(7)));
  std::vector<std::filesystem::path> before;
  if (std::filesystem::is_directory(state / "imported")) {
    for (const auto& entry : std::filesystem::directory_iterator(state / "imported")) {
      before.push_back(entry.path());
    }
  }
  std::sort(before.begin(), before.end());
  for (const auto& path : before) {
    if (std::string why = run(slurp(path), router); !why.empty()) {
      std::cout << "Script Error: the fake router's state does not replay: " << why << "\r\n";
      return 3;
    }
  }
  std::vector<std::string> printed;
  if (std::string why = run(script, router, &printed); !why.empty()) {
    std::cout << router_error(why) << "\r\n";
    return 3;
  }
  const auto now = std::chrono::duration_cast<std::chrono::nanoseconds>(
      std::chrono::system_clock::now().time_since_epoch());
  std::error_code failed;
  std::filesystem::copy_file(argv[2], state / "imported" / (std::to_string(now.count()) + ".rsc"),
                             failed);
  if (failed) {
    std::cerr << "fake_router_import: cannot keep the imported script: " << failed.message()
              << "\n";
    return 1;
  }
  for (const auto& line : printed) {
    std::cout << line << "\r\n";
  }
  std::cout << "\r\nScript file loaded and executed successfully\r\n";
  return 0;
}
