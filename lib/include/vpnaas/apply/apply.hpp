#pragma once

#include <vpnaas/inventory/model.hpp>
#include <vpnaas/transport/ssh/options.hpp>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace vpnaas::apply {

// One router to configure: where it is and the RouterOS script it must import.
struct Target {
  std::string device;
  inventory::SshTarget ssh;
  std::string script;
};

// The steps of one device's apply, in order.
enum class Stage { queued, connect, host_key, authenticate, backup, upload, import, cleanup, done };

// "connect", "host-key", ... as shown in tables and JSON.
const char* to_string(Stage stage);

struct DeviceResult {
  std::string device;
  std::string endpoint; // user@host:port
  bool ok = false;
  bool dry_run = false;
  Stage failed_stage = Stage::done; // where it stopped; done when ok
  std::string message;              // what happened, for people
  std::string hint;                 // what to do about a failure
  int failed_line = 0;              // import failures: 1-based line of the script
  std::chrono::milliseconds duration{0};
  std::filesystem::path backup; // local copy of the configuration before the change
  int attempts = 0;             // connection attempts made
};

// One step of one device, reported as it happens.
struct Progress {
  std::size_t index = 0; // position in the target list
  const Target* target = nullptr;
  Stage stage = Stage::queued;          // the step starting now; done when finished
  int attempt = 1;                      // connection attempt, from 1
  const DeviceResult* result = nullptr; // set when stage == done
};

struct Options {
  transport::ssh::SshOptions ssh;
  std::size_t parallel = 10;                  // devices worked on at the same time (at least 1)
  bool dry_run = false;                       // report what would happen, contact no device
  int connect_attempts = 3;                   // retries are for connection failures only
  std::chrono::milliseconds retry_delay{500}; // doubles after each failed attempt
  // Local backups go to <backup_dir>/<device>/; backup_folder() gives the
  // user's state folder and refuses one git could commit.
  std::filesystem::path backup_dir;
  std::string remote_script = "vpnaas-apply.rsc";
  std::string remote_backup = "vpnaas-before-apply"; // RouterOS adds ".rsc"
  // Called from the worker threads, never two calls at once.
  std::function<void(const Progress&)> on_progress;
};

// Applies every target: connect (retried with backoff), check the host key,
// authenticate, save a backup, upload the script, import it, remove it. A
// failing device never stops the others. Returns one result per target, in
// the order of `targets`; never fails as a whole.
std::vector<DeviceResult> apply(const std::vector<Target>& targets, const Options& options);

} // namespace vpnaas::apply
