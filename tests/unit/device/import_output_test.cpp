#include <vpnaas/device/import_output.hpp>

#include <doctest/doctest.h>

using vpnaas::device::describe;
using vpnaas::device::parse_import_output;

namespace {

const char* const kScript = "/interface gre\n"
                            "add name=gre-a remote-address=192.0.2.1\n"
                            "add name=gre-b remote-address=192.0.2.2 bogus=1\n"
                            "/ip ipsec identity add peer=p secret=\"s3cr3t pass\" comment=x\n";

} // namespace

TEST_CASE("a clean verbose import is a success") {
  const auto verdict = parse_import_output(
      "/interface gre\r\nadd name=gre-a remote-address=192.0.2.1\r\n\r\nScript file loaded and "
      "executed successfully\r\n",
      kScript);
  CHECK(verdict.ok);
  CHECK(describe(verdict) == "imported");
}

TEST_CASE("the failing line is the last one echoed before the error") {
  const auto verdict =
      parse_import_output("/interface gre\r\nadd name=gre-a remote-address=192.0.2.1\r\n"
                          "add name=gre-b remote-address=192.0.2.2 bogus=1\r\n"
                          "expected end of command (line 1 column 41)\r\n",
                          kScript);
  CHECK_FALSE(verdict.ok);
  CHECK(verdict.line == 3);
  CHECK(verdict.error == "expected end of command (line 1 column 41)");
  CHECK(describe(verdict) == "line 3 (`add name=gre-b remote-address=192.0.2.2 bogus=1`): "
                             "expected end of command (line 1 column 41)");
}

TEST_CASE("without an echo the position RouterOS states is used") {
  SUBCASE("RouterOS 7 Script Error") {
    const auto verdict =
        parse_import_output("Script Error: failure: already have interface with name gre-a "
                            "(/interface/gre/add; line 2) (:import; line 1)\r\n",
                            kScript);
    CHECK(verdict.line == 2);
    CHECK(verdict.line_text == "add name=gre-a remote-address=192.0.2.1");
  }
  SUBCASE("line and column") {
    const auto verdict = parse_import_output("syntax error (line 3 column 12)\n", kScript);
    CHECK(verdict.line == 3);
  }
  SUBCASE("no position at all") {
    const auto verdict = parse_import_output(
        "Cannot open import file, file does not exist (:import; line 1)\n", kScript);
    CHECK_FALSE(verdict.ok);
    CHECK(verdict.line == 0);
    CHECK(describe(verdict) == "Cannot open import file, file does not exist (:import; line 1)");
  }
}

TEST_CASE("every RouterOS error form is recognised") {
  for (const char* error :
       {"failure: already have such entry", "bad command name ad (line 1 column 6)",
        "input does not match any value of interface", "invalid value for argument address",
        "no such item", "not enough permissions (9)", "expected command name (line 1 column 1)",
        "value of mtu out of range (0..65535)", "ambiguous value of type"}) {
    CAPTURE(error);
    CHECK_FALSE(parse_import_output(std::string("Opening script file x.rsc\n") + error, "").ok);
  }
}

TEST_CASE("secrets on a failing line are masked") {
  const auto verdict = parse_import_output(
      "/ip ipsec identity add peer=p secret=\"s3cr3t pass\" comment=x\r\nfailure: no such peer\r\n",
      kScript);
  CHECK(verdict.line == 4);
  CHECK(verdict.line_text == "/ip ipsec identity add peer=p secret=*** comment=x");
}

TEST_CASE("a key held in a list on a failing line is masked") {
  const std::string key(64, 'c');
  const std::string script =
      "/interface gre\n:set ($k->\"a~b\") [:toarray \"a~b,peer-b," + key + "\"]\n";
  const auto verdict =
      parse_import_output("Script Error: expected end of command (line 2 column 1)\r\n", script);
  CHECK_FALSE(verdict.ok);
  CHECK(verdict.line == 2);
  CHECK(verdict.line_text == ":set ($k->\"a~b\") [:toarray \"a~b,peer-b,***\"]");
}

TEST_CASE("an echoed line that looks like an error is not one") {
  const auto verdict =
      parse_import_output("add comment=\"no such item\"\r\n", "add comment=\"no such item\"\n");
  CHECK(verdict.ok);
}
