#include "sqlite_db.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <sqlite3.h>
#include <thread>

namespace vpnaas::acs::sqlite {

Statement::~Statement() {
  if (m_stmt != nullptr) {
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
  }
}

Statement& Statement::bind(std::int64_t value) {
  sqlite3_bind_int64(m_stmt, m_next++, value);
  return *this;
}

Statement& Statement::bind(std::string_view text) {
  sqlite3_bind_text(m_stmt, m_next++, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::bind(std::optional<std::int64_t> value) {
  if (value) {
    return bind(*value);
  }
  sqlite3_bind_null(m_stmt, m_next++);
  return *this;
}

Statement& Statement::bind_blob(std::string_view bytes) {
  sqlite3_bind_blob(m_stmt, m_next++, bytes.data(), static_cast<int>(bytes.size()),
                    SQLITE_TRANSIENT);
  return *this;
}

Result<bool> Statement::step() {
  const int rc = sqlite3_step(m_stmt);
  if (rc == SQLITE_ROW) {
    return true;
  }
  if (rc == SQLITE_DONE) {
    return false;
  }
  return m_db->error("running a statement");
}

Status Statement::run() {
  for (;;) {
    auto row = step();
    if (!row) {
      return row.error();
    }
    if (!*row) {
      return Ok{};
    }
  }
}

std::int64_t Statement::integer(int column) const {
  return sqlite3_column_int64(m_stmt, column);
}

std::optional<std::int64_t> Statement::optional_integer(int column) const {
  if (sqlite3_column_type(m_stmt, column) == SQLITE_NULL) {
    return std::nullopt;
  }
  return integer(column);
}

std::string Statement::text(int column) const {
  // Blob access works for text and blob columns alike and keeps embedded NULs.
  const void* data = sqlite3_column_blob(m_stmt, column);
  const int size = sqlite3_column_bytes(m_stmt, column);
  return data == nullptr
             ? std::string()
             : std::string(static_cast<const char*>(data), static_cast<std::size_t>(size));
}

Result<std::unique_ptr<Db>> Db::open(const std::filesystem::path& path) {
  sqlite3* handle = nullptr;
  const int rc =
      sqlite3_open_v2(path.c_str(), &handle,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = handle != nullptr ? sqlite3_errmsg(handle) : sqlite3_errstr(rc);
    sqlite3_close(handle);
    return make_error(ErrorCode::io,
                      fmt::format("cannot open the ACS store {}: {}", path.string(), message),
                      "check that the data folder exists and is writable by this user");
  }
  sqlite3_extended_result_codes(handle, 1);
  return std::unique_ptr<Db>(new Db(handle, path));
}

void Db::on_wal_commit(std::function<void(int pages)> committed) {
  m_wal_committed = std::move(committed);
  sqlite3_wal_hook(m_handle, m_wal_committed ? &Db::wal_hook : nullptr, this);
}

int Db::wal_hook(void* self, sqlite3* /*handle*/, const char* /*schema*/, int pages) {
  static_cast<Db*>(self)->m_wal_committed(pages);
  return SQLITE_OK;
}

void Db::set_busy_timeout(std::chrono::milliseconds timeout) {
  m_busy_timeout = timeout;
  sqlite3_busy_handler(m_handle, timeout.count() > 0 ? &Db::on_busy : nullptr, this);
}

// SQLite's own busy_timeout sleeps 1 ms at the first conflict, then 2, 5,
// 10 ms and on. The ACS's connection waits with the store's lock held, so
// every session waits with it, while another process's commit (a `vpnaas`
// command's, the load tool's) is over in tens of microseconds: sleeps from
// 50 us, doubling up to 2 ms, get the lock back sooner.
int Db::on_busy(void* self, int count) {
  auto& db = *static_cast<Db*>(self);
  const auto now = std::chrono::steady_clock::now();
  if (count == 0) {
    db.m_busy_since = now;
  } else if (now - db.m_busy_since >= db.m_busy_timeout) {
    return 0;
  }
  const auto wait = std::min<std::chrono::microseconds>(
      std::chrono::microseconds(50 << std::min(count, 6)), std::chrono::milliseconds(2));
  std::this_thread::sleep_for(wait);
  return 1;
}

Result<int> Db::checkpoint(Checkpoint mode) {
  int frames = 0;
  const int rc = sqlite3_wal_checkpoint_v2(m_handle, nullptr,
                                           mode == Checkpoint::full ? SQLITE_CHECKPOINT_FULL
                                                                    : SQLITE_CHECKPOINT_PASSIVE,
                                           &frames, nullptr);
  // BUSY: another connection is checkpointing, or (FULL) the writer kept its
  // lock past the busy timeout; what was copied is as good.
  if (rc != SQLITE_OK && (rc & 0xff) != SQLITE_BUSY) {
    return error("checkpoint the WAL");
  }
  return frames;
}

Db::~Db() {
  for (auto& [sql, stmt] : m_statements) {
    sqlite3_finalize(stmt);
  }
  sqlite3_close(m_handle);
}

Result<Statement> Db::prepare(const std::string& sql) {
  auto found = m_statements.find(sql);
  if (found == m_statements.end()) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(m_handle, sql.c_str(), static_cast<int>(sql.size()),
                           SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK) {
      return error("preparing a statement");
    }
    found = m_statements.emplace(sql, stmt).first;
  }
  return Statement(*this, found->second);
}

Status Db::exec(const std::string& sql) {
  char* message = nullptr;
  if (sqlite3_exec(m_handle, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    sqlite3_free(message);
    return error("setting up the database");
  }
  return Ok{};
}

std::int64_t Db::last_insert_id() const {
  return sqlite3_last_insert_rowid(m_handle);
}

int Db::changes() const {
  return sqlite3_changes(m_handle);
}

Error Db::error(std::string_view what) const {
  const int code = sqlite3_extended_errcode(m_handle);
  std::string hint = "check the data folder's disk space and permissions";
  if ((code & 0xff) == SQLITE_BUSY) {
    hint = "another process holds the store's write lock for too long";
  } else if ((code & 0xff) == SQLITE_CORRUPT || (code & 0xff) == SQLITE_NOTADB) {
    hint = "the file is not an intact ACS store: restore it from a backup or move it away";
  }
  return make_error(
      ErrorCode::io,
      fmt::format("ACS store {}: {} failed: {}", m_path.string(), what, sqlite3_errmsg(m_handle)),
      hint);
}

Transaction::~Transaction() {
  if (m_open) {
    // A rollback that fails leaves SQLite to roll back on the next open.
    (void)run("ROLLBACK");
  }
}

Status Transaction::run(const char* sql) {
  auto statement = m_db.prepare(sql);
  if (!statement) {
    return statement.error();
  }
  if (auto ran = statement->run(); !ran) {
    return m_db.error(sql);
  }
  return Ok{};
}

Status Transaction::begin() {
  auto begun = run(m_mode == Mode::write ? "BEGIN IMMEDIATE" : "BEGIN");
  m_open = begun.ok();
  return begun;
}

Status Transaction::commit() {
  auto committed = run("COMMIT");
  if (committed.ok()) {
    m_open = false;
  }
  return committed;
}

} // namespace vpnaas::acs::sqlite
