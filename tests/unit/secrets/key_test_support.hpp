#pragma once

#include <vpnaas/core/error.hpp>

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "support/paths.hpp"

namespace vpnaas::test {

// Sets or unsets environment variables for one test and restores the previous
// values afterwards, so the key lookup (which reads the environment) can be
// exercised without leaking state into the next test. std::nullopt unsets.
class ScopedEnv {
public:
  explicit ScopedEnv(const std::map<std::string, std::optional<std::string>>& values) {
    for (const auto& [name, value] : values) {
      const char* old = std::getenv(name.c_str());
      m_saved[name] = old != nullptr ? std::optional<std::string>(old) : std::nullopt;
      apply(name, value);
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;
  ~ScopedEnv() {
    for (const auto& [name, value] : m_saved) {
      apply(name, value);
    }
  }

private:
  static void apply(const std::string& name, const std::optional<std::string>& value) {
    if (value) {
      setenv(name.c_str(), value->c_str(), 1);
    } else {
      unsetenv(name.c_str());
    }
  }

  std::map<std::string, std::optional<std::string>> m_saved;
};

// Two unrelated keys; tests check that neither ever shows up in a message.
inline constexpr const char* kKeyHex =
    "4091f86d5df803bf94ee8406c9563ed4ae71c1013f196884353e7b6ee15b2963";
inline constexpr const char* kOtherKeyHex =
    "2ba7ee50880ada6b72d5f18dc1e4ed9b130d9141c9b34cf0d741f1c25641d3ac";

// A temp folder acting as the user's home: no VPNAAS_MASTER_KEY, HOME and
// XDG_CONFIG_HOME inside the folder, so the default key file is ours alone.
struct KeyHome {
  TempDir dir;
  ScopedEnv env{{{"VPNAAS_MASTER_KEY", std::nullopt},
                 {"HOME", (dir.path() / "home").string()},
                 {"XDG_CONFIG_HOME", (dir.path() / "config").string()}}};

  std::filesystem::path default_key() const { return dir.path() / "config/vpnaas/master.key"; }
};

inline std::filesystem::perms mode_of(const std::filesystem::path& path) {
  return std::filesystem::status(path).permissions() & std::filesystem::perms::mask;
}

inline void write_key(const std::filesystem::path& path, const std::string& text,
                      std::filesystem::perms mode = std::filesystem::perms::owner_read |
                                                    std::filesystem::perms::owner_write) {
  write_file(path, text);
  std::filesystem::permissions(path, mode);
}

// No part of the key long enough to matter (8 hex digits = 32 bits) may leak.
inline void check_no_key_material(const Error& error, const std::string& key_hex) {
  std::string text = to_string(error) + "\n" + error.hint;
  for (std::size_t i = 0; i + 8 <= key_hex.size(); ++i) {
    CAPTURE(i);
    CHECK(text.find(key_hex.substr(i, 8)) == std::string::npos);
  }
}

} // namespace vpnaas::test
