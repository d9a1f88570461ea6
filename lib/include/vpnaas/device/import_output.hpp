#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace vpnaas::device {

// What one `/import` did to the router, as far as its output tells.
enum class ImportOutcome {
  applied, // RouterOS's success line and the script's end marker were printed
  failed,  // RouterOS printed an error: the script stopped at `line`
  unknown, // neither: cut off, interrupted, or silent; the router may be partly changed
};

// "applied", "failed", "unknown", as JSON output shows them.
const char* to_string(ImportOutcome outcome);

// What RouterOS said about one `/import`.
struct ImportVerdict {
  ImportOutcome outcome = ImportOutcome::unknown;
  // failed: RouterOS's own words, e.g. "expected end of command (line 1 column 9)";
  // unknown: why the output does not prove success.
  std::string error;
  int line = 0;          // 1-based line of the imported script that failed; 0 when unknown
  std::string line_text; // that line of the script, without surrounding blanks
};

// The success line RouterOS prints at the end of an `/import` that ran to its end.
inline constexpr std::string_view kImportSuccessLine =
    "Script file loaded and executed successfully";

// Reads the output of `/import file-name=...` for `script` (the text as
// uploaded). RouterOS exits 0 whether or not the import worked, so its text
// is the only signal, and success needs positive evidence:
// - failed: the first line in one of RouterOS's error forms ("failure: ...",
//   "Script Error: ...", "syntax error ...", "expected ...", "bad command
//   name ...", "input does not match any value of ...", "invalid value ...",
//   "no such item", "Cannot open import file ...", ...). The failing line is
//   the last script line echoed before the error (verbose mode echoes each
//   line), else the position RouterOS states.
// - applied: no error line, kImportSuccessLine, and (when `marker` is not
//   empty) a line that is exactly `marker`, which the script's last statement
//   prints (`:put`), so an import that stopped early cannot pass.
// - unknown: anything else (empty output, output cut off, `interrupted`).
// Never fails.
ImportVerdict parse_import_output(std::string_view output, std::string_view script,
                                  std::string_view marker = {});

// The first line of a command's output that is in one of RouterOS's error
// forms (the same recognition as for an import), trimmed; nullopt when there
// is none. RouterOS exits 0 over SSH whether or not the command worked.
std::optional<std::string> find_error_line(std::string_view output);

// "line 7 (`/interface gre add ...`): <error>" or just the error, for
// messages; "imported" when applied.
std::string describe(const ImportVerdict& verdict);

} // namespace vpnaas::device
