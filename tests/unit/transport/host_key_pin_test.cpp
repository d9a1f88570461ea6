// Host key pins (the device's host-key: and the inventory's known_hosts) and
// the known_hosts file's default place and permissions, against real sshd.
#include <vpnaas/transport/ssh/session.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cstdlib>
#include <sys/stat.h>

#include "support/paths.hpp"
#include "support/run.hpp"
#include "support/sshd.hpp"

using namespace vpnaas;
using test::file_mode;
using transport::ssh::Session;
using transport::ssh::SshOptions;

namespace {

SshOptions pinning_options(const test::SshClientKeys& keys) {
  SshOptions options = keys.ssh_options();
  options.accept_new_host_keys = false;
  options.connect_timeout = std::chrono::seconds(5);
  options.command_timeout = std::chrono::seconds(10);
  return options;
}

// The fingerprint `ssh-keygen -lf` prints for the router's host key.
std::string keygen_fingerprint(const test::FakeRouter& router) {
  const auto listed = test::run({"ssh-keygen", "-lf", router.host_public_key().string()});
  REQUIRE(listed.exit_code == 0);
  // "256 SHA256:... comment (ED25519)"
  const auto start = listed.out.find(' ') + 1;
  return listed.out.substr(start, listed.out.find(' ', start) - start);
}

transport::ssh::Endpoint pinned(const test::FakeRouter& router, const std::string& fingerprint) {
  auto target = router.target();
  target.host_key = transport::ssh::HostKeyPin{fingerprint, "clusters/dc1.yaml:7:15"};
  return target;
}

// A fingerprint of the right form that no key has.
const std::string kOtherFingerprint = "SHA256:" + std::string(43, 'Q');

} // namespace

TEST_CASE("the host key the server presents is the one ssh-keygen fingerprints") {
  test::SshClientKeys keys;
  test::FakeRouter router(keys);
  auto session = Session::connect(router.target(), pinning_options(keys));
  REQUIRE_MESSAGE(session.ok(), to_string(session.error()));
  auto key = session->host_key();
  REQUIRE(key.ok());
  CHECK(key->type == "ssh-ed25519");
  CHECK(key->fingerprint == keygen_fingerprint(router));
}

TEST_CASE("a pinned matching key connects with an empty known_hosts, recording nothing") {
  test::SshClientKeys keys;
  test::FakeRouter router(keys);
  auto options = pinning_options(keys);
  auto session = Session::open(pinned(router, keygen_fingerprint(router)), options);
  REQUIRE_MESSAGE(session.ok(), to_string(session.error()));
  CHECK(session->run("/system identity print").ok());
  CHECK(test::read_file(keys.known_hosts()).empty());
}

TEST_CASE("a pinned mismatch is refused even with --accept-new-host-keys") {
  test::SshClientKeys keys;
  test::FakeRouter router(keys);
  auto options = pinning_options(keys);
  options.accept_new_host_keys = true;
  auto session = Session::open(pinned(router, kOtherFingerprint), options);
  REQUIRE_FALSE(session.ok());
  CHECK(session.error().code == ErrorCode::remote);
  CHECK(session.error().message ==
        fmt::format("host key of 127.0.0.1 port {} does not match the pinned key: "
                    "clusters/dc1.yaml:7:15 pins {}, but the server presents ssh-ed25519 key {}; "
                    "refusing to connect (the device may have been replaced, or someone is "
                    "intercepting the connection)",
                    router.port(), kOtherFingerprint, keygen_fingerprint(router)));
  CHECK(session.error().hint.starts_with("--accept-new-host-keys does not override a pin."));
  CHECK(test::read_file(keys.known_hosts()).empty());
  CHECK(router.commands().empty());
}

TEST_CASE("the inventory's known_hosts pins a host: its key connects, another is refused") {
  test::SshClientKeys keys;
  test::FakeRouter router(keys);
  auto options = pinning_options(keys);
  const std::string line =
      fmt::format("[127.0.0.1]:{} {}", router.port(), test::read_file(router.host_public_key()));
  options.pinned_known_hosts =
      transport::ssh::PinnedKnownHosts{"inventory/known_hosts", "# pinned\n" + line};
  auto session = Session::open(router.target(), options);
  REQUIRE_MESSAGE(session.ok(), to_string(session.error()));
  CHECK(test::read_file(keys.known_hosts()).empty());

  const std::string old_fingerprint = keygen_fingerprint(router);
  router.replace_host_key();
  options.accept_new_host_keys = true;
  auto refused = Session::open(router.target(), options);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message.find(fmt::format(
            "inventory/known_hosts pins {} (line 2), but the server presents ssh-ed25519 key {}",
            old_fingerprint, keygen_fingerprint(router))) != std::string::npos);
  CHECK(test::read_file(keys.known_hosts()).empty());
}

TEST_CASE("an inventory known_hosts without the host leaves it to the user's known_hosts") {
  test::SshClientKeys keys;
  test::FakeRouter router(keys);
  auto options = pinning_options(keys);
  options.pinned_known_hosts = transport::ssh::PinnedKnownHosts{
      "inventory/known_hosts", "[192.0.2.1]:22 " + test::read_file(router.host_public_key())};
  auto unknown = Session::open(router.target(), options);
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().message.find("refusing an unknown host") != std::string::npos);
}

TEST_CASE("a group-writable known_hosts file is refused as an environment error") {
  test::SshClientKeys keys;
  test::FakeRouter router(keys);
  auto options = pinning_options(keys);
  options.accept_new_host_keys = true;
  REQUIRE(::chmod(keys.known_hosts().c_str(), 0664) == 0);
  auto session = Session::open(router.target(), options);
  REQUIRE_FALSE(session.ok());
  CHECK(session.error().code == ErrorCode::environment);
  CHECK(session.error().message ==
        fmt::format("known_hosts file {} is writable by group or others (mode 0664)",
                    keys.known_hosts().string()));
  CHECK(session.error().hint.starts_with(
      fmt::format("run `chmod 600 {}`", keys.known_hosts().string())));
  CHECK(test::read_file(keys.known_hosts()).empty());
}

TEST_CASE("the default known_hosts is vpnaas's own, created 0600 in a 0700 folder") {
  test::TempDir state;
  const char* old = std::getenv("XDG_STATE_HOME");
  const std::string saved = old != nullptr ? old : "";
  ::setenv("XDG_STATE_HOME", (state.path() / "xdg").c_str(), 1);
  SshOptions defaults;
  const auto path = transport::ssh::known_hosts_path(defaults);
  CHECK(path == state.path() / "xdg" / "vpnaas" / "known_hosts");

  test::SshClientKeys keys;
  test::FakeRouter router(keys);
  auto options = pinning_options(keys);
  options.known_hosts.clear();
  options.accept_new_host_keys = true;
  auto session = Session::open(router.target(), options);
  if (old != nullptr) {
    ::setenv("XDG_STATE_HOME", saved.c_str(), 1);
  } else {
    ::unsetenv("XDG_STATE_HOME");
  }
  REQUIRE_MESSAGE(session.ok(), to_string(session.error()));
  CHECK(
      test::read_file(path).starts_with(fmt::format("[127.0.0.1]:{} ssh-ed25519 ", router.port())));
  CHECK(file_mode(path) == 0600);
  CHECK(file_mode(path.parent_path()) == 0700);
  CHECK(file_mode(path.parent_path().parent_path()) == 0700);
}
