#pragma once

// A thin RAII layer over the SQLite C API for the ACS store: a connection with
// a cache of prepared statements, statements bound by position, and an
// IMMEDIATE transaction that rolls back unless committed.

#include <vpnaas/core/error.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace vpnaas::acs::sqlite {

class Db;

// A cached prepared statement in use; reset when it goes out of scope so the
// next user finds it clean.
class Statement {
public:
  Statement(Db& db, sqlite3_stmt* stmt) : m_db(&db), m_stmt(stmt) {}
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement(Statement&& other) noexcept : m_db(other.m_db), m_stmt(other.m_stmt) {
    other.m_stmt = nullptr;
  }
  ~Statement();

  // Binds parameters 1, 2, ... in order; nullopt binds NULL.
  Statement& bind(std::int64_t value);
  Statement& bind(int value) { return bind(static_cast<std::int64_t>(value)); }
  Statement& bind(std::string_view text);
  Statement& bind(const std::string& text) { return bind(std::string_view(text)); }
  Statement& bind(const char* text) { return bind(std::string_view(text)); }
  Statement& bind(std::optional<std::int64_t> value);
  Statement& bind_blob(std::string_view bytes);

  // Steps once: true with a row to read, false when done; io on failure.
  Result<bool> step();
  // Steps to the end (for statements that return no rows).
  Status run();

  std::int64_t integer(int column) const;
  std::optional<std::int64_t> optional_integer(int column) const;
  std::string text(int column) const;

private:
  Db* m_db;
  sqlite3_stmt* m_stmt;
  int m_next = 1;
};

class Db {
public:
  // Opens or creates the file; io naming the path on failure.
  static Result<std::unique_ptr<Db>> open(const std::filesystem::path& path);
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  ~Db();

  // A statement from the cache, prepared on first use.
  Result<Statement> prepare(const std::string& sql);
  // Runs SQL without parameters (pragmas, schema).
  Status exec(const std::string& sql);
  std::int64_t last_insert_id() const;
  int changes() const;
  // Calls `committed` after each commit with the WAL's size in pages. It
  // replaces SQLite's auto-checkpoint on this connection, which would
  // otherwise run inside the commit that crosses its threshold. Null
  // restores no hook at all (and no auto-checkpoint).
  void on_wal_commit(std::function<void(int pages)> committed);
  // One checkpoint; returns the frames in the WAL. PASSIVE copies what it
  // can without waiting for any lock, so writers on other connections go
  // on; FULL waits for the writer's lock (through the busy handler) and
  // holds it while it copies the rest, after which the next writer starts
  // the WAL from its beginning again.
  enum class Checkpoint { passive, full };
  Result<int> checkpoint(Checkpoint mode);
  // How long a statement waits for a lock another process holds before it
  // fails with SQLITE_BUSY (instead of PRAGMA busy_timeout, see on_busy).
  void set_busy_timeout(std::chrono::milliseconds timeout);

  // An io error naming the store file, what failed and SQLite's message.
  Error error(std::string_view what) const;
  const std::filesystem::path& path() const { return m_path; }

private:
  Db(sqlite3* handle, std::filesystem::path path) : m_handle(handle), m_path(std::move(path)) {}
  static int wal_hook(void* self, sqlite3* handle, const char* schema, int pages);
  static int on_busy(void* self, int count);
  sqlite3* m_handle;
  std::chrono::milliseconds m_busy_timeout{0};
  std::chrono::steady_clock::time_point m_busy_since;
  std::function<void(int)> m_wal_committed;
  std::filesystem::path m_path;
  std::unordered_map<std::string, sqlite3_stmt*> m_statements;
};

// BEGIN IMMEDIATE (Mode::write): the write lock is taken up front, so two
// processes never both read a queue head and then fight to update it.
// Mode::read: BEGIN DEFERRED, several reads on one snapshot and one lock.
class Transaction {
public:
  enum class Mode { write, read };
  explicit Transaction(Db& db, Mode mode = Mode::write) : m_db(db), m_mode(mode) {}
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();
  Status begin();
  Status commit();

private:
  // BEGIN, COMMIT and ROLLBACK as cached statements: parsed once, not at
  // every one of the store's transactions.
  Status run(const char* sql);

  Db& m_db;
  Mode m_mode;
  bool m_open = false;
};

} // namespace vpnaas::acs::sqlite
