#include <vpnaas/net/resolve.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

using namespace vpnaas;
using Clock = std::chrono::steady_clock;

TEST_CASE("a numeric address is taken as it is, without a lookup") {
  std::atomic<int> lookups{0};
  const net::LookupFunction counting = [&lookups](const std::string& host, int port) {
    ++lookups;
    return net::lookup_host(host, port);
  };
  for (const std::string address : {"192.0.2.7", "2001:db8::7"}) {
    CAPTURE(address);
    auto found = net::resolve(address, 22, std::chrono::seconds(1), counting);
    REQUIRE(found);
    REQUIRE(found->size() == 1);
    CHECK(found->front().text == address);
  }
  CHECK(lookups == 0);
}

TEST_CASE("a host name resolves through the system resolver") {
  auto found = net::resolve("localhost", 22, std::chrono::seconds(10));
  REQUIRE_MESSAGE(found, to_string(found.error()));
  CHECK(std::any_of(found->begin(), found->end(), [](const net::SocketAddress& a) {
    return a.text == "127.0.0.1" || a.text == "::1";
  }));
}

TEST_CASE("a host name that does not exist fails, naming it") {
  // RFC 6761: names under .invalid never resolve.
  auto found = net::resolve("vpnaas-test.invalid", 22, std::chrono::seconds(20));
  REQUIRE_FALSE(found);
  CHECK(found.error().code == ErrorCode::remote);
  CHECK(found.error().message.starts_with("cannot resolve the host name vpnaas-test.invalid: "));
  CHECK(found.error().hint == "check the device's ssh: host in the inventory, and this "
                              "machine's DNS settings (/etc/resolv.conf)");
}

TEST_CASE("a lookup that does not finish is given up at the time limit") {
  // Stands in for a DNS server that never answers: the C resolver would wait
  // for its own retries (several times 5 s).
  const net::LookupFunction hanging = [](const std::string&, int) {
    std::this_thread::sleep_for(std::chrono::seconds(3));
    return net::Lookup{{}, "too late"};
  };
  const auto start = Clock::now();
  auto found = net::resolve("router.example", 22, std::chrono::milliseconds(300), hanging);
  const auto waited = Clock::now() - start;
  REQUIRE_FALSE(found);
  CHECK(found.error().code == ErrorCode::remote);
  CHECK(found.error().message ==
        "looking up the host name router.example did not finish within 0.3s");
  CHECK(found.error().hint ==
        "this machine's DNS server does not answer: check /etc/resolv.conf, or give the device's "
        "address as its ssh: host (time limit 0.3s, see --connect-timeout)");
  CHECK(waited >= std::chrono::milliseconds(300));
  CHECK(waited < std::chrono::seconds(2));

  // A lookup that answers in time is used.
  const net::LookupFunction quick = [](const std::string&, int port) {
    return net::lookup_host("127.0.0.1", port);
  };
  auto answered = net::resolve("router.example", 22, std::chrono::seconds(2), quick);
  REQUIRE(answered);
  CHECK(answered->front().text == "127.0.0.1");
}
