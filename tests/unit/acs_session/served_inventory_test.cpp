// What `acs serve` takes from the inventory (at start and on SIGHUP): serial
// bindings, device names, management.acs, and the refusals.

#include <vpnaas/acs/session/served_inventory.hpp>

#include <doctest/doctest.h>

#include <string>

#include "support/paths.hpp"

using namespace vpnaas;
using namespace vpnaas::acs::session;
using vpnaas::test::TempDir;

namespace {

// A copy of the bundled inventory, with `from` replaced by `to` in `file`.
void copy_inventory(const std::filesystem::path& to_dir, const std::string& file = {},
                    const std::string& from = {}, const std::string& to = {}) {
  test::copy_tree(test::source_path("inventory"), to_dir);
  if (file.empty()) {
    return;
  }
  std::string text = test::read_file(to_dir / file);
  const auto at = text.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, from);
  test::write_file(to_dir / file, text.replace(at, from.size(), to));
}

// Loads a copy edited as copy_inventory does, which must be refused as
// invalid_input naming the folder; returns the problems found.
Diagnostics refused(const std::string& file, const std::string& from, const std::string& to) {
  TempDir dir;
  copy_inventory(dir.path(), file, from, to);
  Diagnostics diags;
  auto served = load_served_inventory(dir.path(), diags);
  REQUIRE_FALSE(served.ok());
  CHECK(served.error().code == ErrorCode::invalid_input);
  CHECK(served.error().message == "the inventory " + dir.path().string() + " does not load");
  return diags;
}

} // namespace

TEST_CASE("served inventory: serials bound, every device named, management.acs read") {
  TempDir dir;
  copy_inventory(dir.path());
  Diagnostics diags;
  auto served = load_served_inventory(dir.path(), diags);
  REQUIRE_MESSAGE(served.ok(), (served.ok() ? "" : to_string(served.error())));
  CHECK_FALSE(diags.has_errors());
  CHECK(served->bindings.at("9A1B2C3D4E5F") == "dc1-r1");
  CHECK(served->device_names.count("dc1-r1") == 1);
  CHECK(served->device_names.count("dc1-r2") == 1);
  CHECK(served->device_names.count("acme-ant-r1") == 1);
  CHECK(served->device_names.count("nope") == 0);
  REQUIRE(served->acs.has_value());
  CHECK(served->acs->url == "https://acs.example.net:7547/");
}

TEST_CASE("served inventory: a duplicate serial is refused with the file and line of both") {
  const Diagnostics diags = refused("clusters/dc1.yaml", "    router-id: 10.0.255.2\n",
                                    "    router-id: 10.0.255.2\n    serial: \"9A1B2C3D4E5F\"\n");
  REQUIRE(diags.error_count() == 1);
  const Diagnostic& d = diags.items().front();
  CHECK(d.code == "duplicate-serial");
  CHECK(d.where.file.ends_with("clusters/dc1.yaml"));
  CHECK(d.where.line == 12);
  CHECK(d.message.find("duplicate serial \"9A1B2C3D4E5F\"; it is already used at ") == 0);
  CHECK(d.message.find("clusters/dc1.yaml:7:") != std::string::npos);
}

TEST_CASE("served inventory: a file that does not load is refused with its position") {
  const Diagnostics diags = refused("clusters/dc1.yaml", "    serial: \"9A1B2C3D4E5F\"\n",
                                    "    serial: \"9A1B2C3D4E5F\"\n    serail: typo\n");
  REQUIRE(diags.has_errors());
  CHECK(diags.items().front().where.file.ends_with("clusters/dc1.yaml"));
  CHECK(diags.items().front().where.line == 8);

  TempDir dir;
  Diagnostics missing;
  CHECK_FALSE(load_served_inventory(dir.path() / "nowhere", missing).ok());
  CHECK(missing.has_errors());
}
