#pragma once

#include <algorithm>
#include <string_view>
#include <vector>

namespace vpnaas::device {

// The lines of a console command's output (LF line ends; the session has
// removed RouterOS's CR), each without the trailing blanks RouterOS pads
// `:put` lines with. The views point into `text`.
inline std::vector<std::string_view> output_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const auto end = std::min(text.find('\n'), text.size());
    std::string_view line = text.substr(0, end);
    while (!line.empty() && line.back() == ' ') {
      line.remove_suffix(1);
    }
    lines.push_back(line);
    text.remove_prefix(std::min(end + 1, text.size()));
  }
  return lines;
}

// `text` without the blanks and line ends around it: what a command printed,
// or one value of it.
inline std::string_view trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) {
    return {};
  }
  return text.substr(first, text.find_last_not_of(" \t\r\n") + 1 - first);
}

} // namespace vpnaas::device
