#include <vpnaas/workspace/open.hpp>

#include <doctest/doctest.h>

#include <cstdlib>

#include "support/paths.hpp"

using namespace vpnaas;
namespace fs = std::filesystem;

namespace {

// A copy of a fixture outside any git work tree, and no $VPNAAS_INVENTORY.
struct Fixture {
  test::TempDir tmp;
  fs::path folder = tmp.path() / "inventory";
  Fixture() {
    ::unsetenv(kInventoryEnv);
    test::copy_tree(test::data_path("render/small7"), folder);
  }
  OpenRequest request() const {
    OpenRequest request;
    request.inventory = folder.string();
    request.bundled = tmp.path() / "bundled";
    request.write_lock = false;
    return request;
  }
};

} // namespace

TEST_CASE("open_inventory: a folder opens valid, labelled by its path, without a revision") {
  Fixture f;
  OpenedWorkspace opened = open_inventory(f.request());
  REQUIRE(!opened.error);
  REQUIRE(opened.workspace != nullptr);
  CHECK(opened.workspace->valid());
  CHECK(!opened.path.bundled);
  CHECK(!opened.rev);
  CHECK(!opened.commit);
  CHECK(inventory_label(opened) == opened.path.path.generic_string());
  CHECK(!revision_of(opened)); // not in git
  // write_lock off: the lock the fixture lacks is computed, not written.
  CHECK(!opened.workspace->lock_written);
  CHECK(!fs::exists(f.folder / "vpnaas.lock"));
}

TEST_CASE("open_inventory: a revision outside git fails with the caller's own hint") {
  Fixture f;
  OpenRequest request = f.request();
  request.rev = "HEAD~1";
  request.rev_option.outside_git_hint = "the caller's hint";
  OpenedWorkspace opened = open_inventory(request);
  REQUIRE(opened.error);
  CHECK(opened.error->code == ErrorCode::invalid_input);
  CHECK(opened.error->hint == "the caller's hint");
  CHECK(opened.workspace == nullptr);
}

TEST_CASE("side_request: a compared side never writes, keeps --locked for the working tree only") {
  OpenRequest base;
  base.locked = true;
  base.write_lock = true;
  git::RevisionOption option;
  option.flag = "--base";
  OpenRequest committed = side_request(base, std::string("HEAD~1"), option);
  CHECK(committed.rev == std::optional<std::string>("HEAD~1"));
  CHECK(committed.rev_option.flag == "--base");
  CHECK(!committed.locked);
  CHECK(!committed.write_lock);
  CHECK(committed.allow_mass_removal);
  OpenRequest working = side_request(base, std::nullopt, option);
  CHECK(!working.rev);
  CHECK(working.locked);
  CHECK(!working.write_lock);
}

TEST_CASE("key_source_for: the bundled inventory's own key file, master.key for any other") {
  Fixture f;
  OpenRequest bundled = f.request();
  bundled.inventory.reset();
  bundled.bundled = f.folder;
  auto source = key_source_for(bundled, std::nullopt);
  CHECK(source.default_key_file.filename() == "bundled-inventory.key");
  CHECK(source.create_if_missing);
  CHECK(!source.key_file);

  auto other = key_source_for(f.request(), std::nullopt);
  CHECK(other.default_key_file.filename() == "master.key");
  CHECK(!other.create_if_missing);
  auto chosen = key_source_for(f.request(), std::string("/secure/k.key"));
  REQUIRE(chosen.key_file);
  CHECK(*chosen.key_file == fs::path("/secure/k.key"));
}
