#include <vpnaas/transport/ssh/session.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <iterator>
#include <unistd.h>

#include "support/sshd.hpp"

using namespace vpnaas;
using transport::ssh::Session;
using transport::ssh::SshOptions;
using transport::ssh::TransferMethod;

namespace {

SshOptions options_for(const test::SshClientKeys& keys) {
  SshOptions options = keys.ssh_options();
  options.connect_timeout = std::chrono::seconds(5);
  options.command_timeout = std::chrono::seconds(10);
  return options;
}

std::string endpoint(const test::FakeRouter& router) {
  return fmt::format("{}@127.0.0.1:{}", test::current_user(), router.port());
}

} // namespace

TEST_CASE("a new host is recorded with --accept-new-host-keys, then trusted without it") {
  test::SshClientKeys keys;
  test::FakeRouter router(keys);
  auto options = options_for(keys);

  auto first = Session::open(router.target(), options);
  REQUIRE_MESSAGE(first.ok(), to_string(first.error()));
  auto output = first->run("/system identity print");
  REQUIRE(output.ok());
  CHECK(output->out == "  name: fake-router\r\n");
  CHECK(output->exit_status == 0);
  CHECK(test::read_file(keys.known_hosts())
            .starts_with(fmt::format("[127.0.0.1]:{} ssh-ed25519 ", router.port())));

  options.accept_new_host_keys = false;
  auto second = Session::open(router.target(), options);
  CHECK_MESSAGE(second.ok(), to_string(second.error()));
}

TEST_CASE("an unknown host key is refused without --accept-new-host-keys") {
  test::SshClientKeys keys;
  test::FakeRouter router(keys);
  auto options = options_for(keys);
  options.accept_new_host_keys = false;

  auto session = Session::open(router.target(), options);
  REQUIRE_FALSE(session.ok());
  CHECK(session.error().code == ErrorCode::remote);
  const std::string& message = session.error().message;
  CHECK(message.starts_with(fmt::format("host key of 127.0.0.1 port {} is not in {} (the server "
                                        "offers ssh-ed25519 key SHA256:",
                                        router.port(), keys.known_hosts().string())));
  CHECK(message.ends_with("); refusing an unknown host"));
  CHECK(session.error().hint == "verify the fingerprint on the device, then connect once with "
                                "--accept-new-host-keys to record it, or pin it with host-key: in "
                                "the inventory (`vpnaas device host-key NAME` prints it)");
  CHECK(test::read_file(keys.known_hosts()).empty());
}

TEST_CASE("a changed host key is refused even with --accept-new-host-keys") {
  test::SshClientKeys keys;
  test::FakeRouter router(keys);
  auto options = options_for(keys);
  REQUIRE(Session::open(router.target(), options).ok());
  const std::string recorded = test::read_file(keys.known_hosts());

  router.replace_host_key();
  auto session = Session::open(router.target(), options);
  REQUIRE_FALSE(session.ok());
  const std::string& message = session.error().message;
  CHECK(message.starts_with(fmt::format("host key of 127.0.0.1 port {} has changed: the server "
                                        "now offers ssh-ed25519 key SHA256:",
                                        router.port())));
  CHECK(message.ends_with(fmt::format(", but {}:1 holds a different key; refusing to connect "
                                      "(the device may have been replaced, or someone is "
                                      "intercepting the connection)",
                                      keys.known_hosts().string())));
  CHECK(session.error().hint.find(fmt::format("ssh-keygen -R '[127.0.0.1]:{}' -f {}", router.port(),
                                              keys.known_hosts().string())) != std::string::npos);
  CHECK(test::read_file(keys.known_hosts()) == recorded);
}

TEST_CASE("a key the device does not know is refused, naming what was tried") {
  test::SshClientKeys keys;
  test::FakeRouter router(keys);
  auto options = options_for(keys);
  options.identity = keys.wrong_identity();

  auto session = Session::open(router.target(), options);
  REQUIRE_FALSE(session.ok());
  CHECK(session.error().message ==
        fmt::format("authentication as {} on 127.0.0.1 port {} was refused (tried key {}, no "
                    "password ($VPNAAS_TEST_NO_PASSWORD is not set); the server accepts publickey)",
                    test::current_user(), router.port(), keys.wrong_identity().string()));
  CHECK(session.error().hint ==
        fmt::format("add your public key to user {} on the device, pass --identity FILE, or set "
                    "$VPNAAS_TEST_NO_PASSWORD",
                    test::current_user()));
}

TEST_CASE("a closed port fails at once and a silent one within the connect timeout") {
  test::SshClientKeys keys;
  auto options = options_for(keys);
  options.connect_timeout = std::chrono::milliseconds(500);
  const std::string user = test::current_user();

  const int closed = test::closed_port();
  auto refused = Session::connect({"127.0.0.1", closed, user, {}}, options);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message ==
        fmt::format("connection to 127.0.0.1:{} refused (as {}): nothing listens there, or a "
                    "firewall rejects it",
                    closed, user));
  CHECK(refused.error().hint.find("time limit") == std::string::npos);

  test::SilentPort silent;
  const auto start = std::chrono::steady_clock::now();
  auto hung = Session::connect({"127.0.0.1", silent.port(), user, {}}, options);
  const auto waited = std::chrono::steady_clock::now() - start;
  REQUIRE_FALSE(hung.ok());
  CHECK(hung.error().message.starts_with(
      fmt::format("connection timed out after 0.5s on {}@127.0.0.1:{}: ", user, silent.port())));
  CHECK(hung.error().hint.find("time limit 0.5s, see --connect-timeout") != std::string::npos);
  CHECK(waited >= std::chrono::milliseconds(400));
  CHECK(waited < std::chrono::seconds(3));
}

TEST_CASE("a command that outlives the command timeout is abandoned") {
  test::SshClientKeys keys;
  test::FakeRouter router(keys);
  auto options = options_for(keys);
  options.command_timeout = std::chrono::milliseconds(300);
  auto session = Session::open(router.target(), options);
  REQUIRE(session.ok());

  auto output = session->run(":delay 5s");
  REQUIRE_FALSE(output.ok());
  CHECK(output.error().message ==
        fmt::format("command `:delay 5s` on {} did not finish within 0.3s", endpoint(router)));
  CHECK(output.error().hint == "raise --command-timeout if the device is just slow");
}

TEST_CASE("files travel by SFTP and are removed again") {
  test::SshClientKeys keys;
  test::FakeRouter router(keys);
  auto session = Session::open(router.target(), options_for(keys));
  REQUIRE(session.ok());

  const std::string script(100'000, 'x');
  REQUIRE(session->upload(script, "vpnaas-apply.rsc").ok());
  CHECK(session->last_transfer() == TransferMethod::sftp);
  CHECK(test::read_file(router.files() / "vpnaas-apply.rsc") == script);

  REQUIRE(session->remove("vpnaas-apply.rsc").ok());
  CHECK_FALSE(std::filesystem::exists(router.files() / "vpnaas-apply.rsc"));
  CHECK(session->remove("vpnaas-apply.rsc").ok());
}

TEST_CASE("without an SFTP subsystem uploads fall back to SCP") {
  test::SshClientKeys keys;
  test::FakeRouter router(keys, {.sftp = false});
  auto session = Session::open(router.target(), options_for(keys));
  REQUIRE(session.ok());

  const std::string script = "/system identity set name=scp\n";
  auto uploaded = session->upload(script, "vpnaas-apply.rsc");
  REQUIRE_MESSAGE(uploaded.ok(), to_string(uploaded.error()));
  CHECK(session->last_transfer() == TransferMethod::scp);
  CHECK_FALSE(session->sftp_available());
  CHECK(test::read_file(router.files() / "vpnaas-apply.rsc") == script);

  auto removed = session->remove("vpnaas-apply.rsc");
  REQUIRE_FALSE(removed.ok());
  CHECK(removed.error().message ==
        fmt::format("cannot remove vpnaas-apply.rsc on {}: the server has no SFTP subsystem",
                    endpoint(router)));
}

TEST_CASE("a connection dropped in the middle of an upload is reported") {
  test::SshClientKeys keys;
  test::FakeRouter router(keys);
  router.drop_uploads();
  auto session = Session::open(router.target(), options_for(keys));
  REQUIRE(session.ok());

  auto uploaded = session->upload(std::string(65'536, 'x'), "vpnaas-apply.rsc");
  REQUIRE_FALSE(uploaded.ok());
  CHECK(uploaded.error().code == ErrorCode::remote);
  CHECK(uploaded.error().message.starts_with("upload of vpnaas-apply.rsc broke off after "));
  CHECK(uploaded.error().hint == "the connection broke off; check the device and run again");
  CHECK_FALSE(session->connected());
}

TEST_CASE("a command printing without end is cut off at the output limit") {
  test::SshClientKeys keys;
  test::FakeRouter router(keys);
  auto options = options_for(keys);
  options.max_output_bytes = 1024 * 1024;
  for (const std::string command : {"/vpnaas-test flood", "/vpnaas-test flood stderr"}) {
    CAPTURE(command);
    auto session = Session::open(router.target(), options);
    REQUIRE(session.ok());
    const auto start = std::chrono::steady_clock::now();
    auto output = session->run(command);
    const auto waited = std::chrono::steady_clock::now() - start;
    REQUIRE_FALSE(output.ok());
    CHECK(output.error().code == ErrorCode::remote);
    CHECK(output.error().message ==
          fmt::format("command `{}` on {} printed more than 1 MiB; stopped reading it and closed "
                      "the connection",
                      command, endpoint(router)));
    CHECK(output.error().hint == "RouterOS answers vpnaas's commands with far less: check that "
                                 "the device is a RouterOS router and what it prints for this "
                                 "command");
    CHECK_FALSE(session->connected());
    // Well before the command timeout (10s): the limit, not the clock, stopped it.
    CHECK(waited < std::chrono::seconds(5));
  }
  // Output up to the limit is returned whole: this one is exactly 21 bytes.
  options.max_output_bytes = 21;
  auto session = Session::open(router.target(), options);
  REQUIRE(session.ok());
  auto output = session->run("/system identity print");
  REQUIRE(output.ok());
  CHECK(output->out == "  name: fake-router\r\n");
}

TEST_CASE("a host name is looked up by vpnaas and kept as the name of the host key") {
  test::SshClientKeys keys;
  test::FakeRouter router(keys);
  auto options = options_for(keys);
  const auto open_descriptors = [] {
    return std::distance(std::filesystem::directory_iterator("/proc/self/fd"),
                         std::filesystem::directory_iterator());
  };
  const auto before = open_descriptors();
  for (int i = 0; i < 3; ++i) {
    auto session = Session::open({"localhost", router.port(), test::current_user(), {}}, options);
    REQUIRE_MESSAGE(session.ok(), to_string(session.error()));
    CHECK(session->run("/system identity print").ok());
  }
  // Each socket vpnaas opened for libssh was closed again.
  CHECK(open_descriptors() == before);
  CHECK(test::read_file(keys.known_hosts())
            .starts_with(fmt::format("[localhost]:{} ssh-ed25519 ", router.port())));
}

TEST_CASE("a server that stalls during authentication is given up within the connect timeout") {
  if (geteuid() != 0) {
    MESSAGE("skipped: sshd runs an AuthorizedKeysCommand only when started as root");
    return;
  }
  test::SshClientKeys keys;
  test::FakeRouter router(keys, {.auth_delay_seconds = 20});
  auto options = options_for(keys);
  options.connect_timeout = std::chrono::seconds(1);
  auto session = Session::connect(router.target(), options);
  REQUIRE_MESSAGE(session.ok(), to_string(session.error())); // the key exchange completes
  REQUIRE(session->verify_host_key().ok());

  const auto start = std::chrono::steady_clock::now();
  auto authenticated = session->authenticate();
  const auto waited = std::chrono::steady_clock::now() - start;
  REQUIRE_FALSE(authenticated.ok());
  CHECK(authenticated.error().code == ErrorCode::remote);
  CHECK(authenticated.error().message ==
        fmt::format("authentication on {} did not finish within 1s: the SSH server accepted the "
                    "connection but does not answer the login",
                    endpoint(router)));
  CHECK(authenticated.error().hint == "check the device's authentication (RADIUS, user "
                                      "database); raise --connect-timeout if it is just slow");
  CHECK(waited >= std::chrono::milliseconds(900));
  CHECK(waited < std::chrono::seconds(4));
}
