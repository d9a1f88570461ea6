#include <vpnaas/device/import_output.hpp>

#include <doctest/doctest.h>

using vpnaas::device::describe;
using vpnaas::device::ImportOutcome;
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
  CHECK(verdict.outcome == ImportOutcome::applied);
  CHECK(describe(verdict) == "imported");
}

TEST_CASE("the failing line is the last one echoed before the error") {
  const auto verdict =
      parse_import_output("/interface gre\r\nadd name=gre-a remote-address=192.0.2.1\r\n"
                          "add name=gre-b remote-address=192.0.2.2 bogus=1\r\n"
                          "expected end of command (line 1 column 41)\r\n",
                          kScript);
  CHECK(verdict.outcome == ImportOutcome::failed);
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
    CHECK(verdict.outcome == ImportOutcome::failed);
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
    CHECK(parse_import_output(std::string("Opening script file x.rsc\n") + error, "").outcome ==
          ImportOutcome::failed);
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
  CHECK(verdict.outcome == ImportOutcome::failed);
  CHECK(verdict.line == 2);
  CHECK(verdict.line_text == ":set ($k->\"a~b\") [:toarray \"a~b,peer-b,***\"]");
}

TEST_CASE("an echoed line that looks like an error is not one") {
  const auto verdict =
      parse_import_output("add comment=\"no such item\"\r\n\r\nScript file loaded and executed "
                          "successfully\r\n",
                          "add comment=\"no such item\"\n");
  CHECK(verdict.outcome == ImportOutcome::applied);
}

TEST_CASE("success needs the success line and the end marker") {
  const char* const marker = "vpnaas:done:20250131T101500Z-3f2a9c1-7b0e";
  const auto applied = parse_import_output(
      "vpnaas:done:20250131T101500Z-3f2a9c1-7b0e\r\n\r\nScript file loaded and executed "
      "successfully\r\n",
      kScript, marker);
  CHECK(applied.outcome == ImportOutcome::applied);

  const auto no_marker =
      parse_import_output("\r\nScript file loaded and executed successfully\r\n", kScript, marker);
  CHECK(no_marker.outcome == ImportOutcome::unknown);
  CHECK(no_marker.error ==
        "the script's end marker (\"vpnaas:done:20250131T101500Z-3f2a9c1-7b0e\") is missing");

  // A marker of another run does not count.
  const auto other_run = parse_import_output(
      "vpnaas:done:20250131T101500Z-3f2a9c1-0000\r\nScript file loaded and executed "
      "successfully\r\n",
      kScript, marker);
  CHECK(other_run.outcome == ImportOutcome::unknown);
}

TEST_CASE("cut-off, interrupted and empty output are an unknown outcome") {
  const auto cut_off = parse_import_output(
      "/interface gre\r\nadd name=gre-a remote-address=192.0.2.1\r\n", kScript, "m");
  CHECK(cut_off.outcome == ImportOutcome::unknown);
  CHECK(cut_off.error == "the output ends without RouterOS's success line (\"Script file loaded "
                         "and executed successfully\")");
  CHECK(describe(cut_off) == cut_off.error);

  const auto interrupted = parse_import_output("/interface gre\r\ninterrupted\r\n", kScript, "m");
  CHECK(interrupted.outcome == ImportOutcome::unknown);
  CHECK(interrupted.error == "RouterOS printed `interrupted`");
  // Even with the words of success around it.
  CHECK(parse_import_output("m\r\ninterrupted\r\nScript file loaded and executed successfully",
                            kScript, "m")
            .outcome == ImportOutcome::unknown);

  const auto empty = parse_import_output("\r\n  \r\n", kScript, "m");
  CHECK(empty.outcome == ImportOutcome::unknown);
  CHECK(empty.error == "RouterOS printed nothing");
}

TEST_CASE("an error line fails the import even after the success line") {
  const auto verdict = parse_import_output(
      "m\r\nScript file loaded and executed successfully\r\nfailure: no such peer\r\n", kScript,
      "m");
  CHECK(verdict.outcome == ImportOutcome::failed);
  CHECK(verdict.error == "failure: no such peer");
}
