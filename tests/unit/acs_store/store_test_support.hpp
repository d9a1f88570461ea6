#pragma once

#include <vpnaas/acs/sqlite_store.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <memory>

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

} // namespace vpnaas::test
