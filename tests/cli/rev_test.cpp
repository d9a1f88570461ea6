// `--rev REV`: commands read the inventory and its lock as committed at a git
// revision, whatever the working tree holds, and never write to it.
#include <doctest/doctest.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "bundled_repo.hpp"

using namespace vpnaas::test;
namespace fs = std::filesystem;

namespace {

// The bundled inventory, then acme's fourth site committed on top (with its
// lock), so HEAD~1 and HEAD differ.
struct RevRepo : BundledRepo {
  std::string second;

  RevRepo() {
    add_liege();
    REQUIRE(cli({"inventory", "validate"}).exit_code == 0); // writes the lock
    second = repo.commit_all("acme: add liege");
  }
};

} // namespace

TEST_CASE("--rev validates the committed inventory, not the broken working tree") {
  RevRepo r;
  write_file(r.inventory / "customers/acme.yaml", "customer: [broken\n");
  CHECK(r.cli({"inventory", "validate"}).exit_code == 1);

  RunResult head = r.cli({"inventory", "validate", "--rev", "HEAD"});
  CHECK(head.exit_code == 0);
  CHECK(head.out.find("at HEAD (commit " + r.second.substr(0, 12) + "): valid") !=
        std::string::npos);
  RunResult json = r.cli({"inventory", "validate", "--rev", "HEAD~1", "--format", "json"});
  REQUIRE(json.exit_code == 0);
  auto doc = nlohmann::json::parse(json.out);
  CHECK(doc["rev"] == "HEAD~1");
  CHECK(doc["commit"] == r.first);
  CHECK(doc["summary"]["sites"] == 8);
  CHECK(read_file(r.inventory / "customers/acme.yaml") == "customer: [broken\n");
}

TEST_CASE("--rev names committed files as REV:path in diagnostics") {
  RevRepo r;
  write_file(r.inventory / "customers/acme.yaml",
             read_file(r.inventory / "customers/acme.yaml") + "  - name: liege\n");
  r.repo.commit_all("a broken site");
  RunResult bad = r.cli({"inventory", "validate", "--rev", "HEAD"});
  CHECK(bad.exit_code == 1);
  CHECK(bad.err.find("HEAD:repo/inventory/customers/acme.yaml:") != std::string::npos);
  CHECK(r.cli({"inventory", "validate", "--rev", "HEAD~1"}).exit_code == 0);
}

TEST_CASE("--rev renders each revision with its own lock and names the commit") {
  RevRepo r;
  const fs::path out_old = r.dir.path() / "old";
  const fs::path out_new = r.dir.path() / "new";
  REQUIRE(r.cli({"mesh", "generate", "--rev", "HEAD~1", "--out", out_old.string()}).exit_code == 0);
  REQUIRE(r.cli({"mesh", "generate", "--rev", r.second, "--out", out_new.string()}).exit_code == 0);
  CHECK_FALSE(fs::exists(out_old / "acme/acme-lie-r1.rsc"));
  const std::string liege = read_file(out_new / "acme/acme-lie-r1.rsc");
  CHECK(liege.find("inventory revision \"" + r.second) != std::string::npos);
  CHECK(read_file(out_old / "globex/globex-par-r1.rsc").find("inventory revision \"" + r.first) !=
        std::string::npos);
  // Nothing in the repository changed: no lock written, no file touched.
  CHECK(r.repo.git({"status", "--porcelain"}).empty());
}

TEST_CASE("--rev with --locked fails when the committed lock is out of date") {
  RevRepo r;
  write_file(r.inventory / "customers/acme.yaml",
             read_file(r.inventory / "customers/acme.yaml") +
                 "  - name: namur\n    lan: [192.168.50.0/24]\n    device:\n      name: "
                 "acme-nam-r1\n      public-ip: 192.0.2.50\n      router-id: 10.1.0.5\n");
  r.repo.git({"add", "-A"});
  r.repo.git({"commit", "-q", "-m", "namur without its lock"});
  RunResult locked = r.cli({"inventory", "validate", "--rev", "HEAD", "--locked"});
  CHECK(locked.exit_code == 3);
  CHECK(locked.err.find("HEAD:repo/inventory/vpnaas.lock is out of date") != std::string::npos);
  RunResult unlocked = r.cli({"inventory", "validate", "--rev", "HEAD"});
  CHECK(unlocked.exit_code == 0);
  CHECK(unlocked.err.find("using the allocation computed in memory") != std::string::npos);
  CHECK(r.repo.git({"status", "--porcelain"}).empty());
}

TEST_CASE("--rev errors: unknown revision, no repository") {
  RevRepo r;
  RunResult unknown = r.cli({"inventory", "show", "--rev", "no-such-branch"});
  CHECK(unknown.exit_code == 1);
  CHECK(unknown.err.find("revision no-such-branch is not a commit") != std::string::npos);
  RunResult json =
      r.cli({"apply", "--via", "ssh", "--dry-run", "--rev", "nope", "--format", "json"});
  CHECK(json.exit_code == 1);
  CHECK(nlohmann::json::parse(json.out)["error"]["code"] == "invalid-input");

  TempDir plain;
  copy_tree(source_path("inventory"), plain.path() / "inventory");
  RunResult outside = run_cli({"inventory", "validate", "--inventory",
                               (plain.path() / "inventory").string(), "--rev", "HEAD"},
                              r.env);
  CHECK(outside.exit_code == 1);
  CHECK(outside.err.find("is not inside a git repository") != std::string::npos);
}

TEST_CASE("--rev selects devices of that revision for apply and device commands") {
  RevRepo r;
  RunResult old =
      r.cli({"apply", "--via", "ssh", "--dry-run", "--rev", "HEAD~1", "--device", "acme-lie-r1"});
  CHECK(old.exit_code == 2);
  CHECK(old.err.find("acme-lie-r1") != std::string::npos);
  RunResult now = r.cli({"apply", "--via", "ssh", "--dry-run", "--rev", "HEAD", "--device",
                         "acme-lie-r1", "--format", "json"});
  REQUIRE(now.exit_code == 0);
  CHECK(nlohmann::json::parse(now.out)["devices"][0]["device"] == "acme-lie-r1");
  RunResult device = r.cli({"device", "export", "acme-lie-r1", "--rev", "HEAD~1"});
  CHECK(device.exit_code == 2);
  CHECK(device.err.find("no device named \"acme-lie-r1\" in repo/inventory at HEAD~1") !=
        std::string::npos);
}
