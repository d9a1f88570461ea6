#pragma once

// Checkpoints an ACS store's WAL on a thread and SQLite connection of its
// own. Internal to vpnaas_acs.

#include <vpnaas/core/error.hpp>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>

#include "sqlite_db.hpp"

namespace vpnaas::acs::sqlite {

// SQLite's auto-checkpoint runs inside the commit that takes the WAL past
// 1,000 pages, on the writer's connection, and a checkpoint waits for two
// fsyncs. The server's one connection commits with the store's lock held,
// so every session waited for those fsyncs: under 100 CPEs the server's io
// threads blocked on the disk about 500 times a second, all of them in
// checkpoints (`perf record -e sched:sched_switch`). Here the writer only
// says how large the WAL is; the copying and the fsyncs happen beside it.
class Checkpointer {
public:
  // WAL sizes, in pages: past the first the thread copies what it can
  // without holding up the writer (PASSIVE); a writer that never pauses
  // leaves it no moment at which the whole WAL is copied, so the WAL would
  // never start over and would grow without bound. Past the second the
  // thread therefore takes the writer's lock for the rest (FULL): a pause
  // of the writer for a short copy and the fsyncs, once per that many pages
  // rather than in every commit past 1,000.
  static constexpr int kBackgroundPages = 1000;
  static constexpr int kFullPages = 4000;

  // Opens a second connection to `path`, whose FULL checkpoints wait up to
  // `busy_timeout` for the writer; starts the thread.
  static Result<std::unique_ptr<Checkpointer>> start(const std::filesystem::path& path,
                                                     std::chrono::milliseconds busy_timeout);
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;
  // Stops the thread after the checkpoint in progress, if any.
  ~Checkpointer();

  // From the writer's WAL hook, with the store's lock held: never waits for
  // the disk, only wakes the thread.
  void wal_grew(int pages);

private:
  explicit Checkpointer(std::unique_ptr<Db> db);
  void loop();

  std::unique_ptr<Db> m_db;
  std::mutex m_mutex;
  std::condition_variable m_wake;
  bool m_due = false;
  bool m_stop = false;
  std::thread m_thread;
};

} // namespace vpnaas::acs::sqlite
