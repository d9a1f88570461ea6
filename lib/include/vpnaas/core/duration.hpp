#pragma once

#include <vpnaas/core/error.hpp>

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

namespace vpnaas {

// A RouterOS-style time value such as "10s", "5m", "8h", "1d" or "1h30m".
class Duration {
public:
  constexpr Duration() = default;
  constexpr explicit Duration(std::int64_t seconds) : m_seconds(seconds) {}

  // Accepts unit-suffixed parts (w, d, h, m, s) in decreasing order, or a bare
  // number of seconds. Rejects zero-length, negative and overflowing values.
  static Result<Duration> parse(std::string_view text);

  constexpr std::int64_t seconds() const { return m_seconds; }
  // Canonical RouterOS form, largest units first: 90 -> "1m30s", 86400 -> "1d".
  std::string to_string() const;
  auto operator<=>(const Duration&) const = default;

private:
  std::int64_t m_seconds = 0;
};

} // namespace vpnaas
