#include "sqlite_checkpointer.hpp"

#include <utility>

namespace vpnaas::acs::sqlite {

Result<std::unique_ptr<Checkpointer>> Checkpointer::start(const std::filesystem::path& path,
                                                          std::chrono::milliseconds busy_timeout) {
  auto db = Db::open(path);
  if (!db) {
    return db.error();
  }
  (*db)->set_busy_timeout(busy_timeout);
  // A connection that has not read the file yet does not know it is in WAL
  // mode: its checkpoints would do nothing and report -1 frames.
  if (auto read = (*db)->exec("PRAGMA journal_mode=WAL"); !read) {
    return read.error();
  }
  return std::unique_ptr<Checkpointer>(new Checkpointer(std::move(*db)));
}

Checkpointer::Checkpointer(std::unique_ptr<Db> db) : m_db(std::move(db)) {
  m_thread = std::thread([this] { loop(); });
}

Checkpointer::~Checkpointer() {
  {
    std::lock_guard lock(m_mutex);
    m_stop = true;
  }
  m_wake.notify_one();
  m_thread.join();
}

void Checkpointer::wal_grew(int pages) {
  if (pages < kBackgroundPages) {
    return;
  }
  {
    std::lock_guard lock(m_mutex);
    if (m_due) {
      return;
    }
    m_due = true;
  }
  m_wake.notify_one();
}

void Checkpointer::loop() {
  std::unique_lock lock(m_mutex);
  for (;;) {
    m_wake.wait(lock, [this] { return m_stop || m_due; });
    if (m_stop) {
      return;
    }
    m_due = false;
    lock.unlock();
    // A failure is not the writer's to report: its commits are durable in
    // the WAL (synchronous=NORMAL), and the next commit past the threshold
    // asks again.
    auto frames = m_db->checkpoint(Db::Checkpoint::passive);
    if (frames && *frames >= kFullPages) {
      (void)m_db->checkpoint(Db::Checkpoint::full);
    }
    lock.lock();
  }
}

} // namespace vpnaas::acs::sqlite
