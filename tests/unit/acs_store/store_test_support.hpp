#pragma once

#include <vpnaas/acs/sqlite_store.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <sqlite3.h>
#include <string>

namespace vpnaas::test {

// The fixed "now" of the store's and the task rules' tests.
inline const acs::TimePoint kNow = acs::TimePoint(std::chrono::seconds(1'800'000'000));

inline std::unique_ptr<acs::Store> open_store(const std::filesystem::path& path,
                                              const acs::SqliteStoreOptions& options = {}) {
  auto store = acs::open_sqlite_store(path, options);
  REQUIRE_MESSAGE(store.ok(), (store.ok() ? std::string() : to_string(store.error())));
  return std::move(*store);
}

template <class T>
T must(Result<T> result) {
  REQUIRE_MESSAGE(result.ok(), (result.ok() ? std::string() : to_string(result.error())));
  return std::move(*result);
}

// Runs one SQL query returning one text value on a separate connection, as
// an operator would inspect the file.
inline std::string query_text(const std::filesystem::path& path, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
  std::string out;
  if (sqlite3_step(stmt) == SQLITE_ROW) {
    const unsigned char* text = sqlite3_column_text(stmt, 0);
    out = text != nullptr ? reinterpret_cast<const char*>(text) : "";
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return out;
}

} // namespace vpnaas::test
