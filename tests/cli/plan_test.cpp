// `vpnaas plan`: what a change of the inventory does to each router, between
// two git revisions or a revision and the working tree.
#include <doctest/doctest.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "bundled_repo.hpp"

using namespace vpnaas::test;
namespace fs = std::filesystem;

namespace {

// plan needs no master key: every `plan` here runs without one.
struct PlanRepo : BundledRepo {
  RunResult cli(std::vector<std::string> args, bool with_key = false) const {
    return BundledRepo::cli(std::move(args), with_key);
  }

  void replace(const std::string& file, const std::string& from, const std::string& to) const {
    std::string text = read_file(inventory / file);
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    write_file(inventory / file, text.replace(at, from.size(), to));
  }
};

std::map<std::string, std::string> statuses(const nlohmann::json& doc) {
  std::map<std::string, std::string> out;
  for (const auto& d : doc["devices"]) {
    out[d["device"]] = d["status"];
  }
  return out;
}

} // namespace

TEST_CASE("plan without changes exits 0 and lists every router as unchanged") {
  PlanRepo r;
  RunResult text = r.cli({"plan"});
  CHECK(text.exit_code == 0);
  CHECK(text.out.find("no changes from HEAD (commit ") != std::string::npos);
  CHECK(text.out.find("= unchanged (10): dc1/dc1-r1, dc1/dc1-r2, acme/acme-ant-r1") !=
        std::string::npos);
  RunResult json = r.cli({"plan", "--format", "json"});
  CHECK(json.exit_code == 0);
  auto doc = nlohmann::json::parse(json.out);
  CHECK(doc["changes"] == false);
  CHECK(doc["routers"]["unchanged"] == 10);
  CHECK(doc["head"]["working_tree"] == true);
}

TEST_CASE("adding site n+1 changes exactly the customer's n sites and its cluster routers") {
  PlanRepo r;
  r.add_liege();
  RunResult json = r.cli({"plan", "--format", "json"});
  REQUIRE(json.exit_code == 10);
  auto doc = nlohmann::json::parse(json.out);
  CHECK(doc["changes"] == true);
  const std::map<std::string, std::string> expected{
      {"dc1-r1", "changed"},          {"dc1-r2", "changed"},
      {"acme-ant-r1", "changed"},     {"acme-bru-r1", "changed"},
      {"acme-ghe-r1", "changed"},     {"acme-lie-r1", "added"},
      {"globex-lil-r1", "unchanged"}, {"globex-lyo-r1", "unchanged"},
      {"globex-nan-r1", "unchanged"}, {"globex-nic-r1", "unchanged"},
      {"globex-par-r1", "unchanged"}};
  CHECK(statuses(doc) == expected);
  for (const auto& d : doc["devices"]) {
    if (d["status"] != "changed") {
      continue;
    }
    CAPTURE(d["device"]);
    // A new tunnel towards liege: only items added, each tagged with liege's
    // end (RouterOS 6 OSPF interface entries are keyed by liege's GRE name);
    // on a cluster router also acme's VRF, which gains the new tunnel.
    const bool cluster = d["device"].get<std::string>().rfind("dc1-", 0) == 0;
    CHECK(d["changed"] == (cluster ? 1 : 0));
    CHECK(d["removed"] == 0);
    CHECK(d["added"].get<int>() >= 7);
    for (const auto& item : d["items"]) {
      std::string tag = item["tag"].get<std::string>();
      if (item["kind"] == "changed") {
        CHECK(tag == "vpnaas:vrf:acme");
        continue;
      }
      CHECK(item["kind"] == "added");
      CHECK((tag.find("acme/liege") != std::string::npos || tag == "gre-acme-lie-r1"));
    }
  }
  RunResult text = r.cli({"plan"});
  CHECK(text.exit_code == 10);
  CHECK(text.out.find("+ acme/acme-lie-r1 (new site router, RouterOS 7)") != std::string::npos);
  CHECK(text.out.find("~ dc1/dc1-r1 (cluster router, RouterOS 7): 9 to add, 1 to change, 0 to "
                      "remove") != std::string::npos);
  CHECK(text.out.find("    + /interface gre vpnaas:gre:acme/liege~dc1/dc1-r1\n") !=
        std::string::npos);
  CHECK(text.out.find("5 routers to update, 1 new, 0 no longer in the inventory, 5 unchanged") !=
        std::string::npos);
  // plan is read-only: the lock the new tunnels need is not written.
  CHECK(r.repo.git({"status", "--porcelain"}).find("vpnaas.lock") == std::string::npos);
}

TEST_CASE("plan shows changed properties, and secrets only as changed") {
  PlanRepo r;
  // Render the current scripts to learn one real pre-shared key.
  const fs::path out = r.dir.path() / "out";
  REQUIRE(r.cli({"mesh", "generate", "--out", out.string()}, true).exit_code == 0);
  const std::string script = read_file(out / "acme/acme-ant-r1.rsc");
  // Keys are the only 64-hex-digit values in a script (the identities' data).
  std::smatch key;
  REQUIRE(std::regex_search(script, key, std::regex("[0-9a-f]{64}")));
  const std::string psk = key.str();

  r.replace("customers/acme.yaml", "      model: RB4011\n",
            "      model: RB4011\n      mtu: 1380\n");
  r.replace("customers/acme.yaml", "  - name: brussels\n",
            "  - name: brussels\n    psk-epoch: 2\n");
  RunResult text = r.cli({"plan"});
  CHECK(text.exit_code == 10);
  CHECK(text.out.find("mtu: 1400 -> 1380") != std::string::npos);
  CHECK(text.out.find("secret: changed (hidden)") != std::string::npos);
  RunResult json = r.cli({"plan", "--format", "json"});
  CHECK(json.exit_code == 10);
  CHECK(json.out.find("\"secret\": true") != std::string::npos);
  // Whatever the key, the plan never prints one: not the real one, not the
  // comparison one.
  CHECK(text.out.find(psk) == std::string::npos);
  CHECK(json.out.find(psk) == std::string::npos);
  CHECK(text.out.find("secret=\"") == std::string::npos);
}

TEST_CASE("plan --summary, --base and --head compare two commits") {
  PlanRepo r;
  r.add_liege();
  REQUIRE(r.cli({"inventory", "validate"}, true).exit_code == 0);
  r.repo.commit_all("acme: add liege");
  write_file(r.inventory / "customers/globex.yaml", "broken: [\n"); // not committed

  RunResult summary = r.cli({"plan", "--base", "HEAD~1", "--head", "HEAD", "--summary"});
  CHECK(summary.exit_code == 10);
  CHECK(summary.out.find("~ dc1/dc1-r2 (cluster router, RouterOS 7): 9 to add") !=
        std::string::npos);
  CHECK(summary.out.find("/interface gre") == std::string::npos);
  RunResult summary_json =
      r.cli({"plan", "--base", "HEAD~1", "--head", "HEAD", "--summary", "--format", "json"});
  CHECK(summary_json.exit_code == 10);
  auto brief = nlohmann::json::parse(summary_json.out);
  for (const auto& d : brief["devices"]) {
    CHECK_FALSE(d.contains("items"));
    CHECK(d.contains("added"));
  }
  CHECK(summary_json.out.find("/interface gre") == std::string::npos);
  CHECK(r.cli({"plan", "--base", "HEAD", "--head", "HEAD"}).exit_code == 0);
  // Reverting the commit removes the router and the items on its peers.
  RunResult back = r.cli({"plan", "--base", "HEAD", "--head", "HEAD~1", "--format", "json"});
  CHECK(back.exit_code == 10);
  auto doc = nlohmann::json::parse(back.out);
  CHECK(statuses(doc)["acme-lie-r1"] == "removed");
  CHECK(doc["routers"]["removed"] == 1);
  // The broken working tree is the default head: reported as such.
  RunResult broken = r.cli({"plan"});
  CHECK(broken.exit_code == 1);
  CHECK(broken.err.find("the head inventory is invalid") != std::string::npos);
}

TEST_CASE("plan errors: unknown base, invalid base, lock out of date with --locked") {
  PlanRepo r;
  RunResult unknown = r.cli({"plan", "--base", "v9.9", "--format", "json"});
  CHECK(unknown.exit_code == 1);
  CHECK(nlohmann::json::parse(unknown.out)["error"]["message"].get<std::string>().find(
            "revision v9.9 is not a commit") != std::string::npos);

  write_file(r.inventory / "clusters/dc1.yaml", "cluster: [\n");
  r.repo.commit_all("broken");
  write_file(r.inventory / "clusters/dc1.yaml",
             read_file(source_path("inventory/clusters/dc1.yaml")));
  RunResult invalid = r.cli({"plan", "--format", "json"});
  CHECK(invalid.exit_code == 1);
  auto doc = nlohmann::json::parse(invalid.out);
  CHECK(doc["side"] == "base");
  CHECK(doc["diagnostics"][0]["file"].get<std::string>().starts_with("HEAD:"));

  r.repo.commit_all("fixed");
  r.add_liege();
  CHECK(r.cli({"plan", "--locked"}).exit_code == 3);
}

TEST_CASE("plan outside a git work tree names --base and --head, not --rev") {
  TempDir tmp;
  copy_tree(source_path("inventory"), tmp.path() / "inventory");
  // A temp folder under some checkout must still count as outside git.
  const std::map<std::string, std::string> env{
      {"GIT_CEILING_DIRECTORIES", tmp.path().string()},
      {"HOME", (tmp.path() / "home").string()},
      {"XDG_CONFIG_HOME", (tmp.path() / "config").string()}};
  RunResult text =
      run_cli({"plan", "-i", (tmp.path() / "inventory").string()}, env, tmp.path().string());
  CHECK(text.exit_code == 1);
  CHECK(text.err.find("is not inside a git repository") != std::string::npos);
  CHECK(text.err.find("--rev") == std::string::npos);
  CHECK(text.err.find("--base") != std::string::npos);
  CHECK(text.err.find("--head") != std::string::npos);
  CHECK(text.err.find("must be inside a git work tree") != std::string::npos);

  RunResult json = run_cli({"plan", "-i", (tmp.path() / "inventory").string(), "--format", "json"},
                           env, tmp.path().string());
  CHECK(json.exit_code == 1);
  CHECK(nlohmann::json::parse(json.out)["error"]["hint"].get<std::string>().find("--rev") ==
        std::string::npos);
}
