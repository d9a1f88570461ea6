#pragma once

#include <vpnaas/transport/ssh/endpoint.hpp>
#include <vpnaas/transport/ssh/options.hpp>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vpnaas::apply {

// One router to configure: where it is and the RouterOS script it must import.
struct Target {
  std::string device;
  transport::ssh::Endpoint ssh;
  std::string script;
};

// The steps of one device's apply, in order.
enum class Stage {
  queued,
  connect,
  host_key,
  authenticate,
  lock,
  backup,
  upload,
  import,
  cleanup,
  done
};

// "connect", "host-key", ... as shown in tables and JSON.
const char* to_string(Stage stage);

// What an apply did to one router.
enum class Outcome {
  applied, // the import ran to its end (RouterOS's success line and the script's end marker)
  failed,  // stopped: before the import (nothing changed) or at a line RouterOS rejected
  unknown, // the import may have run partly or wholly: the router may be partly changed
};

// "applied", "failed", "unknown", as JSON output shows them.
const char* to_string(Outcome outcome);

struct DeviceResult {
  std::string device;
  std::string endpoint; // user@host:port
  bool ok = false;      // every step worked, or a dry run
  // What the import did; applied with ok == false when only the cleanup
  // failed. A dry run says applied too (the CLI shows none).
  Outcome outcome = Outcome::failed;
  bool dry_run = false;
  Stage failed_stage = Stage::done; // where it stopped; done when ok
  std::string message;              // what happened, for people
  std::string hint;                 // what to do about a failure
  int failed_line = 0;              // import failures: 1-based line of the script
  std::chrono::milliseconds duration{0};
  std::filesystem::path backup; // local copy of the configuration before the change
  std::string remote_backup;    // the same on the router ("vpnaas-backup-<run id>.rsc")
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
  // Names this run's files on the routers and holds their locks; empty:
  // apply() makes one with make_run_id(revision).
  std::string run_id;
  std::optional<std::string> revision; // the inventory revision applied, for messages
  // The command line that applies one device again, for the hints of failed
  // and unknown imports (the CLI fills it); empty: "run the apply again".
  std::function<std::string(const std::string& device)> reapply_command;
  // Backups of earlier runs kept on each router after a successful import
  // (this run's included); older vpnaas-backup-* files are deleted.
  std::size_t keep_backups = 5;
  // How long to wait for another run's lock on a router before failing.
  std::chrono::milliseconds lock_wait{60'000};
  // A lock removes itself this long after it was taken (a run that died
  // cannot block a router for longer).
  std::chrono::seconds lock_expiry{900};
  // Called from the worker threads, never two calls at once.
  std::function<void(const Progress&)> on_progress;
};

// "<UTC time>-<revision, 7 characters>-<4 random hex digits>", e.g.
// "20250131T101500Z-3f2a9c1-7b0e" (without the revision part when there is
// none): letters, digits and `-` only, and sorting by name sorts by time.
std::string make_run_id(const std::optional<std::string>& revision);

// The names a run uses on the routers.
std::string remote_script_name(std::string_view run_id); // "vpnaas-apply-<run id>.rsc"
std::string remote_backup_name(std::string_view run_id); // "vpnaas-backup-<run id>" (+ ".rsc")
// The statement appended to the uploaded script and the line it prints.
std::string end_marker(std::string_view run_id); // "vpnaas:done:<run id>"

// Applies every target: connect (retried with backoff), check the host key,
// authenticate, take the router's apply lock, save a backup, upload the
// script (with a last statement printing end_marker()), import it, remove it,
// delete backups beyond keep_backups, release the lock. A failing device
// never stops the others. Returns one result per target, in the order of
// `targets`; never fails as a whole.
std::vector<DeviceResult> apply(const std::vector<Target>& targets, const Options& options);

} // namespace vpnaas::apply
