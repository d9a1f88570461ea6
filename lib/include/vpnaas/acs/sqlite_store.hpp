#pragma once

#include <vpnaas/acs/store.hpp>

#include <filesystem>
#include <memory>

namespace vpnaas::acs {

struct SqliteStoreOptions {
  std::size_t max_upload_bytes = 16 * 1024 * 1024;        // one file
  std::size_t max_device_upload_bytes = 64 * 1024 * 1024; // all of one device's files
  int busy_timeout_ms = 5000;
  // Every commit with synchronous=FULL (an fsync each), so that a power
  // loss undoes none; by default only the claims of non-idempotent tasks are.
  bool full_sync = false;
  // Checkpoints the WAL on a thread and connection of its own instead of
  // inside the commit that takes it past 1,000 pages, whose fsyncs would
  // hold up every caller of the store. For a long-running server (`acs
  // serve`); a short-lived opener keeps SQLite's own auto-checkpoint.
  bool background_checkpoint = false;
};

// The schema version this build writes; migrations bring older files up to it.
inline constexpr int kStoreSchemaVersion = 4;

// Opens (creating if needed) the SQLite store at `path`, in WAL mode with
// synchronous=NORMAL (see full_sync), and migrates its schema. Fails with io when the file
// cannot be opened or written, environment when it was written by a newer
// vpnaas (a schema version this one does not know).
Result<std::unique_ptr<Store>> open_sqlite_store(const std::filesystem::path& path,
                                                 const SqliteStoreOptions& options = {});

} // namespace vpnaas::acs
