#pragma once

#include <vpnaas/net/ipv4.hpp>

namespace vpnaas::test {

// A prefix the test writes as text, known to be valid.
inline Ipv4Prefix prefix(const char* text) {
  return *Ipv4Prefix::parse(text);
}

} // namespace vpnaas::test
