// printable(): what messages quoting file content may send to a terminal.
#include <vpnaas/core/printable.hpp>

#include <doctest/doctest.h>

#include <string>

using namespace std::string_literals;
using vpnaas::printable;

TEST_CASE("printable keeps text and newlines, and valid UTF-8") {
  CHECK(printable("plain text\nsecond line") == "plain text\nsecond line");
  CHECK(printable("Liège, Zürich, 東京, \xf0\x9f\x94\x91") ==
        "Liège, Zürich, 東京, \xf0\x9f\x94\x91");
  CHECK(printable("C:\\path") == "C:\\path");
}

TEST_CASE("printable escapes control bytes, DEL and C1 controls") {
  CHECK(printable("a\0b"s) == "a\\x00b");
  CHECK(printable("\x1b[31mred\x1b[0m") == "\\x1b[31mred\\x1b[0m");
  CHECK(printable("tab\there\r\x7f") == "tab\\x09here\\x0d\\x7f");
  CHECK(printable("\xc2\x9b"
                  "2J") == "\\xc2\\x9b2J");
}

TEST_CASE("printable escapes every byte of invalid UTF-8") {
  CHECK(printable("\xff\xfe") == "\\xff\\xfe");
  CHECK(printable("cut \xe2\x82") == "cut \\xe2\\x82");           // truncated sequence
  CHECK(printable("\xc0\xaf") == "\\xc0\\xaf");                   // overlong '/'
  CHECK(printable("\xed\xa0\x80") == "\\xed\\xa0\\x80");          // UTF-16 surrogate
  CHECK(printable("\xf4\x90\x80\x80") == "\\xf4\\x90\\x80\\x80"); // above U+10FFFF
  CHECK(printable("\xe2\x82\xac \x80") == "\xe2\x82\xac \\x80");  // lone continuation
}
