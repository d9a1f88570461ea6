#pragma once

#include <string>
#include <string_view>

namespace vpnaas {

// `text` made safe to print on a terminal: control bytes other than newline
// (NUL, ESC, carriage return, tab, DEL), C1 controls and bytes that are not
// valid UTF-8 become `\xNN`, each byte of them. Messages quote inventory and
// lock content, and a hostile or binary file must not move the cursor, change
// colours or hide text there. Backslashes stay as they are, so an escape is
// not told apart from the same four characters in the file; readability of
// ordinary text matters more here than a reversible encoding.
std::string printable(std::string_view text);

} // namespace vpnaas
