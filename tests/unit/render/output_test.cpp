// The output tree: file modes, the marker, atomic replacement, refusal to
// replace a foreign folder, nothing left behind on error, partial runs.
#include <vpnaas/render/generate.hpp>
#include <vpnaas/render/output_tree.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <chrono>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "render_support.hpp"
#include "support/paths.hpp"

namespace vpnaas::test {
namespace {

namespace fs = std::filesystem;

unsigned mode_of(const fs::path& p) {
  struct stat st {};
  REQUIRE(::stat(p.c_str(), &st) == 0);
  return st.st_mode & 0777u;
}

std::map<std::string, std::string> tree_contents(const fs::path& root) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (e.is_regular_file()) {
      out[e.path().lexically_relative(root).generic_string()] = read_file(e.path());
    }
  }
  return out;
}

struct Fixture {
  std::unique_ptr<Workspace> ws = open_fixture(data_path("render/small7"));
  secrets::MasterKey key = fixed_key();
  render::RenderInput input() const {
    return render::RenderInput{ws->inventory, ws->tunnels, ws->allocation.lock, key, {}};
  }
};

TEST_CASE("generate writes one private file per router, reproducibly") {
  Fixture f;
  TempDir tmp;
  auto out = tmp.path() / "out";
  auto summary = render::generate(f.input(), {out, {}, {}, false});
  REQUIRE(summary.ok());
  CHECK(summary->files.size() == 5);
  CHECK(fs::exists(out / render::kOutputMarker));
  CHECK(mode_of(out) == 0700u);
  for (const auto& file : summary->files) {
    CHECK(mode_of(out / file.path) == 0600u);
    CHECK(mode_of((out / file.path).parent_path()) == 0700u);
    CHECK(fs::file_size(out / file.path) == file.bytes);
  }
  auto first = tree_contents(out);
  REQUIRE(render::generate(f.input(), {out, {}, {}, false}).ok());
  CHECK(tree_contents(out) == first);
  // Only the output folder and nothing temporary next to it.
  CHECK(std::distance(fs::directory_iterator(tmp.path()), fs::directory_iterator()) == 1);
}

TEST_CASE("generate refuses to replace a folder it did not write") {
  Fixture f;
  TempDir tmp;
  write_file(tmp.path() / "notes.txt", "mine");
  auto summary = render::generate(f.input(), {tmp.path(), {}, {}, false});
  REQUIRE_FALSE(summary.ok());
  CHECK(summary.error().message.find("refusing to replace") != std::string::npos);
  CHECK(read_file(tmp.path() / "notes.txt") == "mine");
}

TEST_CASE("a failing run leaves the previous tree untouched and no temporary folder") {
  Fixture f;
  TempDir tmp;
  auto out = tmp.path() / "out";
  REQUIRE(render::generate(f.input(), {out, {}, {}, false}).ok());
  auto before = tree_contents(out);
  topology::LockFile broken = f.ws->allocation.lock;
  broken.tunnels.erase(std::prev(broken.tunnels.end()));
  render::RenderInput input{f.ws->inventory, f.ws->tunnels, broken, f.key, {}};
  auto summary = render::generate(input, {out, {}, {}, false});
  REQUIRE_FALSE(summary.ok());
  CHECK(tree_contents(out) == before);
  CHECK(std::distance(fs::directory_iterator(tmp.path()), fs::directory_iterator()) == 1);
}

TEST_CASE("a run for some devices keeps the other files and rewrites the selected ones") {
  Fixture f;
  TempDir tmp;
  auto out = tmp.path() / "out";
  REQUIRE(render::generate(f.input(), {out, {}, {}, false}).ok());
  auto before = tree_contents(out);
  write_file(out / "acme/acme-bru-r1.rsc", "stale");
  auto summary = render::generate(f.input(), {out, {}, {"acme-bru-r1"}, false});
  REQUIRE(summary.ok());
  CHECK(summary->files.size() == 1);
  CHECK(tree_contents(out) == before);
  auto unknown = render::generate(f.input(), {out, {"nobody"}, {}, false});
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().message == "customer nobody is not in the inventory");
}

TEST_CASE("--customer selects the customer's routers and its cluster's") {
  Fixture f;
  auto refs = render::index_devices(f.ws->inventory, f.ws->tunnels);
  auto selected = render::select_devices(refs, f.ws->inventory, {"x", {"acme"}, {}, false});
  REQUIRE(selected.ok());
  CHECK(selected->size() == 5);
  auto dry = render::generate(f.input(), {"never-written", {}, {}, true});
  REQUIRE(dry.ok());
  CHECK(dry->bytes > 0);
  CHECK_FALSE(fs::exists("never-written"));
}

} // namespace
} // namespace vpnaas::test

namespace vpnaas::test {

TEST_CASE("temporary folders of killed runs are removed, a running one's is kept") {
  namespace fs = std::filesystem;
  TempDir tmp;
  const fs::path out = tmp.path() / "o";
  // A process that has exited and been reaped: its pid names no process.
  pid_t gone = ::fork();
  if (gone == 0) {
    ::_exit(0);
  }
  REQUIRE(gone > 0);
  int status = 0;
  REQUIRE(::waitpid(gone, &status, 0) == gone);
  const fs::path dead = tmp.path() / fmt::format(".o.tmp-{}-abc123", gone);
  const fs::path alive = tmp.path() / fmt::format(".o.tmp-{}-def456", ::getpid());
  const fs::path legacy_old = tmp.path() / ".o.tmp-Zx81Qa";
  const fs::path other = tmp.path() / ".other.tmp-1-aaaaaa";
  for (const auto& dir : {dead, alive, legacy_old, other}) {
    fs::create_directories(dir);
    write_file(dir / "dc1-r1.rsc", "secret=...");
  }
  fs::last_write_time(legacy_old, fs::file_time_type::clock::now() - std::chrono::hours(2));

  auto ws = open_fixture(data_path("render/small7"));
  auto key = fixed_key();
  render::RenderInput input{ws->inventory, ws->tunnels, ws->allocation.lock, key, {}};
  auto summary = render::generate(input, render::GenerateOptions{out, {}, {}, false});
  REQUIRE(summary.ok());
  CHECK_FALSE(fs::exists(dead));
  CHECK_FALSE(fs::exists(legacy_old));
  CHECK(fs::exists(alive));
  CHECK(fs::exists(other));
  // And this run left none of its own.
  std::size_t temporaries = 0;
  for (const auto& e : fs::directory_iterator(tmp.path())) {
    temporaries += e.path().filename().string().rfind(".o.tmp-", 0) == 0 ? 1U : 0U;
  }
  CHECK(temporaries == 1); // `alive`
}

} // namespace vpnaas::test

namespace vpnaas::test {

TEST_CASE("a symbolic link as --out is refused, and neither it nor its target changes") {
  namespace fs = std::filesystem;
  TempDir tmp;
  auto ws = open_fixture(data_path("render/small7"));
  auto key = fixed_key();
  render::RenderInput input{ws->inventory, ws->tunnels, ws->allocation.lock, key, {}};
  const fs::path real = tmp.path() / "real";
  REQUIRE(render::generate(input, render::GenerateOptions{real, {}, {}, false}).ok());
  fs::create_directory_symlink("real", tmp.path() / "link");
  auto summary =
      render::generate(input, render::GenerateOptions{tmp.path() / "link", {}, {}, false});
  REQUIRE_FALSE(summary.ok());
  CHECK(summary.error().code == ErrorCode::io);
  CHECK(summary.error().message == (tmp.path() / "link").string() + " is a symbolic link to real");
  CHECK(summary.error().hint == "pass the folder it points to as --out");
  CHECK(fs::is_symlink(tmp.path() / "link"));
  CHECK(fs::exists(real / "dc1/dc1-r1.rsc"));
}

} // namespace vpnaas::test
