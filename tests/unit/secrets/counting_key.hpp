#pragma once

#include <vpnaas/secrets/master_key.hpp>

#include <vector>

namespace vpnaas::test {

// 00 01 02 ... 1f: an obviously synthetic master key for pinned vectors.
inline secrets::MasterKey counting_key() {
  std::vector<unsigned char> bytes;
  for (int b = 0; b < 32; ++b) {
    bytes.push_back(static_cast<unsigned char>(b));
  }
  return secrets::MasterKey(bytes, "test");
}

// counting_key() in hex, for the tools that check our derivations.
inline constexpr const char* kCountingKeyHex =
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

} // namespace vpnaas::test
