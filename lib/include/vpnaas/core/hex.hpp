#pragma once

namespace vpnaas {

// The value of one hexadecimal digit (either case), or -1 for any other
// character: the master key, percent-encoded API paths and RouterOS "\XX"
// escapes all read hex through this one place.
constexpr int hex_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

} // namespace vpnaas
