#include <vpnaas/git/revision.hpp>
#include <vpnaas/git/tree.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "support/git_repo.hpp"
#include "support/inventory_text.hpp"
#include "support/paths.hpp"

using namespace vpnaas;
using namespace vpnaas::test;

namespace {

void write_inventory(const std::filesystem::path& root,
                     const std::map<std::string, std::string>& files) {
  for (const auto& [relative, text] : files) {
    write_file(root / relative, text);
  }
}

} // namespace

TEST_CASE("read_inventory_at reads the committed files, not the working tree") {
  TempDir tmp;
  GitRepo repo(tmp.path());
  const auto inv = tmp.path() / "inventory";
  auto files = small_inventory();
  files["vpnaas.lock"] = "# lock\n";
  write_inventory(inv, files);
  write_file(tmp.path() / "README.md", "outside the inventory\n");
  const std::string first = repo.commit_all("one");

  write_file(inv / "vpnaas.yaml", "edited in the working tree\n");
  write_file(inv / "customers/new.yaml", "customer: new\n");

  auto at_head = git::read_inventory_at(inv, "HEAD");
  REQUIRE(at_head);
  CHECK(at_head->commit == first);
  CHECK(at_head->revision == "HEAD");
  CHECK(at_head->files == files); // exactly the committed files, README outside not included
  CHECK(repo.git({"status", "--porcelain"}).find("vpnaas.yaml") != std::string::npos);
  CHECK(read_file(inv / "vpnaas.yaml") == "edited in the working tree\n");
}

TEST_CASE("read_inventory_at finds a folder deleted from the working tree, and older revisions") {
  TempDir tmp;
  GitRepo repo(tmp.path());
  const auto inv = tmp.path() / "net" / "inventory";
  write_inventory(inv, small_inventory());
  repo.commit_all("one");
  write_file(inv / "clusters/dc2.yaml", "cluster: dc2\n");
  const std::string second = repo.commit_all("two");
  std::filesystem::remove_all(tmp.path() / "net");

  auto old = git::read_inventory_at(inv, "HEAD~1");
  REQUIRE(old);
  CHECK(old->files.count("clusters/dc2.yaml") == 0);
  auto latest = git::read_inventory_at(inv, second.substr(0, 10));
  REQUIRE(latest);
  CHECK(latest->commit == second);
  CHECK(latest->files.at("clusters/dc2.yaml") == "cluster: dc2\n");
}

TEST_CASE("read_inventory_at lists other files without content, for the stray-file check") {
  TempDir tmp;
  GitRepo repo(tmp.path());
  auto files = small_inventory();
  write_inventory(tmp.path(), files); // the inventory is the repository's root
  write_file(tmp.path() / "customers/acme.yml~", "backup\n");
  write_file(tmp.path() / "customers/deep/x.yaml", "deep\n");
  repo.commit_all("one");

  auto at = git::read_inventory_at(tmp.path(), "main");
  REQUIRE(at);
  CHECK(at->files.at("customers/acme.yml~").empty());
  CHECK(at->files.at("customers/deep/x.yaml").empty());
  CHECK(at->files.at("customers/acme.yaml") == files.at("customers/acme.yaml"));
}

TEST_CASE("read_inventory_at reads thousands of files through one cat-file") {
  // The requests alone exceed a pipe's buffer, so writing them while reading
  // the answers must not deadlock. Every file has the same content: git then
  // stores one object, which keeps the commit fast.
  TempDir tmp;
  GitRepo repo(tmp.path());
  std::map<std::string, std::string> files;
  for (int i = 0; i < 1700; ++i) {
    files[fmt::format("customers/c{:04}.yaml", i)] = "customer: same\n";
  }
  files["vpnaas.yaml"] = std::string(200000, '#') + "\n";
  write_inventory(tmp.path() / "inv", files);
  repo.commit_all("many");
  auto at = git::read_inventory_at(tmp.path() / "inv", "HEAD");
  REQUIRE(at);
  CHECK(at->files == files);
}

TEST_CASE("read_inventory_at explains what is wrong") {
  TempDir tmp;
  SUBCASE("not a repository") {
    write_inventory(tmp.path(), small_inventory());
    auto r = git::read_inventory_at(tmp.path(), "HEAD");
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::invalid_input);
    CHECK(r.error().message.find("is not inside a git repository") != std::string::npos);
    CHECK(r.error().hint.find("drop --rev") != std::string::npos);
    git::RevisionOption base;
    base.flag = "--base";
    base.outside_git_hint = "keep the folder in git";
    auto named = git::read_inventory_at(tmp.path(), "HEAD", base);
    REQUIRE_FALSE(named);
    CHECK(named.error().hint == "keep the folder in git");
    auto empty = git::read_inventory_at(tmp.path(), "", base);
    REQUIRE_FALSE(empty);
    CHECK(empty.error().message == "--base needs a git revision");
  }
  SUBCASE("unknown revision, or one that looks like an option") {
    GitRepo repo(tmp.path());
    write_inventory(tmp.path(), small_inventory());
    repo.commit_all("one");
    for (const char* rev : {"no-such-branch", "--all", "HEAD~5"}) {
      auto r = git::read_inventory_at(tmp.path(), rev);
      REQUIRE_FALSE(r);
      CHECK(r.error().message ==
            fmt::format("revision {} is not a commit of the repository holding {}", rev,
                        tmp.path().generic_string()));
      CHECK(r.error().hint.find("fetch-depth") != std::string::npos);
    }
    auto empty = git::read_inventory_at(tmp.path(), "");
    REQUIRE_FALSE(empty);
  }
  SUBCASE("folder missing at that revision") {
    GitRepo repo(tmp.path());
    write_file(tmp.path() / "other.txt", "x\n");
    repo.commit_all("one");
    auto r = git::read_inventory_at(tmp.path() / "inventory", "HEAD");
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find("does not exist at revision HEAD") != std::string::npos);
  }
  SUBCASE("a committed symbolic link") {
    GitRepo repo(tmp.path());
    write_inventory(tmp.path(), small_inventory());
    std::filesystem::create_symlink("acme.yaml", tmp.path() / "customers/globex.yaml");
    repo.commit_all("one");
    auto r = git::read_inventory_at(tmp.path(), "HEAD");
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find("customers/globex.yaml is a symbolic link") != std::string::npos);
  }
}

TEST_CASE("describe_head marks a dirty inventory") {
  TempDir tmp;
  CHECK_FALSE(git::describe_head(tmp.path()));
  GitRepo repo(tmp.path());
  write_inventory(tmp.path(), small_inventory());
  const std::string id = repo.commit_all("one");
  CHECK(git::describe_head(tmp.path()) == id);
  write_file(tmp.path() / "customers/new.yaml", "x\n");
  CHECK(git::describe_head(tmp.path()) == id + "-dirty");
}
