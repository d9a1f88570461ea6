// The git-driven path end to end: an inventory change committed in a
// temporary repository, `vpnaas plan` over the commit, then
// `vpnaas apply --changed-since` against fake routers behind real sshd;
// exactly the routers the change affects receive their scripts.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <set>

#include "support/git_repo.hpp"
#include "support/paths.hpp"
#include "support/run.hpp"
#include "support/ssh_inventory.hpp"
#include "support/sshd.hpp"

using namespace vpnaas::test;
namespace fs = std::filesystem;

namespace {

std::string site(const std::string& name, const std::string& device, int n,
                 const FakeRouter& router) {
  return fmt::format("  - name: {}\n    lan: [192.168.{}.0/24]\n    device: {{ name: {}, "
                     "public-ip: 192.0.2.{}, router-id: 10.1.0.{}, ssh: {} }}\n",
                     name, n, device, n, n, ssh_block(router));
}

// Cluster dc1 (2 routers), acme (2 sites, a third one added by the test)
// and globex (2 sites), every router a FakeRouter.
struct Fleet {
  SshClientKeys keys;
  TempDir dir;
  GitRepo repo{dir.path() / "repo"};
  fs::path inventory = dir.path() / "repo" / "inventory";
  std::map<std::string, std::unique_ptr<FakeRouter>> routers;
  std::map<std::string, std::string> env{{"VPNAAS_MASTER_KEY", std::string(64, '9')},
                                         {"HOME", (dir.path() / "home").string()},
                                         {"XDG_CONFIG_HOME", (dir.path() / "config").string()},
                                         {"VPNAAS_SSH_PASSWORD", ""}};

  Fleet() {
    for (const char* name : {"dc1-r1", "dc1-r2", "acme-bru-r1", "acme-ant-r1", "acme-lie-r1",
                             "globex-par-r1", "globex-lyo-r1"}) {
      routers[name] = std::make_unique<FakeRouter>(keys);
    }
    write_file(inventory / "vpnaas.yaml", "vpnaas: 1\n");
    write_file(inventory / "clusters/dc1.yaml",
               fmt::format("cluster: dc1\nnetworks: [10.10.0.0/24]\ndevices:\n"
                           "  - {{ name: dc1-r1, public-ip: 203.0.113.1, router-id: 10.0.255.1, "
                           "ssh: {} }}\n"
                           "  - {{ name: dc1-r2, public-ip: 203.0.113.2, router-id: 10.0.255.2, "
                           "ssh: {} }}\n",
                           ssh_block(router("dc1-r1")), ssh_block(router("dc1-r2"))));
    write_file(inventory / "customers/acme.yaml",
               "customer: acme\ncluster: dc1\nsites:\n" +
                   site("brussels", "acme-bru-r1", 10, router("acme-bru-r1")) +
                   site("antwerp", "acme-ant-r1", 20, router("acme-ant-r1")));
    write_file(inventory / "customers/globex.yaml",
               "customer: globex\ncluster: dc1\ntransit-pool: 10.255.200.0/24\nsites:\n" +
                   site("paris", "globex-par-r1", 60, router("globex-par-r1")) +
                   site("lyon", "globex-lyo-r1", 70, router("globex-lyo-r1")));
  }

  FakeRouter& router(const std::string& name) { return *routers.at(name); }

  RunResult vpnaas(std::vector<std::string> args) const {
    for (const auto& option :
         {std::string("--inventory"), inventory.string(), std::string("--known-hosts"),
          keys.known_hosts().string(), std::string("--identity"), keys.identity().string(),
          std::string("--connect-timeout"), std::string("5"), std::string("--backup-dir"),
          (dir.path() / "backups").string()}) {
      args.push_back(option);
    }
    return run_cli(args, env, dir.path().string());
  }

  // Writes the lock, as an engineer does before committing.
  RunResult validate() const {
    return run_cli({"inventory", "validate", "--inventory", inventory.string()}, env,
                   dir.path().string());
  }

  RunResult plan(std::vector<std::string> args) const {
    args.insert(args.begin(), "plan");
    args.insert(args.end(), {"--inventory", inventory.string()});
    return run_cli(args, env, dir.path().string());
  }

  // What `mesh generate` renders for `device` at a revision.
  std::string generated(const std::string& group, const std::string& device,
                        const std::string& rev) const {
    const auto out = dir.path() / ("out-" + rev);
    auto r = run_cli({"mesh", "generate", "--inventory", inventory.string(), "--out", out.string(),
                      "--rev", rev},
                     env, dir.path().string());
    REQUIRE(r.exit_code == 0);
    return read_file(out / group / (device + ".rsc"));
  }
};

} // namespace

TEST_CASE("a committed new site reaches exactly the routers it changes") {
  Fleet fleet;
  // First deployment: the lock is committed with the inventory, and every
  // router except the not-yet-listed liege receives its script.
  REQUIRE(fleet.validate().exit_code == 0);
  fleet.repo.commit_all("first deployment");
  RunResult first = fleet.vpnaas({"apply", "--via", "ssh", "--accept-new-host-keys"});
  INFO(first.out, first.err);
  REQUIRE(first.exit_code == 0);

  // The change, committed as an engineer would: site, lock and all.
  write_file(fleet.inventory / "customers/acme.yaml",
             read_file(fleet.inventory / "customers/acme.yaml") +
                 site("liege", "acme-lie-r1", 40, fleet.router("acme-lie-r1")));
  REQUIRE(fleet.validate().exit_code == 0);
  fleet.repo.commit_all("acme: add liege");

  RunResult plan = fleet.plan({"--base", "HEAD~1", "--head", "HEAD", "--format", "json"});
  INFO(plan.err);
  REQUIRE(plan.exit_code == 10);
  const auto doc = nlohmann::json::parse(plan.out);
  std::set<std::string> affected;
  for (const auto& d : doc["devices"]) {
    if (d["status"] != "unchanged") {
      affected.insert(d["device"].get<std::string>());
    }
  }
  const std::set<std::string> expected{"dc1-r1", "dc1-r2", "acme-bru-r1", "acme-ant-r1",
                                       "acme-lie-r1"};
  CHECK(affected == expected);

  RunResult apply = fleet.vpnaas({"apply", "--via", "ssh", "--accept-new-host-keys",
                                  "--changed-since", "HEAD~1", "--parallel", "5"});
  INFO(apply.out, apply.err);
  REQUIRE(apply.exit_code == 0);
  CHECK(apply.out.find("applied 5 of 5 router(s)") != std::string::npos);
  CHECK(apply.err.find("changed since HEAD~1 (commit ") != std::string::npos);
  for (const auto& [name, router] : fleet.routers) {
    CAPTURE(name);
    const auto imported = router->imported();
    const bool is_new = name == "acme-lie-r1";
    const bool changed = expected.count(name) != 0;
    REQUIRE(imported.size() == (is_new ? 1U : changed ? 2U : 1U));
    const std::string group = name.starts_with("dc1") ? "dc1" : name.substr(0, name.find('-'));
    // Unchanged routers still hold the script of the first deployment.
    CHECK(vpnaas::test::without_end_marker(imported.back()) ==
          fleet.generated(group, name, changed ? "HEAD" : "HEAD~1"));
  }
  // Once applied, nothing differs from HEAD: a pipeline would stop here.
  CHECK(fleet.plan({"--base", "HEAD"}).exit_code == 0);
  RunResult again =
      fleet.vpnaas({"apply", "--via", "ssh", "--changed-since", "HEAD", "--format", "json"});
  CHECK(again.exit_code == 0);
  CHECK(nlohmann::json::parse(again.out)["devices"].empty());
}

TEST_CASE("--changed-since combines with --customer, and a failing router leaves others applied") {
  Fleet fleet;
  REQUIRE(fleet.validate().exit_code == 0);
  fleet.repo.commit_all("first deployment");
  // A new default MTU touches every tunnel, so every router.
  write_file(fleet.inventory / "vpnaas.yaml", "vpnaas: 1\ndefaults:\n  mtu: 1380\n");
  fleet.repo.commit_all("smaller MTU");
  fleet.router("globex-lyo-r1").fail_import_at("/interface gre", "bad command name gre");

  RunResult globex =
      fleet.vpnaas({"apply", "--via", "ssh", "--accept-new-host-keys", "--changed-since", "HEAD~1",
                    "--customer", "globex", "--format", "json"});
  CHECK(globex.exit_code == 1);
  const auto doc = nlohmann::json::parse(globex.out);
  std::map<std::string, bool> ok;
  for (const auto& d : doc["devices"]) {
    ok[d["device"]] = d["ok"];
  }
  const std::map<std::string, bool> expected{
      {"dc1-r1", true}, {"dc1-r2", true}, {"globex-par-r1", true}, {"globex-lyo-r1", false}};
  CHECK(ok == expected);
  CHECK(fleet.router("acme-bru-r1").imported().empty());
  CHECK(fleet.router("globex-par-r1").imported().size() == 1);

  RunResult unknown = fleet.vpnaas({"apply", "--via", "ssh", "--changed-since", "nope"});
  CHECK(unknown.exit_code == 1);
  CHECK(unknown.err.find("revision nope is not a commit") != std::string::npos);
  CHECK(fleet.router("dc1-r1").imported().size() == 1);
}
