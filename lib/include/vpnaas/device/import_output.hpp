#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace vpnaas::device {

// What RouterOS said about one `/import`.
struct ImportVerdict {
  bool ok = true;
  std::string error;     // RouterOS's own words, e.g. "expected end of command (line 1 column 9)"
  int line = 0;          // 1-based line of the imported script that failed; 0 when unknown
  std::string line_text; // that line of the script, without surrounding blanks
};

// Reads the output of `/import file-name=... verbose=yes` for `script`.
// RouterOS exits 0 whether or not the import worked, so its text is the only
// signal: the first line in one of RouterOS's error forms ("failure: ...",
// "Script Error: ...", "syntax error ...", "expected ...", "bad command name
// ...", "input does not match any value of ...", "invalid value ...", "no such
// item", "Cannot open import file ...", ...) makes the verdict a failure.
// The failing line is the last script line echoed before the error (verbose
// mode echoes each line), else the position RouterOS states. Never fails.
ImportVerdict parse_import_output(std::string_view output, std::string_view script);

// The first line of a command's output that is in one of RouterOS's error
// forms (the same recognition as for an import), trimmed; nullopt when there
// is none. RouterOS exits 0 over SSH whether or not the command worked.
std::optional<std::string> find_error_line(std::string_view output);

// "line 7 (`/interface gre add ...`): <error>" or just the error, for messages.
std::string describe(const ImportVerdict& verdict);

} // namespace vpnaas::device
