// `vpnaas apply --parallel N` against six fake routers whose commands are slow
// and count themselves while they run (fake-routeros.sh: command-delay,
// count-in): at most N routers are worked on at once, and N really are.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <memory>

#include "support/run.hpp"
#include "support/ssh_inventory.hpp"
#include "support/sshd.hpp"

using namespace vpnaas::test;

namespace {

const std::vector<std::string> kDevices = {"dc1-r1",      "dc1-r2",      "acme-bru-r1",
                                           "acme-ant-r1", "acme-ghe-r1", "acme-lie-r1"};

void write_inventory(const std::filesystem::path& root,
                     const std::vector<std::unique_ptr<FakeRouter>>& routers) {
  write_file(root / "vpnaas.yaml", "vpnaas: 1\n");
  std::string cluster = "cluster: dc1\nnetworks: [10.10.0.0/24]\ndevices:\n";
  for (int i = 0; i < 2; ++i) {
    cluster += fmt::format("  - {{ name: {}, public-ip: 203.0.113.{}, router-id: 10.0.255.{}, "
                           "ssh: {} }}\n",
                           kDevices[static_cast<std::size_t>(i)], i + 1, i + 1,
                           ssh_block(*routers[static_cast<std::size_t>(i)]));
  }
  write_file(root / "clusters/dc1.yaml", cluster);
  std::string customer = "customer: acme\ncluster: dc1\nsites:\n";
  for (int i = 2; i < 6; ++i) {
    const auto& device = kDevices[static_cast<std::size_t>(i)];
    customer += fmt::format("  - name: {}\n    lan: [192.168.{}.0/24]\n    device: {{ name: {}, "
                            "public-ip: 192.0.2.{}, router-id: 10.1.0.{}, ssh: {} }}\n",
                            device.substr(5, 3), 10 * i, device, 10 * i, i,
                            ssh_block(*routers[static_cast<std::size_t>(i)]));
  }
  write_file(root / "customers/acme.yaml", customer);
}

} // namespace

TEST_CASE("apply --parallel N works on exactly N routers at once, never more") {
  SshClientKeys keys;
  TempDir dir;
  std::vector<std::unique_ptr<FakeRouter>> routers;
  for (std::size_t i = 0; i < kDevices.size(); ++i) {
    routers.push_back(std::make_unique<FakeRouter>(keys));
    // Long enough that every worker is inside a command while the others
    // start theirs; each router answers a handful of commands per apply.
    routers.back()->delay_commands(0.4);
  }
  write_inventory(dir.path() / "inventory", routers);
  const std::map<std::string, std::string> env{
      {"VPNAAS_MASTER_KEY", std::string(64, '7')},
      {"HOME", (dir.path() / "home").string()},
      {"XDG_CONFIG_HOME", (dir.path() / "config").string()},
      {"VPNAAS_SSH_PASSWORD", ""}};

  for (const int parallel : {2, 3}) {
    CAPTURE(parallel);
    const auto counts = dir.path() / fmt::format("counts-{}", parallel);
    std::filesystem::create_directories(counts);
    for (const auto& router : routers) {
      router->count_commands_in(counts);
    }
    auto result =
        run_cli({"apply", "--via", "ssh", "--parallel", std::to_string(parallel), "--inventory",
                 (dir.path() / "inventory").string(), "--known-hosts", keys.known_hosts().string(),
                 "--identity", keys.identity().string(), "--accept-new-host-keys", "--backup-dir",
                 (dir.path() / "backups").string()},
                env, dir.path().string());
    INFO(result.err);
    CHECK(result.exit_code == 0);
    CHECK(result.out.find("applied 6 of 6 router(s)\n") != std::string::npos);
    // Equal, not at most: 3 at once with --parallel 3 shows the count can pass
    // 2, so 2 with --parallel 2 is the bound at work, not the count's limit.
    CHECK(max_counted(counts) == parallel);
    // Every command counted itself out again: the counter is not stuck high.
    CHECK(read_file(counts / "now") == "0\n");
  }
}
