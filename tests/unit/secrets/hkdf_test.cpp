#include <vpnaas/secrets/psk.hpp>

#include <doctest/doctest.h>

#include <cstddef>
#include <string>
#include <vector>

using vpnaas::ErrorCode;
using vpnaas::secrets::hkdf_sha256;

namespace {

std::vector<unsigned char> from_hex(const std::string& hex) {
  std::vector<unsigned char> out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<unsigned char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

std::string to_hex(const std::vector<unsigned char>& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 0x0f];
  }
  return out;
}

// Bytes first, first+1, ..., last-1: the RFC 5869 vectors are built this way.
std::vector<unsigned char> byte_range(int first, int last) {
  std::vector<unsigned char> out;
  for (int b = first; b < last; ++b) {
    out.push_back(static_cast<unsigned char>(b));
  }
  return out;
}

std::string as_string(const std::vector<unsigned char>& bytes) {
  return std::string(bytes.begin(), bytes.end());
}

} // namespace

TEST_CASE("HKDF-SHA256: RFC 5869 test case 1 (basic)") {
  auto ikm = from_hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
  auto salt = as_string(from_hex("000102030405060708090a0b0c"));
  auto info = as_string(from_hex("f0f1f2f3f4f5f6f7f8f9"));
  auto okm = hkdf_sha256(ikm, salt, info, 42);
  REQUIRE(okm.ok());
  CHECK(to_hex(*okm) == "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf3400"
                        "7208d5b887185865");
}

TEST_CASE("HKDF-SHA256: RFC 5869 test case 2 (long inputs and output)") {
  auto ikm = byte_range(0x00, 0x50);
  auto salt = as_string(byte_range(0x60, 0xb0));
  auto info = as_string(byte_range(0xb0, 0x100));
  auto okm = hkdf_sha256(ikm, salt, info, 82);
  REQUIRE(okm.ok());
  CHECK(to_hex(*okm) == "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
                        "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
                        "cc30c58179ec3e87c14c01d5c1f3434f1d87");
}

TEST_CASE("HKDF-SHA256: RFC 5869 test case 3 (empty salt and info)") {
  auto ikm = from_hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
  auto okm = hkdf_sha256(ikm, "", "", 42);
  REQUIRE(okm.ok());
  CHECK(to_hex(*okm) == "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d20"
                        "1395faa4b61a96c8");
}

TEST_CASE("HKDF-SHA256: a shorter output is a prefix of a longer one") {
  auto ikm = from_hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
  auto short_okm = hkdf_sha256(ikm, "salt", "info", 16);
  auto long_okm = hkdf_sha256(ikm, "salt", "info", 64);
  REQUIRE(short_okm.ok());
  REQUIRE(long_okm.ok());
  CHECK(to_hex(*long_okm).substr(0, 32) == to_hex(*short_okm));
}

TEST_CASE("HKDF-SHA256: output lengths outside 1..8160 bytes are refused") {
  auto ikm = byte_range(0, 32);
  SUBCASE("zero") {
    auto okm = hkdf_sha256(ikm, "s", "i", 0);
    REQUIRE_FALSE(okm.ok());
    CHECK(okm.error().code == ErrorCode::internal);
    CHECK(okm.error().message == "HKDF-SHA256 cannot produce 0 bytes (1 to 8160 allowed)");
  }
  SUBCASE("more than 255 blocks") {
    auto okm = hkdf_sha256(ikm, "s", "i", 8161);
    REQUIRE_FALSE(okm.ok());
    CHECK(okm.error().message == "HKDF-SHA256 cannot produce 8161 bytes (1 to 8160 allowed)");
  }
  SUBCASE("exactly 255 blocks") {
    auto okm = hkdf_sha256(ikm, "s", "i", 8160);
    REQUIRE(okm.ok());
    CHECK(okm->size() == 8160);
  }
}
