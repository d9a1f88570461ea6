#include <vpnaas/core/duration.hpp>

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <limits>

namespace vpnaas {
namespace {

struct Unit {
  char suffix;
  std::int64_t seconds;
};
constexpr std::array<Unit, 5> kUnits{
    {{'w', 604800}, {'d', 86400}, {'h', 3600}, {'m', 60}, {'s', 1}}};
// Ten years is far beyond any timer RouterOS accepts; it guards against overflow.
constexpr std::int64_t kMaxSeconds = 10LL * 365 * 86400;

Error bad(std::string_view text, std::string why) {
  return make_error(ErrorCode::invalid_input,
                    fmt::format("\"{}\" is not a valid duration: {}", text, why),
                    "write it like 10s, 5m, 8h, 1d or 1h30m");
}

} // namespace

Result<Duration> Duration::parse(std::string_view text) {
  if (text.empty()) {
    return bad(text, "it is empty");
  }
  std::int64_t total = 0;
  std::size_t next_unit = 0; // units must appear largest first, each once
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::int64_t number = 0;
    const char* begin = text.data() + pos;
    auto [end, ec] = std::from_chars(begin, text.data() + text.size(), number);
    if (ec != std::errc{} || end == begin) {
      return bad(text, "expected a number");
    }
    pos = static_cast<std::size_t>(end - text.data());
    if (pos == text.size()) {
      if (next_unit != 0) {
        return bad(text, "the last number has no unit");
      }
      total = number; // bare seconds
      break;
    }
    std::size_t u = next_unit;
    while (u < kUnits.size() && kUnits[u].suffix != text[pos]) {
      ++u;
    }
    if (u == kUnits.size()) {
      return bad(text, fmt::format("unknown or out-of-order unit '{}'", text[pos]));
    }
    if (number > kMaxSeconds / kUnits[u].seconds) {
      return bad(text, "it is too long");
    }
    total += number * kUnits[u].seconds;
    next_unit = u + 1;
    ++pos;
  }
  if (total <= 0) {
    return bad(text, "it must be longer than zero");
  }
  if (total > kMaxSeconds) {
    return bad(text, "it is too long");
  }
  return Duration(total);
}

std::string Duration::to_string() const {
  if (m_seconds == 0) {
    return "0s";
  }
  std::string out;
  std::int64_t rest = m_seconds;
  for (const auto& unit : kUnits) {
    if (unit.suffix == 'w') {
      continue; // RouterOS prints days rather than weeks; keep one canonical form
    }
    if (rest >= unit.seconds) {
      out += fmt::format("{}{}", rest / unit.seconds, unit.suffix);
      rest %= unit.seconds;
    }
  }
  return out;
}

} // namespace vpnaas
