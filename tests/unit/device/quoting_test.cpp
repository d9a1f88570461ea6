#include <vpnaas/device/quoting.hpp>

#include <doctest/doctest.h>

using vpnaas::device::quote;
using vpnaas::device::quoted_file_name;

TEST_CASE("quote escapes what RouterOS reads specially inside a string") {
  CHECK(quote("plain-name.rsc") == "\"plain-name.rsc\"");
  CHECK(quote("a\"b") == "\"a\\\"b\"");
  CHECK(quote("a\\b") == "\"a\\\\b\"");
  CHECK(quote("$x") == "\"\\$x\"");
  CHECK(quote("why?") == "\"why\\?\"");
  CHECK(quote("a b") == "\"a b\"");
  CHECK(quote(std::string("line\nnext\x01")) == "\"line\\0Anext\\01\"");
  CHECK(quote("\x7F\xC3\xA9") == "\"\\7F\\C3\\A9\"");
  CHECK(quote("") == "\"\"");
}

TEST_CASE("file names are quoted when plain and refused otherwise") {
  auto plain = quoted_file_name("vpnaas-apply-20250131T101500Z-3f2a9c1-7b0e.rsc");
  REQUIRE(plain.ok());
  CHECK(*plain == "\"vpnaas-apply-20250131T101500Z-3f2a9c1-7b0e.rsc\"");
  CHECK(quoted_file_name("flash/vpnaas-backup-x").ok());
  for (const char* bad : {"", "/etc/passwd", "../x", "a/../b", "a b", "a\"b", "x;/system reboot",
                          "$(x)", "a\nb", "a?"}) {
    CAPTURE(bad);
    auto refused = quoted_file_name(bad);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == vpnaas::ErrorCode::invalid_input);
    CHECK(refused.error().message.starts_with("refusing the router file name \""));
  }
  CHECK_FALSE(quoted_file_name(std::string(201, 'a')).ok());
  CHECK(quoted_file_name(std::string(200, 'a')).ok());
}
