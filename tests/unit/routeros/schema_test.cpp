// The simulator must refuse what a real router refuses: every menu and
// property rests on third-party facts (lib/data/routeros/SOURCES.md), and the
// real exports of ../shared/data/rsc-corpus must pass its property check.
#include <vpnaas/routeros/reader.hpp>
#include <vpnaas/routeros/schema.hpp>
#include <vpnaas/routeros/simulator.hpp>

#include <doctest/doctest.h>

#include <regex>
#include <set>
#include <sstream>

#include "run_script_text.hpp"
#include "support/paths.hpp"

namespace vpnaas::test {
namespace {

using routeros::Router;
using routeros::Version;

std::string failure(const std::string& text, Version v) {
  Router r(v);
  auto s = run_script_text(text, r);
  REQUIRE_FALSE(s.ok());
  return s.error().message;
}

bool runs(const std::string& text, Version v) {
  Router r(v);
  return run_script_text(text, r).ok();
}

// The (menu, property) pairs SOURCES.md explains under "Corpus properties
// not in the v7 table": lines "- `/menu path` `property`: why".
std::set<std::pair<std::string, std::string>> explained_pairs() {
  std::set<std::pair<std::string, std::string>> out;
  std::istringstream in(read_file(source_path("lib/data/routeros/SOURCES.md")));
  std::regex line("^- `([^`]+)` `([^`]+)`: .+");
  std::string text;
  while (std::getline(in, text)) {
    std::smatch m;
    if (std::regex_match(text, m, line)) {
      out.emplace(m[1].str(), m[2].str());
    }
  }
  return out;
}

} // namespace

TEST_CASE("versions parse, compare and print as RouterOS writes them") {
  CHECK(routeros::parse_version("7.12") == Version{7, 12, 0});
  CHECK(routeros::parse_version("6.49.6") == Version{6, 49, 6});
  CHECK(routeros::parse_version("7") == Version{7, 0, 0});
  CHECK(routeros::parse_version("7.10") == Version{7, 10, 0}); // not 7.1, as YAML reads 7.10
  for (const char* bad : {"", "7.", ".7", "7.x", "7.1.2.3", "-7", "7.1234", "7 .1"}) {
    CAPTURE(bad);
    CHECK_FALSE(routeros::parse_version(bad).has_value());
  }
  CHECK(Version{7, 9, 0} < Version{7, 15, 0});
  CHECK(routeros::to_string(Version{7, 15, 2}) == "7.15.2");
  CHECK(routeros::to_string(Version{7, 1, 0}) == "7.1");
  CHECK(routeros::is_supported(routeros::oldest_supported(6)));
  CHECK_FALSE(routeros::is_supported(Version{6, 40, 0}));
  CHECK_FALSE(routeros::is_supported(Version{8, 1, 0}));
  CHECK(routeros::declared_minimum("# a\n# Needs RouterOS 7.15 or later\n/ip address\n") ==
        Version{7, 15, 0});
  CHECK_FALSE(routeros::declared_minimum("/ip address\n# Needs RouterOS 7.15 or later\n"));
}

TEST_CASE("an IPsec profile has no comment, in RouterOS 6 or 7") {
  for (Version v : {Version{7, 1, 0}, Version{7, 22, 0}, Version{6, 49, 0}}) {
    CAPTURE(routeros::to_string(v));
    auto why = failure("/ip ipsec profile add name=p comment=x\n", v);
    CHECK(why.find("line 1:") == 0);
    CHECK(why.find("/ip ipsec profile has no property comment") != std::string::npos);
    CHECK(runs("/ip ipsec profile add name=p\n", v));
  }
}

TEST_CASE("a proposal comment exists from RouterOS 7.15 on") {
  auto why = failure("/ip ipsec proposal add name=p comment=x\n", Version{7, 14, 0});
  CHECK(why == "line 1:1: expected end of command: /ip ipsec proposal has no property comment "
               "before RouterOS 7.15 (this router runs 7.14)");
  CHECK(runs("/ip ipsec proposal add name=p comment=x\n", Version{7, 15, 0}));
}

TEST_CASE("the import stops at the first line a router refuses, keeping what ran before") {
  Router r(Version{7, 1, 0});
  r.add("/interface ethernet", {{"name", "lo"}});
  auto s = run_script_text("/ip address add address=10.0.0.1/24 interface=lo\n"
                           "/ip ipsec profile add name=p comment=x\n"
                           "/ip address add address=10.0.1.1/24 interface=lo\n",
                           r);
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().message.find("line 2:") == 0);
  CHECK(r.items("/ip address").size() == 1);
}

TEST_CASE("unknown menus, read-only properties and invalid values are refused") {
  Version v{7, 12, 0};
  CHECK(failure("/ip ipsec profiles add name=p\n", v) ==
        "line 1:1: bad command name: RouterOS 7.12 has no menu /ip ipsec profiles");
  CHECK(failure("/ip ipsec policy add sa-src-address=1.2.3.4\n", v).find("before RouterOS 7.15") !=
        std::string::npos);
  CHECK(failure("/ip ipsec profile add name=p hash-algorithm=sha999\n", v)
            .find("invalid value: hash-algorithm=sha999") != std::string::npos);
  CHECK(failure("/ip ipsec proposal add name=p enc-algorithms=aes-256-cbc,rot13\n", v)
            .find("invalid value: enc-algorithms=aes-256-cbc,rot13") != std::string::npos);
  CHECK(failure("/interface gre add name=g remote-address=1.1.1.1 clamp-tcp-mss=maybe\n", v)
            .find("is not yes or no") != std::string::npos);
  CHECK(failure("/ip ipsec proposal add name=p lifetime=soon\n", v).find("not a time value") !=
        std::string::npos);
  CHECK(runs("/ip ipsec proposal add name=p enc-algorithms=aes-256-cbc,aes-128-gcm lifetime=8h\n",
             v));
  CHECK(failure(":put [/ip ipsec profile find where comment=x]\n", v)
            .find("/ip ipsec profile has no property comment") != std::string::npos);
}

TEST_CASE("a netwatch entry's status can be read, from docs-v7.tsv, but not written") {
  Version v{7, 1, 0};
  CHECK(runs(":put [:len [/tool netwatch find where status=\"up\"]]\n", v));
  CHECK(failure("/tool netwatch add host=10.0.0.1 status=up\n", v).find("status") !=
        std::string::npos);
  CHECK(routeros::Schema::builtin().property("/tool netwatch", "status", v) ==
        routeros::Access::read_only);
}

TEST_CASE("RouterOS 6 has only what v6 evidence shows") {
  Version v6{6, 47, 0};
  // The v7 OSPF menus do not exist on 6, and the v6 ones not on 7.
  CHECK(failure("/routing ospf interface-template add area=a\n", v6).find("bad command name") !=
        std::string::npos);
  CHECK(failure("/routing ospf interface add interface=g\n", Version{7, 1, 0})
            .find("bad command name") != std::string::npos);
  CHECK(runs("/routing ospf interface add interface=g network-type=point-to-point\n", v6));
}

TEST_CASE("the schema tables are checked when they are read") {
  auto good7 = "menu\tproperty\tsince\tuntil\tkind\n/x\ty\t7.15\t\trw\n";
  auto good6 = "menu\tproperty\tkind\tsource\n/x\tz\trw\tcorpus\n";
  auto values = "menu\tproperty\tmajor\ttype\tvalues\tsource\n/x\ty\t7\tenum\ta b\tdoc\n";
  auto evidence = "menu\tproperty\trelease\tsource\n/x\tw\t7.10\tsome.rsc\n";
  auto schema = routeros::Schema::parse(good7, good6, values, evidence);
  REQUIRE(schema.ok());
  CHECK(schema->property("/x", "y", Version{7, 15, 0}).has_value());
  CHECK_FALSE(schema->property("/x", "y", Version{7, 14, 0}).has_value());
  CHECK(schema->property("/x", "z", Version{6, 48, 0}).has_value());
  CHECK_FALSE(schema->property("/x", "z", Version{7, 1, 0}).has_value());
  CHECK(schema->property("/x", "w", Version{7, 10, 5}).has_value());
  CHECK_FALSE(schema->property("/x", "w", Version{7, 11, 0}).has_value());
  CHECK(schema->check_value("/x", "y", "c", Version{7, 15, 0}).has_value());
  CHECK_FALSE(schema->check_value("/x", "y", "b", Version{7, 15, 0}).has_value());

  auto bad = routeros::Schema::parse("menu\tproperty\tsince\tuntil\tkind\n/x\ty\tseven\t\trw\n",
                                     good6, values, evidence);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message == "properties-v7.tsv:2: \"seven\" is not a RouterOS version");
  auto short_row =
      routeros::Schema::parse(good7, "menu\tproperty\tkind\tsource\n/x\tz\n", values, evidence);
  REQUIRE_FALSE(short_row.ok());
  CHECK(short_row.error().message == "properties-v6.tsv:2: 2 cells where the header has 4");
}

TEST_CASE("every property the real exports of the rsc corpus use is known to the schema") {
  auto shared = shared_path("data/rsc-corpus");
  if (!shared) {
    return;
  }
  const auto& corpus = *shared;
  auto explained = explained_pairs();
  CHECK(explained.size() >= 1);
  // "# jan/02/1970 by RouterOS 7.10" or "# RouterOS 6.48.3"
  std::regex header("RouterOS ([0-9]+\\.[0-9.]*[0-9])");
  int files = 0;
  std::size_t checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(corpus)) {
    if (entry.path().extension() != ".rsc") {
      continue;
    }
    CAPTURE(entry.path().filename().string());
    std::string text = read_file(entry.path());
    std::smatch m;
    REQUIRE(std::regex_search(text, m, header));
    auto version = routeros::parse_version(m[1].str());
    REQUIRE(version.has_value());
    auto read = routeros::read_script(text);
    auto problems =
        routeros::check_properties(read.commands, routeros::Schema::builtin(), *version);
    for (const auto& p : problems) {
      if (explained.count({p.menu, p.property}) != 0) {
        continue;
      }
      INFO(routeros::to_string(p.pos) << ": " << p.message);
      CHECK(false);
    }
    checked += read.commands.size();
    ++files;
  }
  CHECK(files >= 15);
  CHECK(checked > 1000);
}

} // namespace vpnaas::test
