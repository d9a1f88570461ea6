#pragma once

#include <string>
#include <string_view>

namespace vpnaas::render::routeros {

// The one way an inventory string reaches a RouterOS script: wrapped in double
// quotes with `"`, `\`, `$` and `?` backslash-escaped and every byte outside
// printable ASCII (control characters, DEL, UTF-8) written as `\XX` with
// uppercase hex, as the RouterOS scripting manual prescribes. The result is
// always one physical line that the RouterOS reader decodes back to `value`
// exactly, so no value can end its quotes, start a variable or a command, or
// trigger console help. Cannot fail.
std::string quote(std::string_view value);
void append_quoted(std::string& out, std::string_view value);

// Text safe inside a `#` comment: `quote(value)`, so a newline in a hostile
// name cannot end the comment and start a command.
inline std::string comment_text(std::string_view value) {
  return quote(value);
}

} // namespace vpnaas::render::routeros
