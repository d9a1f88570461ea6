#pragma once

#include <vpnaas/routeros/script.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace vpnaas::routeros {

struct ReadError {
  Position pos;
  std::string message;
};

struct ReadResult {
  std::vector<Command> commands;
  std::vector<ReadError> errors;
  bool ok() const { return errors.empty(); }
};

// Reads RouterOS script or `/export` text: quoting and escapes (`\"`, `\\`,
// `\$`, `\?`, `\n`, `\XX`...), `\`-newline continuations (inside strings the
// export's 4-space indent is dropped too), comments, `[...]` substitutions,
// `(...)` expressions and `{...}` blocks. Never throws and never fails as a
// whole: malformed input yields the commands that could be read plus one
// error per problem with its position. Nesting deeper than a fixed limit is an
// error rather than unbounded recursion, so any input is safe to read.
ReadResult read_script(std::string_view text);

// The string a decoded value came from, for messages: "line:column".
std::string to_string(const Position& pos);

} // namespace vpnaas::routeros
