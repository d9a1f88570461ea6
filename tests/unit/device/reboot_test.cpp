// Waiting for a rebooted router to come back, against fake routers whose
// reboot stops sshd and starts it again (or never does).
#include <vpnaas/device/reboot.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "support/sshd.hpp"

using namespace vpnaas;
using namespace std::chrono_literals;
using device::parse_routeros_time;
using transport::ssh::Session;

namespace {

transport::ssh::SshOptions reboot_options(const test::SshClientKeys& keys) {
  auto options = keys.ssh_options();
  options.connect_timeout = 2s;
  options.command_timeout = 5s;
  return options;
}

// Sends /system reboot and returns when it was sent.
std::chrono::steady_clock::time_point reboot(const test::FakeRouter& router,
                                             const transport::ssh::SshOptions& options) {
  auto session = Session::open(router.target(), options);
  REQUIRE_MESSAGE(session.ok(), to_string(session.error()));
  const auto sent_at = std::chrono::steady_clock::now();
  REQUIRE(device::RouterOs(*session).reboot().ok());
  return sent_at;
}

} // namespace

TEST_CASE("RouterOS times are read as the console prints them") {
  CHECK(parse_routeros_time("00:00:07") == 7s);
  CHECK(parse_routeros_time("02:24:01.200\r\n") == 2h + 24min + 1s);
  CHECK(parse_routeros_time("2d11:00:12") == 59h + 12s);
  CHECK(parse_routeros_time("1w2d03:04:05") == 9 * 24h + 3h + 4min + 5s);
  CHECK(parse_routeros_time("3w00:00:00") == 21 * 24h);
  for (const char* bad : {"", "7", "0:00:07", "00:60:00", "24:00:00", "1d", "00:00:07x",
                          "2d 00:00:01", "-00:00:01", "bad command name"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_routeros_time(bad).has_value());
  }
}

TEST_CASE("the uptime of a fake router that booted three days ago") {
  test::SshClientKeys keys;
  test::FakeRouter router(keys);
  auto session = Session::open(router.target(), reboot_options(keys));
  REQUIRE(session.ok());
  device::RouterOs routeros(*session);
  auto uptime = device::read_uptime(routeros);
  REQUIRE_MESSAGE(uptime.ok(), to_string(uptime.error()));
  CHECK(*uptime >= 72h);
  CHECK(*uptime < 72h + 1min);
}

TEST_CASE("a router whose sshd comes back after the reboot is confirmed") {
  test::SshClientKeys keys;
  test::FakeRouter router(keys);
  router.reboot_restarts_after(1s);
  const auto options = reboot_options(keys);
  const auto sent_at = reboot(router, options);
  auto back = device::wait_until_back(router.target(), options, sent_at, {20s, 250ms});
  REQUIRE_MESSAGE(back.ok(), to_string(back.error()));
  CHECK(back->back);
  CHECK(back->waited >= 1s);
  CHECK(back->waited < 15s);
  REQUIRE(back->uptime.has_value());
  // Booted after the reboot was sent (the fake router counts whole seconds).
  CHECK(*back->uptime <= std::chrono::duration_cast<std::chrono::seconds>(back->waited) + 1s);
}

TEST_CASE("a router that never comes back is not confirmed once the wait runs out") {
  test::SshClientKeys keys;
  test::FakeRouter router(keys);
  router.reboot_never_returns();
  const auto options = reboot_options(keys);
  const auto sent_at = reboot(router, options);
  auto back = device::wait_until_back(router.target(), options, sent_at, {2s, 250ms});
  REQUIRE_MESSAGE(back.ok(), to_string(back.error()));
  CHECK_FALSE(back->back);
  CHECK(back->waited >= 2s);
  CHECK(back->waited < 5s);
  CHECK(back->last_problem.find(fmt::format("connection to 127.0.0.1:{} refused", router.port())) !=
        std::string::npos);
}

TEST_CASE("a router that answers but never went down is not taken for rebooted") {
  test::SshClientKeys keys;
  test::FakeRouter router(keys); // its reboot changes nothing: uptime stays three days
  const auto options = reboot_options(keys);
  const auto sent_at = reboot(router, options);
  auto back = device::wait_until_back(router.target(), options, sent_at, {2s, 250ms});
  REQUIRE_MESSAGE(back.ok(), to_string(back.error()));
  CHECK_FALSE(back->back);
  REQUIRE(back->uptime.has_value());
  CHECK(*back->uptime >= 72h);
  CHECK_FALSE(back->last_problem.empty());
}

TEST_CASE("a refused host key ends the wait at once instead of being waited out") {
  test::SshClientKeys keys;
  test::FakeRouter router(keys);
  router.reboot_restarts_after(500ms);
  auto options = reboot_options(keys);
  const auto sent_at = reboot(router, options);
  // A pin the router's key does not match stands in for a router that comes
  // back with another key (replace_host_key would race the restart).
  auto target = router.target();
  target.host_key = transport::ssh::HostKeyPin{"SHA256:" + std::string(43, 'Q'), ""};
  auto back = device::wait_until_back(target, options, sent_at, {20s, 250ms});
  REQUIRE_FALSE(back.ok());
  CHECK(back.error().message.find("does not match the pinned key") != std::string::npos);
  CHECK(std::chrono::steady_clock::now() - sent_at < 10s);
}
