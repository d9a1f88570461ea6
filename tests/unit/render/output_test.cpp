// The output tree: file modes, the marker, atomic replacement, refusal to
// replace a foreign folder, nothing left behind on error, partial runs.
#include <vpnaas/render/generate.hpp>
#include <vpnaas/render/output_tree.hpp>

#include <doctest/doctest.h>

#include <sys/stat.h>

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
