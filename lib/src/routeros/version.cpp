#include <vpnaas/routeros/version.hpp>

#include <algorithm>
#include <charconv>

namespace vpnaas::routeros {
namespace {

// Parses one dot-separated number of at most three digits, no sign, no
// leading '+': "007" is accepted as 7, like RouterOS's own version strings.
std::optional<int> number(std::string_view part) {
  if (part.empty() || part.size() > 3 ||
      !std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  int value = 0;
  auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), value);
  if (ec != std::errc() || end != part.data() + part.size()) {
    return std::nullopt;
  }
  return value;
}

} // namespace

std::optional<Version> parse_version(std::string_view text) {
  int parts[3] = {0, 0, 0};
  std::size_t count = 0;
  while (true) {
    std::size_t dot = text.find('.');
    if (count == 3) {
      return std::nullopt;
    }
    auto n = number(text.substr(0, dot));
    if (!n) {
      return std::nullopt;
    }
    parts[count++] = *n;
    if (dot == std::string_view::npos) {
      break;
    }
    text.remove_prefix(dot + 1);
  }
  return Version{parts[0], parts[1], parts[2]};
}

std::string to_string(const Version& v) {
  std::string out = std::to_string(v.major) + "." + std::to_string(v.minor);
  if (v.patch != 0) {
    out += "." + std::to_string(v.patch);
  }
  return out;
}

Version oldest_supported(int major) {
  // 6.47: the oldest release our RouterOS 6 evidence (real exports, the v6
  // manual's final state) covers. 7.1: the first stable RouterOS 7, and the
  // oldest release properties-v7.tsv covers.
  return major == 6 ? Version{6, 47, 0} : Version{7, 1, 0};
}

bool is_supported(const Version& v) {
  return (v.major == 6 || v.major == 7) && v >= oldest_supported(v.major);
}

std::string minimum_line(const Version& v) {
  return "Needs RouterOS " + to_string(v) + " or later";
}

std::optional<Version> declared_minimum(std::string_view script) {
  constexpr std::string_view prefix = "# Needs RouterOS ";
  constexpr std::string_view suffix = " or later";
  while (!script.empty() && script.front() == '#') {
    std::size_t end = script.find('\n');
    std::string_view line = script.substr(0, end);
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    if (line.substr(0, prefix.size()) == prefix && line.size() > prefix.size() + suffix.size() &&
        line.substr(line.size() - suffix.size()) == suffix) {
      return parse_version(line.substr(prefix.size(), line.size() - prefix.size() - suffix.size()));
    }
    if (end == std::string_view::npos) {
      break;
    }
    script.remove_prefix(end + 1);
  }
  return std::nullopt;
}

} // namespace vpnaas::routeros
