#pragma once

#include <vpnaas/core/error.hpp>

#include <string>
#include <string_view>

namespace vpnaas::device {

// `value` as a RouterOS quoted string: `"` `\` `$` and `?` are escaped with a
// backslash (`$` would start a variable, `?` asks the console for help), and
// every control byte and every byte outside printable ASCII is written as
// \XX with upper-case hex digits, the escapes reference/routeros.md lists
// under "String escapes". Never fails: any byte string has a quoted form.
std::string quote(std::string_view value);

// `name` quoted as above, for a file name interpolated into a console command
// (`/export file=`, `/import file-name=`, `/file remove`). Fails with
// invalid_input when the name is empty, longer than 200 bytes, starts with
// `/`, holds a `..` part or any byte outside letters, digits and `._-/`: the
// names vpnaas builds never do, so such a name is a bug or an attack.
Result<std::string> quoted_file_name(std::string_view name);

} // namespace vpnaas::device
