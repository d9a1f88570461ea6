// `vpnaas mesh generate` and `vpnaas mesh check` end to end, with a fixed
// master key from the environment and fixture inventories copied to a temp
// folder (the lock is written there, never into the source tree).
#include <doctest/doctest.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <sys/stat.h>

#include "support/paths.hpp"
#include "support/run.hpp"

using vpnaas::test::copy_tree;
using vpnaas::test::data_path;
using vpnaas::test::read_file;
using vpnaas::test::run_cli;
using vpnaas::test::RunResult;
using vpnaas::test::TempDir;
using vpnaas::test::write_file;
namespace fs = std::filesystem;

namespace {

struct MeshCli {
  TempDir dir;
  fs::path inventory = dir.path() / "inventory";
  fs::path out = dir.path() / "out";
  std::map<std::string, std::string> env{{"VPNAAS_MASTER_KEY", std::string(64, '7')},
                                         {"HOME", (dir.path() / "home").string()},
                                         {"XDG_CONFIG_HOME", (dir.path() / "config").string()}};

  explicit MeshCli(const std::string& fixture) {
    copy_tree(data_path("render/" + fixture), inventory);
  }

  RunResult generate(std::vector<std::string> extra = {}) const {
    std::vector<std::string> args{"mesh",  "generate",  "--inventory", inventory.string(),
                                  "--out", out.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_cli(args, env, dir.path().string());
  }
  RunResult check(std::vector<std::string> extra = {}) const {
    std::vector<std::string> args{"mesh", "check", "--out", out.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_cli(args, env, dir.path().string());
  }
};

std::map<std::string, std::string> contents(const fs::path& root) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (e.is_regular_file()) {
      out[e.path().lexically_relative(root).generic_string()] = read_file(e.path());
    }
  }
  return out;
}

} // namespace

TEST_CASE("mesh generate writes one 0600 file per router and mesh check passes") {
  MeshCli cli("small7");
  auto gen = cli.generate();
  INFO(gen.err);
  REQUIRE(gen.exit_code == 0);
  CHECK(gen.out.find("customer") != std::string::npos);
  CHECK(gen.out.find("cluster") != std::string::npos);
  CHECK(gen.out.find("wrote 5 file(s)") != std::string::npos);
  for (const char* path : {"acme/acme-bru-r1.rsc", "acme/acme-ant-r1.rsc", "acme/acme-ghe-r1.rsc",
                           "dc1/dc1-r1.rsc", "dc1/dc1-r2.rsc"}) {
    CAPTURE(path);
    REQUIRE(fs::exists(cli.out / path));
    struct stat st {};
    REQUIRE(::stat((cli.out / path).c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
  }
  CHECK(read_file(cli.out / "acme/acme-bru-r1.rsc").find("RouterOS 7 configuration") !=
        std::string::npos);
  auto first = contents(cli.out);
  REQUIRE(cli.generate().exit_code == 0);
  CHECK(contents(cli.out) == first);
  auto check = cli.check();
  INFO(check.err);
  CHECK(check.exit_code == 0);
  CHECK(check.out.find("9 tunnel(s) checked") != std::string::npos);
}

TEST_CASE("mesh generate and check speak JSON") {
  MeshCli cli("small6");
  auto gen = cli.generate({"--format", "json"});
  REQUIRE(gen.exit_code == 0);
  auto doc = nlohmann::json::parse(gen.out);
  CHECK(doc["ok"] == true);
  CHECK(doc["files"] == 5);
  CHECK(doc["groups"].size() == 2);
  CHECK(doc["groups"][0]["files"][0]["routeros"] == 6);
  auto check = cli.check({"--format", "json"});
  REQUIRE(check.exit_code == 0);
  auto report = nlohmann::json::parse(check.out);
  CHECK(report["tunnels"] == 9);
  CHECK(report["problems"].empty());
}

TEST_CASE("mesh check fails on a tampered set, generate refuses unknown names") {
  MeshCli cli("small7");
  REQUIRE(cli.generate().exit_code == 0);
  auto path = cli.out / "dc1/dc1-r1.rsc";
  std::string text = read_file(path);
  // Every mtu of the file, as a hand edit would: the add and the set path agree.
  REQUIRE(text.find("mtu=1400") != std::string::npos);
  for (auto at = text.find("mtu=1400"); at != std::string::npos; at = text.find("mtu=1400")) {
    text.replace(at, 8, "mtu=1300");
  }
  write_file(path, text);
  auto check = cli.check();
  CHECK(check.exit_code == 1);
  CHECK(check.err.find("GRE MTU differ") != std::string::npos);
  // One end edited alone: the script no longer converges, which check also catches.
  text.replace(text.find("mtu=1300"), 8, "mtu=1200");
  write_file(path, text);
  auto half = cli.check();
  CHECK(half.exit_code == 1);
  CHECK(half.err.find("importing it a second time changes") != std::string::npos);
  auto unknown = cli.generate({"--customer", "nobody"});
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err.find("customer nobody is not in the inventory") != std::string::npos);
  auto missing = MeshCli("small7").check();
  CHECK(missing.exit_code == 4);
}

TEST_CASE("mesh check names disagreeing keys by fingerprint, in text and JSON") {
  MeshCli cli("small7");
  REQUIRE(cli.generate().exit_code == 0);
  auto path = cli.out / "dc1/dc1-r1.rsc";
  std::string text = read_file(path);
  std::smatch key;
  REQUIRE(std::regex_search(text, key, std::regex("[0-9a-f]{64}")));
  const std::string real = key.str();
  text.replace(text.find(real), 4, "0000");
  write_file(path, text);
  auto check = cli.check();
  CHECK(check.exit_code == 1);
  CHECK(check.err.find("pre-shared keys differ") != std::string::npos);
  auto json = run_cli({"mesh", "check", "--out", cli.out.string(), "--format", "json"}, cli.env,
                      cli.dir.path().string());
  CHECK(json.exit_code == 1);
  CHECK(json.out.find("sha256:") != std::string::npos);
  for (const std::string& output : {check.out, check.err, json.out, json.err}) {
    CHECK(output.find(real) == std::string::npos);
    CHECK(output.find(real.substr(4)) == std::string::npos);
  }
}

TEST_CASE("mesh generate without a master key fails without writing anything") {
  MeshCli cli("small7");
  auto env = cli.env;
  env["VPNAAS_MASTER_KEY"] = "";
  auto gen = run_cli(
      {"mesh", "generate", "--inventory", cli.inventory.string(), "--out", cli.out.string()}, env,
      cli.dir.path().string());
  CHECK(gen.exit_code == 4);
  CHECK_FALSE(fs::exists(cli.out));
}

TEST_CASE("mesh generate --device keeps other routers' files only while they still match") {
  MeshCli cli("small7");
  REQUIRE(cli.generate().exit_code == 0);
  const auto before = contents(cli.out);
  REQUIRE(before.count("acme/acme-ghe-r1.rsc") == 1);

  // No inventory change: only the selected router's file is written.
  RunResult same = cli.generate({"--device", "acme-bru-r1"});
  REQUIRE(same.exit_code == 0);
  CHECK(same.out.find("wrote 1 file(s)") != std::string::npos);
  CHECK(same.out.find("kept 4 unchanged script(s) of other routers") != std::string::npos);
  CHECK(same.out.find("also rewrote") == std::string::npos);
  CHECK(contents(cli.out) == before);

  // ghent leaves the inventory: every script with a tunnel to it changes too,
  // so they are rewritten with brussels, and ghent's file is removed, all said.
  std::string acme = read_file(cli.inventory / "customers/acme.yaml");
  acme.erase(acme.find("  - name: ghent"));
  write_file(cli.inventory / "customers/acme.yaml", acme);
  RunResult partial = cli.generate({"--device", "acme-bru-r1"});
  INFO(partial.err);
  REQUIRE(partial.exit_code == 0);
  CHECK(partial.out.find("also rewrote 3 script(s) not selected whose router the inventory "
                         "change touched: dc1/dc1-r1.rsc, dc1/dc1-r2.rsc, "
                         "acme/acme-ant-r1.rsc") != std::string::npos);
  CHECK(partial.out.find("removed 1 file(s) that no router of the inventory has: "
                         "acme/acme-ghe-r1.rsc") != std::string::npos);
  const auto after = contents(cli.out);
  CHECK(after.count("acme/acme-ghe-r1.rsc") == 0);
  CHECK(after.size() == before.size() - 1);
  for (const auto& [path, text] : after) {
    CHECK_MESSAGE(text.find("ghent") == std::string::npos, path);
  }
  auto check = cli.check();
  CHECK(check.exit_code == 0);
  CHECK(check.out.find("0 with one end outside the set: consistent") != std::string::npos);

  // The same in JSON, and a dry run changes nothing.
  write_file(cli.inventory / "customers/acme.yaml",
             read_file(cli.inventory / "customers/acme.yaml"));
  auto dry = cli.generate({"--device", "dc1-r1", "--dry-run", "--format", "json"});
  CHECK(dry.exit_code == 0);
  auto doc = nlohmann::json::parse(dry.out);
  CHECK(doc["kept"].size() == 3);
  CHECK(doc["removed"].empty());
  CHECK(contents(cli.out) == after);
}

TEST_CASE("--customer with --device selects the routers both name") {
  MeshCli cli("small7");
  auto both =
      cli.generate({"--customer", "acme", "--device", "dc1-r1", "--dry-run", "--format", "json"});
  CHECK(both.exit_code == 0);
  auto doc = nlohmann::json::parse(both.out);
  CHECK(doc["files"] == 1);
  std::vector<std::string> devices;
  for (const auto& group : doc["groups"]) {
    for (const auto& file : group["files"]) {
      devices.push_back(file["device"]);
    }
  }
  CHECK(devices == std::vector<std::string>{"dc1-r1"});
  auto none = cli.generate({"--customer", "acme", "--device", "nobody-r1", "--dry-run"});
  CHECK(none.exit_code == 2);
  CHECK(none.err.find("device nobody-r1 is not in the inventory") != std::string::npos);
}
