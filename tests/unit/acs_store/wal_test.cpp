// How the store's connection meets SQLite's locks and checkpoints: another
// process's write lock is waited for, and a server's store checkpoints its
// WAL on a thread of its own.

#include <vpnaas/acs/sqlite_store.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <sqlite3.h>
#include <string>
#include <thread>

#include "store_test_support.hpp"
#include "support/paths.hpp"

using namespace vpnaas::acs;
using vpnaas::ErrorCode;
using vpnaas::test::kNow;
using vpnaas::test::must;
using vpnaas::test::open_store;
using vpnaas::test::query_text;
using vpnaas::test::TempDir;
using Steady = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

NewTask rpc_methods_for(const std::string& serial) {
  NewTask t;
  t.serial = serial;
  t.kind = TaskKind::get_rpc_methods;
  return t;
}

// A connection of its own that holds the write lock, as another process (a
// `vpnaas` command, the load tool) does.
class OtherConnection {
public:
  explicit OtherConnection(const std::filesystem::path& path) {
    REQUIRE(sqlite3_open(path.c_str(), &m_db) == SQLITE_OK);
  }
  ~OtherConnection() { sqlite3_close(m_db); }
  OtherConnection(const OtherConnection&) = delete;
  OtherConnection& operator=(const OtherConnection&) = delete;
  int exec(const char* sql) { return sqlite3_exec(m_db, sql, nullptr, nullptr, nullptr); }

private:
  sqlite3* m_db = nullptr;
};

std::uintmax_t size_of(const std::filesystem::path& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  return ec ? 0 : size;
}

} // namespace

TEST_CASE("ACS store: another connection's write lock is waited for, up to the busy timeout") {
  TempDir dir;
  const auto path = dir.path() / "acs.db";
  SqliteStoreOptions options;
  options.busy_timeout_ms = 3000;
  auto store = open_store(path, options);
  OtherConnection other(path);

  SUBCASE("released in time: the write goes through once it is free") {
    REQUIRE(other.exec("BEGIN IMMEDIATE") == SQLITE_OK);
    std::thread release([&] {
      std::this_thread::sleep_for(200ms);
      other.exec("COMMIT");
    });
    const auto began = Steady::now();
    auto queued = store->enqueue(rpc_methods_for("W1"), kNow);
    const auto waited = Steady::now() - began;
    release.join();
    REQUIRE_MESSAGE(queued.ok(), (queued.ok() ? "" : to_string(queued.error())));
    CHECK(waited >= 150ms);
    CHECK(query_text(path, "SELECT COUNT(*) FROM tasks WHERE serial = 'W1'") == "1");
  }

  SUBCASE("held past the timeout: an io error that says another process holds the lock") {
    SqliteStoreOptions impatient;
    impatient.busy_timeout_ms = 100;
    auto quick = open_store(path, impatient);
    REQUIRE(other.exec("BEGIN IMMEDIATE") == SQLITE_OK);
    const auto began = Steady::now();
    auto queued = quick->enqueue(rpc_methods_for("W2"), kNow);
    const auto waited = Steady::now() - began;
    other.exec("ROLLBACK");
    REQUIRE_FALSE(queued.ok());
    CHECK(queued.error().code == ErrorCode::io);
    CHECK(queued.error().hint.find("holds the store's write lock") != std::string::npos);
    CHECK(waited >= 100ms);
    CHECK(waited < 2s);
  }
}

TEST_CASE("ACS store: a server's store checkpoints its WAL beside the writer, which never "
          "stops long enough for a whole copy") {
  TempDir dir;
  const auto path = dir.path() / "acs.db";
  const auto wal = std::filesystem::path(path.string() + "-wal");
  SqliteStoreOptions options;
  options.background_checkpoint = true;
  auto store = open_store(path, options);
  const auto page = std::stoul(query_text(path, "PRAGMA page_size"));
  const auto database_before = size_of(path);

  // Without a checkpoint every frame stays in the WAL: 3,000 commits of a
  // task and its history row made a WAL of 94 MB (about 23,000 frames) when
  // the checkpointer's connection had not yet read the file and so did
  // nothing; the bound below is 64 MB.
  constexpr int kCommits = 3000;
  for (int i = 0; i < kCommits; ++i) {
    REQUIRE(store->enqueue(rpc_methods_for("C" + std::to_string(i % 50)), kNow).ok());
  }
  // The copy into the database file is the checkpointer's: the writer's
  // connection has no auto-checkpoint (the WAL hook replaces it).
  const auto give_up = Steady::now() + 20s;
  while (size_of(path) <= database_before && Steady::now() < give_up) {
    std::this_thread::sleep_for(20ms);
  }
  CHECK(size_of(path) > database_before);
  // The WAL started over: it never held more than a few FULL thresholds.
  INFO("WAL file ", size_of(wal), " bytes, page ", page);
  CHECK(size_of(wal) < 4 * 4000 * page);
  store.reset();
  CHECK(query_text(path, "PRAGMA integrity_check") == "ok");
  CHECK(query_text(path, "SELECT COUNT(*) FROM tasks") == std::to_string(kCommits));
}
