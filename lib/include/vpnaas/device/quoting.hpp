#pragma once

#include <vpnaas/core/error.hpp>
#include <vpnaas/render/routeros/quote.hpp>

#include <string>
#include <string_view>

namespace vpnaas::device {

// A console command takes the same string escapes as a script, so commands
// quote with the renderer's quote() (render/routeros/quote.hpp).
using render::routeros::quote;

// `name` quoted as above, for a file name interpolated into a console command
// (`/export file=`, `/import file-name=`, `/file remove`). Fails with
// invalid_input when the name is empty, longer than 200 bytes, starts with
// `/`, holds a `..` part or any byte outside letters, digits and `._-/`: the
// names vpnaas builds never do, so such a name is a bug or an attack.
Result<std::string> quoted_file_name(std::string_view name);

} // namespace vpnaas::device
