// The RouterOS reader: real exports, quoting and continuation rules, menu
// resolution, and robustness on arbitrary input.
#include <vpnaas/routeros/reader.hpp>

#include <doctest/doctest.h>

#include <random>

#include "support/paths.hpp"

namespace vpnaas::test {
namespace {

using routeros::Arg;
using routeros::read_script;
using routeros::Value;

TEST_CASE("every file of the rsc corpus reads without errors") {
  auto shared = shared_path("data/rsc-corpus");
  if (!shared) {
    return;
  }
  const auto& corpus = *shared;
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(corpus)) {
    if (entry.path().extension() != ".rsc") {
      continue;
    }
    CAPTURE(entry.path().filename().string());
    auto result = read_script(read_file(entry.path()));
    for (const auto& e : result.errors) {
      INFO(routeros::to_string(e.pos) << ": " << e.message);
      CHECK(false);
    }
    CHECK(result.commands.size() > 5);
    ++files;
  }
  CHECK(files >= 15);
}

TEST_CASE("menu lines set the menu of the commands after them") {
  auto r = read_script("/interface gre\nadd name=g1 remote-address=1.2.3.4\n"
                       "set [ find default-name=ether1 ] !keepalive mtu=1400\n"
                       "/ip address add address=10.0.0.1/30 interface=g1\n"
                       "/interface/bridge/add name=br\n");
  REQUIRE(r.ok());
  REQUIRE(r.commands.size() == 5);
  CHECK(r.commands[0].name.empty());
  CHECK(routeros::menu_path(r.commands[1].menu) == "/interface gre");
  CHECK(r.commands[1].name == "add");
  const auto& set = r.commands[2];
  CHECK(set.name == "set");
  REQUIRE(set.args.size() == 3);
  CHECK(set.args[0].value.kind == Value::Kind::substitution);
  CHECK(routeros::menu_path(set.args[0].value.commands[0].menu) == "/interface gre");
  CHECK(set.args[1].op == Arg::Op::unset);
  CHECK(set.args[1].name == "keepalive");
  CHECK(routeros::menu_path(r.commands[3].menu) == "/ip address");
  CHECK(routeros::menu_path(r.commands[4].menu) == "/interface bridge");
  CHECK(r.commands[4].name == "add");
}

TEST_CASE("continuations join lines, inside strings the 4-space indent is dropped") {
  auto r =
      read_script("add comment=\\\n    \"created from \\\n    master port\" name=\\\n    br1 \\\n"
                  "    mtu=1500\n");
  REQUIRE(r.ok());
  REQUIRE(r.commands.size() == 1);
  const auto& args = r.commands[0].args;
  REQUIRE(args.size() == 3);
  CHECK(args[0].value.text == "created from master port");
  CHECK(args[1].value.text == "br1");
  CHECK(args[2].name == "mtu");
}

TEST_CASE("escapes decode and unescaped $ or ? are flagged") {
  auto r = read_script(":put \"a\\\"b\\\\c\\$d\\?e\\41\\n\\_\"\n:put \"$x\"\n:put \"why?\"\n");
  REQUIRE(r.ok());
  CHECK(r.commands[0].args[0].value.text == "a\"b\\c$d?eA\n ");
  CHECK_FALSE(r.commands[0].args[0].value.interpolates);
  CHECK(r.commands[1].args[0].value.interpolates);
  CHECK(r.commands[2].args[0].value.interpolates);
}

TEST_CASE("expressions, blocks and comments") {
  auto r = read_script("# a comment\n:if ([:len [/ip route find where comment~\"^x\"]] = 0 and "
                       "!($a->\"k\")) do={ :put 1 } else={\n  :put 2\n}\n"
                       "add log-prefix=#VPN chain=input\n");
  REQUIRE(r.ok());
  REQUIRE(r.commands.size() == 2);
  const auto& cond = r.commands[0].args[0].value;
  REQUIRE(cond.kind == Value::Kind::expression);
  CHECK(cond.expr->op == "and");
  CHECK(r.commands[0].args[1].name == "do");
  CHECK(r.commands[0].args[2].value.kind == Value::Kind::block);
  CHECK(r.commands[1].args[0].value.text == "#VPN");
}

TEST_CASE("malformed input gives errors with positions, never a crash") {
  for (const char* text : {"\"unterminated", "[find", "(1 +", "}", ":put \"\\q\"", "a=\\x", "{{{{",
                           "$", "add x=(", ":if (a b) do={"}) {
    CAPTURE(text);
    auto r = read_script(text);
    CHECK_FALSE(r.ok());
  }
  std::string deep(100000, '[');
  CHECK_FALSE(read_script(deep).ok());
  CHECK_FALSE(read_script(std::string(100000, '(')).ok());
  std::mt19937 rng(7);
  const std::string alphabet = "ab=~!$\"\\\n[](){};: #/.,-0\r\t?";
  for (int i = 0; i < 3000; ++i) {
    std::string s;
    std::size_t n = rng() % 200;
    for (std::size_t j = 0; j < n; ++j) {
      s.push_back(rng() % 8 == 0 ? static_cast<char>(rng() % 256)
                                 : alphabet[rng() % alphabet.size()]);
    }
    (void)read_script(s);
  }
}

} // namespace
} // namespace vpnaas::test
