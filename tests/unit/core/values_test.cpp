#include <vpnaas/core/diagnostic.hpp>
#include <vpnaas/core/duration.hpp>
#include <vpnaas/core/suggest.hpp>
#include <vpnaas/net/ipv4.hpp>

#include <doctest/doctest.h>

using namespace vpnaas;

TEST_CASE("IPv4 addresses parse strictly") {
  CHECK(Ipv4Address::parse("192.0.2.10")->to_string() == "192.0.2.10");
  CHECK(Ipv4Address::parse("0.0.0.0")->value() == 0u);
  CHECK(Ipv4Address::parse("255.255.255.255")->value() == 0xFFFFFFFFu);
  for (const char* bad : {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.4 ", " 1.2.3.4",
                          "1..3.4", "a.b.c.d", "1.2.3.-4", "99999999999.1.1.1"}) {
    CAPTURE(bad);
    CHECK_FALSE(Ipv4Address::parse(bad).ok());
  }
  CHECK(Ipv4Address::parse("01.2.3.4").error().message ==
        "\"01.2.3.4\" is not a valid IPv4 address: an octet has a leading zero, which some tools "
        "read as octal");
}

TEST_CASE("prefixes: lengths, host bits, containment") {
  auto p = Ipv4Prefix::parse("10.255.0.0/22");
  REQUIRE(p);
  CHECK(p->size() == 1024);
  CHECK(p->last().to_string() == "10.255.3.255");
  CHECK(p->contains(*Ipv4Prefix::parse("10.255.2.0/30")));
  CHECK_FALSE(p->contains(*Ipv4Prefix::parse("10.255.0.0/16")));
  CHECK(p->overlaps(*Ipv4Prefix::parse("10.255.0.0/16")));
  CHECK_FALSE(p->overlaps(*Ipv4Prefix::parse("10.255.4.0/22")));
  CHECK(Ipv4Prefix::parse("0.0.0.0/0")->size() == (std::uint64_t{1} << 32));
  CHECK(Ipv4Prefix::parse("192.168.10.0/33").error().message ==
        "\"192.168.10.0/33\" is not a valid prefix: length 33 is larger than 32");
  CHECK(Ipv4Prefix::parse("192.168.10.1/24").error().hint ==
        "write 192.168.10.0/24, or use a longer prefix if you meant a smaller network");
  for (const char* bad : {"192.168.1.0", "192.168.1.0/", "192.168.1.0/x", "192.168.1.0/024", "/24",
                          "192.168.1.0/-1"}) {
    CAPTURE(bad);
    CHECK_FALSE(Ipv4Prefix::parse(bad).ok());
  }
}

TEST_CASE("durations in RouterOS form") {
  CHECK(Duration::parse("10s")->seconds() == 10);
  CHECK(Duration::parse("1d")->seconds() == 86400);
  CHECK(Duration::parse("1h30m")->seconds() == 5400);
  CHECK(Duration::parse("90")->seconds() == 90);
  CHECK(Duration(5400).to_string() == "1h30m");
  CHECK(Duration(86400).to_string() == "1d");
  CHECK(Duration(28800).to_string() == "8h");
  for (const char* bad : {"", "0s", "10x", "5s1m", "s", "1m30", "-5s", "99999999999999d"}) {
    CAPTURE(bad);
    CHECK_FALSE(Duration::parse(bad).ok());
  }
}

TEST_CASE("did-you-mean suggestions") {
  std::vector<std::string> keys{"name", "public-ip", "router-id", "serial"};
  CHECK(closest_match("pubilc-ip", keys) == std::optional<std::string>("public-ip"));
  CHECK(closest_match("routerid", keys) == std::optional<std::string>("router-id"));
  CHECK_FALSE(closest_match("completely-different", keys).has_value());
  CHECK(edit_distance("abc", "acb") == 1);
}

TEST_CASE("diagnostics sort by file and line, and collapse repeats") {
  Diagnostics d;
  d.error({"b.yaml", 3, 1}, "x", "later file");
  d.warning({"a.yaml", 9, 1}, "y", "warning first file");
  d.error({"a.yaml", 2, 5}, "z", "early");
  d.error({"a.yaml", 2, 5}, "z", "early");
  CHECK(d.error_count() == 2);
  CHECK(d.warning_count() == 1);
  auto sorted = d.sorted();
  REQUIRE(sorted.size() == 3);
  CHECK(sorted[0].message == "early");
  CHECK(sorted[1].message == "warning first file");
  CHECK(sorted[2].message == "later file");
  CHECK(format_diagnostic(sorted[0]) == "a.yaml:2:5: error: early");
}
