#include <vpnaas/device/routeros.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <sys/stat.h>

#include "support/sshd.hpp"

using namespace vpnaas;
using device::RouterOs;
using transport::ssh::Session;

TEST_CASE("a backup is kept on the device and, readable by the owner only, locally") {
  test::SshClientKeys keys;
  test::FakeRouter router(keys);
  test::TempDir backups;
  auto session = Session::open(router.target(), keys.ssh_options());
  REQUIRE(session.ok());
  RouterOs routeros(*session);

  auto saved = routeros.save_backup("dc1-r1", backups.path(), "vpnaas-before-apply");
  REQUIRE_MESSAGE(saved.ok(), to_string(saved.error()));
  const std::string expected = test::read_file(test::data_path("ssh/export.rsc"));
  CHECK(saved->parent_path() == backups.path() / "dc1-r1");
  CHECK(saved->extension() == ".rsc");
  CHECK(test::read_file(*saved) == expected);
  CHECK(test::read_file(router.files() / "vpnaas-before-apply.rsc") == expected);
  CHECK(router.commands().find("/export file=\"vpnaas-before-apply\"\n") != std::string::npos);
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
  auto session = Session::open(router.target(), keys.ssh_options());
  REQUIRE(session.ok());
  RouterOs routeros(*session);
  const std::string script = "/interface gre\nadd name=gre-a remote-address=192.0.2.1\n";

  REQUIRE(routeros.upload_script(script, "vpnaas-apply.rsc").ok());
  auto verdict = routeros.import_script("vpnaas-apply.rsc", script);
  REQUIRE(verdict.ok());
  CHECK(verdict->outcome == device::ImportOutcome::applied);
  REQUIRE(routeros.remove_file("vpnaas-apply.rsc").ok());
  CHECK_FALSE(std::filesystem::exists(router.files() / "vpnaas-apply.rsc"));
  CHECK(router.imported() == std::vector<std::string>{script});
}

TEST_CASE("a rejected import names the failing line") {
  test::SshClientKeys keys;
  test::FakeRouter router(keys);
  router.fail_import_at("bogus", "expected end of command");
  auto session = Session::open(router.target(), keys.ssh_options());
  REQUIRE(session.ok());
  RouterOs routeros(*session);
  const std::string script = "/interface gre\nadd name=gre-a remote-address=192.0.2.1\n"
                             "add name=gre-b remote-address=192.0.2.2 bogus=1\n";

  REQUIRE(routeros.upload_script(script, "vpnaas-apply.rsc").ok());
  auto verdict = routeros.import_script("vpnaas-apply.rsc", script);
  REQUIRE(verdict.ok());
  CHECK(verdict->outcome == device::ImportOutcome::failed);
  CHECK(device::describe(*verdict) ==
        "line 3 (`add name=gre-b remote-address=192.0.2.2 bogus=1`): Script Error: expected end "
        "of command (line 3 column 1)");
  CHECK(router.imported().empty());
}

TEST_CASE("without SFTP a file is removed with /file remove") {
  test::SshClientKeys keys;
  test::FakeRouter router(keys, {.sftp = false});
  auto session = Session::open(router.target(), keys.ssh_options());
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
  auto session = Session::open(router.target(), keys.ssh_options());
  REQUIRE(session.ok());

  auto rebooted = RouterOs(*session).reboot();
  REQUIRE_MESSAGE(rebooted.ok(), to_string(rebooted.error()));
  CHECK(std::filesystem::exists(router.dir() / "rebooted"));
}

TEST_CASE("export and ad-hoc commands return RouterOS's text with LF line ends") {
  test::SshClientKeys keys;
  test::FakeRouter router(keys);
  auto session = Session::open(router.target(), keys.ssh_options());
  REQUIRE(session.ok());
  RouterOs routeros(*session);

  auto exported = routeros.export_config();
  REQUIRE(exported.ok());
  CHECK(*exported == test::read_file(test::data_path("ssh/export.rsc")));
  auto output = routeros.run("/system identity print");
  REQUIRE(output.ok());
  CHECK(output->out == "  name: fake-router\n");
}

TEST_CASE("the script's :put output is the import's end marker") {
  test::SshClientKeys keys;
  test::FakeRouter router(keys);
  auto session = Session::open(router.target(), keys.ssh_options());
  REQUIRE(session.ok());
  RouterOs routeros(*session);
  const std::string script = "/interface gre\nadd name=gre-a remote-address=192.0.2.1\n"
                             ":put \"vpnaas:done:run-1\"\n";

  REQUIRE(routeros.upload_script(script, "vpnaas-apply-run-1.rsc").ok());
  auto verdict = routeros.import_script("vpnaas-apply-run-1.rsc", script, "vpnaas:done:run-1");
  REQUIRE(verdict.ok());
  CHECK(verdict->outcome == device::ImportOutcome::applied);
  CHECK(router.commands().find("/import file-name=\"vpnaas-apply-run-1.rsc\"\n") !=
        std::string::npos);

  // Another run's marker is not this run's evidence.
  const std::string only_put = ":put \"vpnaas:done:run-1\"\n";
  REQUIRE(routeros.upload_script(only_put, "vpnaas-apply-run-2.rsc").ok());
  auto other = routeros.import_script("vpnaas-apply-run-2.rsc", only_put, "vpnaas:done:run-2");
  REQUIRE(other.ok());
  CHECK(other->outcome == device::ImportOutcome::unknown);
}

TEST_CASE("a name that is not a plain file name is never sent") {
  test::SshClientKeys keys;
  test::FakeRouter router(keys);
  auto session = Session::open(router.target(), keys.ssh_options());
  REQUIRE(session.ok());
  RouterOs routeros(*session);
  test::TempDir backups;

  auto saved = routeros.save_backup("r1", backups.path(), "x\"; /system reboot; \"");
  REQUIRE_FALSE(saved.ok());
  CHECK(saved.error().code == ErrorCode::invalid_input);
  auto imported = routeros.import_script("$(reboot).rsc", "");
  REQUIRE_FALSE(imported.ok());
  CHECK(imported.error().code == ErrorCode::invalid_input);
  CHECK(router.commands().empty());
}

TEST_CASE("files are listed by prefix, by SFTP and by the console") {
  test::SshClientKeys keys;
  for (const bool sftp : {true, false}) {
    CAPTURE(sftp);
    test::FakeRouter router(keys, {.sftp = sftp});
    for (const char* name : {"vpnaas-backup-2.rsc", "other.rsc", "vpnaas-backup-1.rsc"}) {
      test::write_file(router.files() / name, "x");
    }
    auto session = Session::open(router.target(), keys.ssh_options());
    REQUIRE(session.ok());
    auto listed = RouterOs(*session).list_files("vpnaas-backup-");
    REQUIRE_MESSAGE(listed.ok(), to_string(listed.error()));
    CHECK(*listed == std::vector<std::string>{"vpnaas-backup-1.rsc", "vpnaas-backup-2.rsc"});
    CHECK((router.commands().find(":foreach f in=[/file find where name~\"^vpnaas-backup-\"] "
                                  "do={:put [/file get $f name]}") != std::string::npos) == !sftp);
  }
}

TEST_CASE("the apply lock has one holder at a time and expires") {
  test::SshClientKeys keys;
  test::FakeRouter router(keys);
  auto session = Session::open(router.target(), keys.ssh_options());
  REQUIRE(session.ok());
  RouterOs routeros(*session);

  auto first = routeros.try_lock("run-a", std::chrono::seconds(600));
  REQUIRE_MESSAGE(first.ok(), to_string(first.error()));
  CHECK(*first == "run-a");
  CHECK(router.lock_holder() == "run-a");
  auto second = routeros.try_lock("run-b", std::chrono::seconds(600));
  REQUIRE(second.ok());
  CHECK(*second == "run-a");
  // Only the holder's unlock removes it.
  REQUIRE(routeros.unlock("run-b").ok());
  CHECK(router.lock_holder() == "run-a");
  REQUIRE(routeros.unlock("run-a").ok());
  CHECK(router.lock_holder().empty());

  router.hold_lock("run-dead", -1);
  auto after_expiry = routeros.try_lock("run-c", std::chrono::seconds(600));
  REQUIRE(after_expiry.ok());
  CHECK(*after_expiry == "run-c");
  CHECK(router.commands().find(
            ":if ([:len [/system scheduler find where name=\"vpnaas-apply-lock\"]] = 0) "
            "do={/system scheduler add name=\"vpnaas-apply-lock\" interval=600s "
            "comment=\"run-a\" on-event=\"/system scheduler remove [find where "
            "name=\\\"vpnaas-apply-lock\\\"]\"}; :put (\"vpnaas:lock:\" . [/system scheduler get "
            "[find where name=\"vpnaas-apply-lock\"] comment])\n") != std::string::npos);
}
