#include <vpnaas/device/import_output.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <regex>
#include <vector>

namespace vpnaas::device {
namespace {

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) {
    return {};
  }
  const auto last = text.find_last_not_of(" \t\r");
  return text.substr(first, last - first + 1);
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const auto end = text.find('\n');
    lines.push_back(trim(text.substr(0, end)));
    if (end == std::string_view::npos) {
      break;
    }
    text.remove_prefix(end + 1);
  }
  return lines;
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// The forms RouterOS prints for a failed command; collected from its console
// and from tools that drive it (none of them is ever printed on success).
bool is_error_line(std::string_view line) {
  static constexpr std::array<std::string_view, 12> kPrefixes = {
      "failure:",           "Script Error",         "expected ",
      "bad command name",   "input does not match", "invalid value",
      "no such item",       "no such command",      "not enough permissions",
      "Cannot open import", "ambiguous value",      "missing value",
  };
  for (auto prefix : kPrefixes) {
    if (starts_with(line, prefix)) {
      return true;
    }
  }
  return line.find("syntax error") != std::string_view::npos ||
         line.find("out of range") != std::string_view::npos ||
         line.find("unknown parameter") != std::string_view::npos;
}

// N from the first "(...; line N)" that is not the /import command's own
// position, else from "(line N column M)"; 0 when neither is there.
int stated_line(std::string_view error) {
  auto number_after = [&](std::size_t at) {
    int value = 0;
    const char* begin = error.data() + at;
    const char* end = error.data() + error.size();
    auto [ptr, ec] = std::from_chars(begin, end, value);
    return ec == std::errc() && ptr != begin ? value : 0;
  };
  for (std::size_t open = error.find('('); open != std::string_view::npos;
       open = error.find('(', open + 1)) {
    const auto close = error.find(')', open);
    const std::string_view group = error.substr(open + 1, close - open - 1);
    const auto semicolon = group.find("; line ");
    if (semicolon != std::string_view::npos && !starts_with(group, ":import")) {
      return number_after(open + 1 + semicolon + 7);
    }
  }
  const auto at = error.find("(line ");
  return at == std::string_view::npos ? 0 : number_after(at + 6);
}

bool is_secret_name(std::string_view name) {
  return name.find("secret") != std::string_view::npos ||
         name.find("password") != std::string_view::npos ||
         name.find("passphrase") != std::string_view::npos;
}

// End of the argument value starting at `at`: a quoted string (with escapes)
// or a bare word.
std::size_t value_end(std::string_view line, std::size_t at) {
  if (at < line.size() && line[at] == '"') {
    for (std::size_t i = at + 1; i < line.size(); ++i) {
      if (line[i] == '\\') {
        ++i;
      } else if (line[i] == '"') {
        return i + 1;
      }
    }
    return line.size();
  }
  return std::min(line.find_first_of(" \t", at), line.size());
}

// The script carries pre-shared keys and passwords; a failing line is shown
// to people, so the values of such arguments are masked.
std::string redact_secrets(std::string_view line) {
  std::string out;
  std::size_t pos = 0;
  for (auto eq = line.find('='); eq != std::string_view::npos; eq = line.find('=', pos)) {
    const auto space = line.find_last_of(" \t", eq);
    const std::size_t name_start = space == std::string_view::npos ? 0 : space + 1;
    out.append(line.substr(pos, eq + 1 - pos));
    pos = eq + 1;
    if (is_secret_name(line.substr(name_start, eq - name_start))) {
      out.append("***");
      pos = value_end(line, pos);
    }
  }
  out.append(line.substr(pos));
  // Keys also travel as list items (`[:toarray "id,peer,KEY"]`), not only as name=value.
  return std::regex_replace(out, std::regex("[0-9A-Fa-f]{64,}"), "***");
}

} // namespace

const char* to_string(ImportOutcome outcome) {
  switch (outcome) {
  case ImportOutcome::applied:
    return "applied";
  case ImportOutcome::failed:
    return "failed";
  case ImportOutcome::unknown:
    return "unknown";
  }
  return "unknown";
}

ImportVerdict parse_import_output(std::string_view output, std::string_view script,
                                  std::string_view marker) {
  const std::vector<std::string_view> script_lines = split_lines(script);
  std::size_t next = 0; // where the search for the next echoed script line starts
  int last_echoed = 0;  // 1-based script line last seen in the output
  bool success_line = false;
  bool marker_line = marker.empty();
  bool interrupted = false;
  bool printed = false;

  for (std::string_view line : split_lines(output)) {
    if (line.empty()) {
      continue;
    }
    printed = true;
    if (line == kImportSuccessLine) {
      success_line = true;
      continue;
    }
    if (!marker.empty() && line == marker) {
      marker_line = true;
      continue;
    }
    // What the console prints when a running command is stopped (Ctrl-C,
    // or the session ends): the script did not run to its end.
    interrupted = interrupted || line == "interrupted";
    bool echoed = false;
    for (std::size_t i = next; i < script_lines.size(); ++i) {
      if (script_lines[i] == line) {
        last_echoed = static_cast<int>(i) + 1;
        next = i + 1;
        echoed = true;
        break;
      }
    }
    if (echoed || !is_error_line(line)) {
      continue;
    }
    ImportVerdict verdict;
    verdict.outcome = ImportOutcome::failed;
    verdict.error = std::string(line);
    verdict.line = last_echoed != 0 ? last_echoed : stated_line(line);
    if (verdict.line > 0 && static_cast<std::size_t>(verdict.line) <= script_lines.size()) {
      verdict.line_text = redact_secrets(script_lines[static_cast<std::size_t>(verdict.line) - 1]);
    }
    return verdict;
  }
  ImportVerdict verdict;
  if (success_line && marker_line && !interrupted) {
    verdict.outcome = ImportOutcome::applied;
    return verdict;
  }
  verdict.error = !printed      ? "RouterOS printed nothing"
                  : interrupted ? "RouterOS printed `interrupted`"
                  : !success_line
                      ? fmt::format("the output ends without RouterOS's success line (\"{}\")",
                                    kImportSuccessLine)
                      : fmt::format("the script's end marker (\"{}\") is missing", marker);
  return verdict;
}

std::optional<std::string> find_error_line(std::string_view output) {
  for (std::string_view line : split_lines(output)) {
    if (is_error_line(line)) {
      return std::string(line);
    }
  }
  return std::nullopt;
}

std::string describe(const ImportVerdict& verdict) {
  if (verdict.outcome == ImportOutcome::applied) {
    return "imported";
  }
  if (verdict.line == 0) {
    return verdict.error;
  }
  if (verdict.line_text.empty()) {
    return fmt::format("line {}: {}", verdict.line, verdict.error);
  }
  return fmt::format("line {} (`{}`): {}", verdict.line, verdict.line_text, verdict.error);
}

} // namespace vpnaas::device
