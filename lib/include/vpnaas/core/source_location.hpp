#pragma once

#include <compare>
#include <string>

namespace vpnaas {

// Where a value came from in the user's files. Lines and columns are 1-based;
// line 0 means "the file as a whole" (a missing key, a stray file).
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;

  bool known() const { return !file.empty(); }
  auto operator<=>(const SourceLocation&) const = default;
};

// "file:line:column", "file:line" or "file" depending on what is known.
std::string to_string(const SourceLocation& where);

} // namespace vpnaas
