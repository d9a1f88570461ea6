#include <vpnaas/device/routeros.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <sys/stat.h>

#include "support/sshd.hpp"

using namespace vpnaas;
using device::RouterOs;
using transport::ssh::Session;

namespace {

transport::ssh::SshOptions options_for(const test::SshClientKeys& keys) {
  transport::ssh::SshOptions options;
  options.known_hosts = keys.known_hosts();
  options.identity = keys.identity();
  options.accept_new_host_keys = true;
  options.password_env = "VPNAAS_TEST_NO_PASSWORD";
  return options;
}

} // namespace

TEST_CASE("a backup is kept on the device and, readable by the owner only, locally") {
  test::SshClientKeys keys;
  test::FakeRouter router(keys);
  test::TempDir backups;
  auto session = Session::open(router.target(), options_for(keys));
  REQUIRE(session.ok());
  RouterOs routeros(*session);

  auto saved = routeros.save_backup("dc1-r1", backups.path(), "vpnaas-before-apply");
  REQUIRE_MESSAGE(saved.ok(), to_string(saved.error()));
  const std::string expected = test::read_file(test::data_path("ssh/export.rsc"));
  CHECK(saved->parent_path() == backups.path() / "dc1-r1");
  CHECK(saved->extension() == ".rsc");
  CHECK(test::read_file(*saved) == expected);
  CHECK(test::read_file(router.files() / "vpnaas-before-apply.rsc") == expected);
  struct stat info {};
  REQUIRE(stat(saved->c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);

  auto again = routeros.save_backup("dc1-r1", backups.path(), "vpnaas-before-apply");
  REQUIRE(again.ok());
  CHECK(*again != *saved);
}

TEST_CASE("a script is uploaded, imported and removed") {
  test::SshClientKeys keys;
  test::FakeRouter router(keys);
  auto session = Session::open(router.target(), options_for(keys));
  REQUIRE(session.ok());
  RouterOs routeros(*session);
  const std::string script = "/interface gre\nadd name=gre-a remote-address=192.0.2.1\n";

  REQUIRE(routeros.upload_script(script, "vpnaas-apply.rsc").ok());
  auto verdict = routeros.import_script("vpnaas-apply.rsc", script);
  REQUIRE(verdict.ok());
  CHECK(verdict->ok);
  REQUIRE(routeros.remove_file("vpnaas-apply.rsc").ok());
  CHECK_FALSE(std::filesystem::exists(router.files() / "vpnaas-apply.rsc"));
  CHECK(router.imported() == std::vector<std::string>{script});
}

TEST_CASE("a rejected import names the failing line") {
  test::SshClientKeys keys;
  test::FakeRouter router(keys);
  router.fail_import_at("bogus", "expected end of command");
  auto session = Session::open(router.target(), options_for(keys));
  REQUIRE(session.ok());
  RouterOs routeros(*session);
  const std::string script = "/interface gre\nadd name=gre-a remote-address=192.0.2.1\n"
                             "add name=gre-b remote-address=192.0.2.2 bogus=1\n";

  REQUIRE(routeros.upload_script(script, "vpnaas-apply.rsc").ok());
  auto verdict = routeros.import_script("vpnaas-apply.rsc", script);
  REQUIRE(verdict.ok());
  CHECK_FALSE(verdict->ok);
  CHECK(device::describe(*verdict) ==
        "line 3 (`add name=gre-b remote-address=192.0.2.2 bogus=1`): Script Error: expected end "
        "of command (line 3 column 1)");
  CHECK(router.imported().empty());
}

TEST_CASE("without SFTP a file is removed with /file remove") {
  test::SshClientKeys keys;
  test::FakeRouter router(keys, {.sftp = false});
  auto session = Session::open(router.target(), options_for(keys));
  REQUIRE(session.ok());
  RouterOs routeros(*session);

  REQUIRE(routeros.upload_script("/system identity print\n", "vpnaas-apply.rsc").ok());
  auto removed = routeros.remove_file("vpnaas-apply.rsc");
  REQUIRE_MESSAGE(removed.ok(), to_string(removed.error()));
  CHECK_FALSE(std::filesystem::exists(router.files() / "vpnaas-apply.rsc"));
  CHECK(router.commands().find("/file remove \"vpnaas-apply.rsc\"\n") != std::string::npos);
}

TEST_CASE("a reboot answers the confirmation prompt") {
  test::SshClientKeys keys;
  test::FakeRouter router(keys);
  auto session = Session::open(router.target(), options_for(keys));
  REQUIRE(session.ok());

  auto rebooted = RouterOs(*session).reboot();
  REQUIRE_MESSAGE(rebooted.ok(), to_string(rebooted.error()));
  CHECK(std::filesystem::exists(router.dir() / "rebooted"));
}

TEST_CASE("export and ad-hoc commands return RouterOS's text with LF line ends") {
  test::SshClientKeys keys;
  test::FakeRouter router(keys);
  auto session = Session::open(router.target(), options_for(keys));
  REQUIRE(session.ok());
  RouterOs routeros(*session);

  auto exported = routeros.export_config();
  REQUIRE(exported.ok());
  CHECK(*exported == test::read_file(test::data_path("ssh/export.rsc")));
  auto output = routeros.run("/system identity print");
  REQUIRE(output.ok());
  CHECK(output->out == "  name: fake-router\n");
}
