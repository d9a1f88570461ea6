// `vpnaas apply` over a mixed inventory: SSH routers imported as before
// (fake routers behind real sshd), CWMP routers queued on the ACS (the
// management API served in-process, tests/cli/acs_server.hpp).

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "acs_server.hpp"
#include "ssh_cli.hpp"
#include "support/paths.hpp"
#include "support/run.hpp"

namespace fs = std::filesystem;
using namespace vpnaas::test;

namespace {

// Four SSH routers, acme-ant-r1 marked `management: cwmp`, and an ACS it called in to.
struct Mixed {
  SshCli ssh;
  AcsServer acs;
  std::string backups = (ssh.dir.path() / "backups").string();

  Mixed() {
    bool marked = false;
    for (const auto& entry : fs::recursive_directory_iterator(ssh.inventory)) {
      if (!entry.is_regular_file()) {
        continue;
      }
      auto text = read_file(entry.path());
      const std::string anchor = "name: acme-ant-r1,";
      if (auto at = text.find(anchor); at != std::string::npos) {
        text.insert(at + anchor.size(), " management: cwmp,");
        write_file(entry.path(), text);
        marked = true;
      }
    }
    REQUIRE(marked);
    ssh.env["VPNAAS_ACS"] = acs.socket();
    acs.inform("HC-ANT", "acme-ant-r1");
  }

  RunResult apply(std::vector<std::string> args) {
    std::vector<std::string> head{"apply", "--backup-dir", backups};
    head.insert(head.end(), args.begin(), args.end());
    return ssh.run(head);
  }

  nlohmann::json apply_json(std::vector<std::string> args, int expected_exit) {
    args.push_back("--format");
    args.push_back("json");
    auto result = apply(args);
    INFO(result.err);
    CHECK(result.exit_code == expected_exit);
    auto parsed = nlohmann::json::parse(result.out, nullptr, false);
    REQUIRE_FALSE(parsed.is_discarded());
    return parsed;
  }

  static const nlohmann::json& device(const nlohmann::json& doc, const std::string& name) {
    for (const auto& d : doc["devices"]) {
      if (d["device"] == name) {
        return d;
      }
    }
    FAIL("no result for " << name);
    static const nlohmann::json none;
    return none;
  }
};

} // namespace

TEST_CASE("apply routes each router by its management key and waits for the CWMP one") {
  Mixed mixed;
  auto doc = mixed.apply_json({"--wait", "20"}, 0);
  CHECK(doc["ok"] == true);
  CHECK(doc["applied"] == 4);
  CHECK(doc["queued"] == 0);
  REQUIRE(doc["devices"].size() == 4);
  for (const char* name : {"dc1-r1", "dc1-r2", "acme-bru-r1"}) {
    const auto& d = Mixed::device(doc, name);
    CHECK(d["via"] == "ssh");
    CHECK(d["outcome"] == "applied");
    CHECK(mixed.ssh.router(name).imported().size() == 1);
  }
  const auto& ant = Mixed::device(doc, "acme-ant-r1");
  CHECK(ant["via"] == "cwmp");
  CHECK(ant["ok"] == true);
  CHECK(ant["outcome"] == "applied");
  CHECK(ant["state"] == "done");
  CHECK(ant["evidence"].get<std::string>().find("Download done") != std::string::npos);
  // Nothing went to the CWMP router over SSH.
  CHECK(mixed.ssh.router("acme-ant-r1").imported().empty());

  // The queued Download holds the script `mesh generate` renders for it.
  auto task = mixed.acs.store().task(ant["task_id"].get<std::int64_t>());
  REQUIRE(task.ok());
  REQUIRE(task->has_value());
  CHECK((*task)->kind == vpnaas::acs::TaskKind::download);
  const auto payload = nlohmann::json::parse((*task)->payload_json);
  CHECK(payload["file_name"] == "vpnaas.alter");
  const fs::path out = mixed.ssh.dir.path() / "out";
  auto generated = run_cli({"mesh", "generate", "--inventory", mixed.ssh.inventory.string(),
                            "--out", out.string(), "--device", "acme-ant-r1"},
                           mixed.ssh.env, mixed.ssh.dir.path().string());
  REQUIRE(generated.exit_code == 0);
  CHECK(payload["content"] == read_file(out / "acme" / "acme-ant-r1.rsc"));

  // Without --wait a queued script is reported as queued, not as applied.
  mixed.acs.answering = false;
  auto text = mixed.apply({"--device", "acme-ant-r1", "--device", "dc1-r1"});
  INFO(text.err);
  CHECK(text.exit_code == 0);
  CHECK(text.out.find("cwmp task") != std::string::npos);
  CHECK(text.out.find("queued") != std::string::npos);
  CHECK(text.out.find("applied 1 of 2 router(s), 1 queued on the ACS (not confirmed; --wait "
                      "waits)") != std::string::npos);
}

TEST_CASE("apply --wait exits 5 while a CWMP router is still queued and 1 on its fault") {
  Mixed mixed;
  mixed.acs.answering = false;
  auto queued = mixed.apply_json({"--device", "acme-ant-r1", "--wait", "1"}, 5);
  CHECK(queued["ok"] == false);
  CHECK(queued["queued"] == 1);
  CHECK(Mixed::device(queued, "acme-ant-r1")["state"] == "queued");
  CHECK(Mixed::device(queued, "acme-ant-r1")["outcome"] == "queued");

  mixed.acs.fault_code = 9010;
  mixed.acs.answering = true;
  auto fault = mixed.apply_json({"--device", "acme-ant-r1", "--wait", "20"}, 1);
  CHECK(fault["failed"] == 1);
  // The first, still queued task is answered first, with the same fault.
  const auto& d = Mixed::device(fault, "acme-ant-r1");
  CHECK(d["outcome"] == "failed");
  CHECK(d["fault_code"] == 9010);
  CHECK(d["message"].get<std::string>().find("CWMP fault 9010") != std::string::npos);
}

TEST_CASE("apply --via overrides the management key, and a dry run contacts no ACS") {
  Mixed mixed;
  auto over_ssh = mixed.apply_json({"--via", "ssh", "--device", "acme-ant-r1"}, 0);
  CHECK(Mixed::device(over_ssh, "acme-ant-r1")["via"] == "ssh");
  CHECK(mixed.ssh.router("acme-ant-r1").imported().size() == 1);

  mixed.ssh.env["VPNAAS_ACS"] = (mixed.ssh.dir.path() / "no-acs" / "acs.sock").string();
  auto dry = mixed.apply_json({"--dry-run"}, 0);
  CHECK(Mixed::device(dry, "acme-ant-r1")["via"] == "cwmp");
  CHECK(Mixed::device(dry, "acme-ant-r1")["outcome"].is_null());

  auto unreachable = mixed.apply({"--device", "acme-ant-r1"});
  CHECK(unreachable.exit_code == 4);
  CHECK((unreachable.out + unreachable.err).find("cannot reach the ACS management API") !=
        std::string::npos);
}
