// Runs the built `vpnaas` binary on fixture inventories and checks exit codes
// and output, as a CI pipeline would see them.

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <unistd.h>

#include "support/paths.hpp"
#include "support/run.hpp"

using namespace vpnaas::test;

namespace {

const std::string kKey(64, 'a');

std::map<std::string, std::string> env_for(const TempDir& home) {
  return {{"HOME", home.path().string()},
          {"XDG_CONFIG_HOME", (home.path() / "config").string()},
          {"VPNAAS_MASTER_KEY", ""},
          {"VPNAAS_INVENTORY", ""}};
}

} // namespace

TEST_CASE("--help and --version work for every inventory command") {
  CHECK(run_cli({"--version"}).out.find("vpnaas 0.") == 0);
  for (auto args : std::vector<std::vector<std::string>>{{"--help"},
                                                         {"inventory", "--help"},
                                                         {"inventory", "validate", "--help"},
                                                         {"inventory", "show", "--help"}}) {
    auto r = run_cli(args);
    CAPTURE(r.out);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("Usage") != std::string::npos);
  }
}

TEST_CASE("usage errors exit 2") {
  CHECK(run_cli({}).exit_code == 2);
  CHECK(run_cli({"inventory", "validate", "--no-such-flag"}).exit_code == 2);
  CHECK(run_cli({"inventory", "validate", "--format", "xml"}).exit_code == 2);
}

TEST_CASE("the bundled inventory is valid and its committed lock is current") {
  TempDir home;
  auto r = run_cli({"inventory", "validate", "--locked"}, env_for(home));
  CAPTURE(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("valid (1 cluster(s), 2 customer(s), 8 site(s), 10 router(s), 29 tunnel(s)") !=
        std::string::npos);
}

TEST_CASE("a bad inventory exits 1 and names file, line and fix") {
  TempDir home;
  auto r = run_cli({"inventory", "validate", "-i", "bad_unknown_key"}, env_for(home),
                   data_path("inventory").string());
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("bad_unknown_key/customers/acme.yaml:14:7: error: unknown key \"pubilc-ip\" in "
                   "device\n  fix: did you mean \"public-ip\"?") != std::string::npos);
  CHECK(r.err.find("bad_unknown_key: 2 errors, 0 warnings") != std::string::npos);
  CHECK(r.out.empty());
}

TEST_CASE("--format json carries the same diagnostics as objects") {
  TempDir home;
  auto r = run_cli({"inventory", "validate", "-i", "bad_lan_overlap", "--format", "json"},
                   env_for(home), data_path("inventory").string());
  CHECK(r.exit_code == 1);
  auto doc = nlohmann::json::parse(r.out);
  CHECK(doc["valid"] == false);
  CHECK(doc["errors"] == 1);
  REQUIRE(doc["diagnostics"].size() == 1);
  auto d = doc["diagnostics"][0];
  CHECK(d["file"] == "bad_lan_overlap/customers/acme.yaml");
  CHECK(d["line"] == 11);
  CHECK(d["column"] == 11);
  CHECK(d["code"] == "overlap");
  CHECK(d["severity"] == "error");

  auto ok = run_cli({"inventory", "validate", "-i", "good_minimal", "--format", "json"},
                    env_for(home), data_path("inventory").string());
  CHECK(ok.exit_code == 0);
  auto good = nlohmann::json::parse(ok.out);
  CHECK(good["valid"] == true);
  CHECK(good["summary"]["tunnels"] == 3);
}

TEST_CASE("the lock is written on first use, and --locked exits 3 when it is stale") {
  TempDir home;
  TempDir work;
  copy_tree(data_path("inventory/good_minimal"), work.path() / "inv");
  std::filesystem::remove(work.path() / "inv/vpnaas.lock");

  auto stale = run_cli({"inventory", "validate", "--locked", "-i", "inv"}, env_for(home),
                       work.path().string());
  CHECK(stale.exit_code == 3);
  CHECK(stale.err.find("inv/vpnaas.lock is out of date (3 changes)") != std::string::npos);
  CHECK(stale.err.find("acme/antwerp~acme/brussels") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(work.path() / "inv/vpnaas.lock"));

  auto dry = run_cli({"inventory", "validate", "--dry-run", "-i", "inv"}, env_for(home),
                     work.path().string());
  CHECK(dry.exit_code == 0);
  CHECK_FALSE(std::filesystem::exists(work.path() / "inv/vpnaas.lock"));

  auto first = run_cli({"inventory", "validate", "-i", "inv"}, env_for(home), work.path().string());
  CHECK(first.exit_code == 0);
  CHECK(first.err.find("updated inv/vpnaas.lock: 3 added, 0 removed, 0 moved") !=
        std::string::npos);
  std::string lock = read_file(work.path() / "inv/vpnaas.lock");
  CHECK(run_cli({"inventory", "validate", "--locked", "-i", "inv"}, env_for(home),
                work.path().string())
            .exit_code == 0);
  CHECK(read_file(work.path() / "inv/vpnaas.lock") == lock);
}

TEST_CASE("inventory show prints the tunnel table, secrets only on request") {
  TempDir home;
  auto env = env_for(home);
  auto r = run_cli({"inventory", "show", "-i", data_path("inventory/good_minimal").string()}, env);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("acme      acme-ant-r1  192.0.2.20  10.255.0.1  acme-bru-r1  192.0.2.10   "
                   "10.255.0.2   10.255.0.0/30\n") != std::string::npos);
  CHECK(r.out.find("3 tunnel(s)") != std::string::npos);
  CHECK(r.out.find("PSK") == std::string::npos);

  auto no_key = run_cli(
      {"inventory", "show", "--show-secrets", "-i", data_path("inventory/good_minimal").string()},
      env);
  CHECK(no_key.exit_code == 4);
  CHECK(no_key.err.find("VPNAAS_MASTER_KEY") != std::string::npos);

  env["VPNAAS_MASTER_KEY"] = kKey;
  auto json = run_cli({"inventory", "show", "--show-secrets", "--format", "json", "-i",
                       data_path("inventory/good_minimal").string()},
                      env);
  CHECK(json.exit_code == 0);
  auto doc = nlohmann::json::parse(json.out);
  REQUIRE(doc["tunnels"].size() == 3);
  std::string psk = doc["tunnels"][0]["psk"];
  CHECK(psk.size() == 64);
  CHECK(json.out.find(kKey) == std::string::npos);

  auto without = run_cli(
      {"inventory", "show", "--format", "json", "-i", data_path("inventory/good_minimal").string()},
      env);
  CHECK(without.out.find(psk) == std::string::npos);
  CHECK(nlohmann::json::parse(without.out)["tunnels"][0]["b"]["address"] == "10.255.0.2");
}

TEST_CASE("a symbolic-link loop or a dangling link in customers/ is an I/O error naming it") {
  TempDir home;
  auto env = env_for(home);
  env["VPNAAS_MASTER_KEY"] = kKey;
  TempDir tmp;
  const auto inv = tmp.path() / "inv";
  copy_tree(data_path("render/small7"), inv);
  std::filesystem::create_symlink("loop2.yaml", inv / "customers" / "loop1.yaml");
  std::filesystem::create_symlink("loop1.yaml", inv / "customers" / "loop2.yaml");
  for (const auto& command : std::vector<std::vector<std::string>>{
           {"inventory", "validate"}, {"inventory", "show"}, {"mesh", "generate", "--dry-run"}}) {
    auto args = command;
    args.insert(args.end(), {"-i", inv.string()});
    auto text = run_cli(args, env, tmp.path().string());
    CAPTURE(text.err);
    CHECK(text.exit_code == 4);
    CHECK(text.err.find("customers/loop1.yaml: error: cannot read") != std::string::npos);
    CHECK(text.err.find("terminate called") == std::string::npos);
    args.insert(args.end(), {"--format", "json"});
    auto json = run_cli(args, env, tmp.path().string());
    CHECK(json.exit_code == 4);
    auto doc = nlohmann::json::parse(json.out);
    CHECK(doc.dump().find("loop1.yaml") != std::string::npos);
  }
  std::filesystem::remove(inv / "customers" / "loop1.yaml");
  std::filesystem::remove(inv / "customers" / "loop2.yaml");
  std::filesystem::create_symlink("missing.yaml", inv / "customers" / "gone.yaml");
  auto dangling = run_cli({"inventory", "validate", "-i", inv.string()}, env, tmp.path().string());
  CHECK(dangling.exit_code == 4);
  CHECK(dangling.err.find("customers/gone.yaml") != std::string::npos);
  CHECK(dangling.err.find("symbolic link") != std::string::npos);
}

TEST_CASE("an inventory path that is a file is called that, not missing") {
  TempDir home;
  auto result = run_cli({"inventory", "validate", "-i", "/etc/passwd"}, env_for(home));
  CHECK(result.exit_code != 0);
  CHECK(result.err.find("/etc/passwd is not a folder") != std::string::npos);
  CHECK(result.err.find("does not exist") == std::string::npos);
}

TEST_CASE("an emptied customers/ folder is refused, not turned into a wiped lock, allowed, the "
          "subnets are retired and come back, prune forgets them") {
  TempDir home;
  TempDir work;
  const auto inv = work.path() / "inv";
  copy_tree(data_path("inventory/good_minimal"), inv);
  std::filesystem::remove(inv / "vpnaas.lock");
  auto cli = [&](std::vector<std::string> args) {
    return run_cli(std::move(args), env_for(home), work.path().string());
  };
  REQUIRE(cli({"inventory", "validate", "-i", "inv"}).exit_code == 0);
  const std::string lock = read_file(inv / "vpnaas.lock");
  const std::string acme = read_file(inv / "customers/acme.yaml");
  std::filesystem::remove(inv / "customers/acme.yaml");

  auto refused = cli({"inventory", "validate", "-i", "inv"});
  CHECK(refused.exit_code == 1);
  CHECK(refused.err.find("inv/vpnaas.lock: error: the inventory would remove 3 of the 3 tunnels "
                         "that vpnaas.lock records (more than 50%)") != std::string::npos);
  CHECK(refused.err.find("--allow-mass-removal") != std::string::npos);
  CHECK(read_file(inv / "vpnaas.lock") == lock);
  auto refused_json = cli({"mesh", "generate", "-i", "inv", "--out", "out", "--format", "json"});
  CHECK(refused_json.exit_code == 1);
  CHECK(refused_json.out.find("\"mass-removal\"") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(work.path() / "out"));

  auto allowed = cli({"inventory", "validate", "-i", "inv", "--allow-mass-removal"});
  CHECK(allowed.exit_code == 0);
  CHECK(allowed.err.find("is retired (kept for its return)") != std::string::npos);
  const std::string retired = read_file(inv / "vpnaas.lock");
  CHECK(retired.find("version 2\n") != std::string::npos);
  CHECK(retired.find("\nretired acme/antwerp~acme/brussels ") != std::string::npos);

  write_file(inv / "customers/acme.yaml", acme);
  auto back = cli({"inventory", "validate", "-i", "inv"});
  CHECK(back.exit_code == 0);
  CHECK(back.err.find("0 added, 0 removed, 0 moved, 3 restored") != std::string::npos);
  CHECK(read_file(inv / "vpnaas.lock") == lock);

  std::filesystem::remove(inv / "customers/acme.yaml");
  REQUIRE(cli({"inventory", "validate", "-i", "inv", "--allow-mass-removal"}).exit_code == 0);
  auto dry = cli({"inventory", "prune", "-i", "inv", "--dry-run"});
  CHECK(dry.exit_code == 0);
  CHECK(dry.out == "would drop 3 retired subnet(s) from inv/vpnaas.lock\n");
  CHECK(read_file(inv / "vpnaas.lock") == retired);
  auto pruned = cli({"inventory", "prune", "-i", "inv", "--format", "json"});
  CHECK(pruned.exit_code == 0);
  auto doc = nlohmann::json::parse(pruned.out);
  CHECK(doc["dropped"].size() == 3);
  CHECK(doc["lock"]["written"] == true);
  CHECK(read_file(inv / "vpnaas.lock").find("retired") == std::string::npos);
}

TEST_CASE("inventory show says where each device setting comes from") {
  TempDir home;
  auto env = env_for(home);
  const std::string inv = data_path("inventory/good_cascade").string();
  CHECK(run_cli({"inventory", "show", "-i", inv}, env).out.find("Settings of each device") ==
        std::string::npos);
  auto r = run_cli({"inventory", "show", "--settings", "-i", inv}, env);
  CAPTURE(r.err);
  CHECK(r.exit_code == 0);
  CAPTURE(r.out);
  // The tunnel table is still there, and the settings follow it.
  CHECK(r.out.find("3 tunnel(s)\n") != std::string::npos);
  CHECK(r.out.find("dc1-r1 (cluster dc1)\n"
                   "  routeros:   7.1      (defaults, vpnaas.yaml:3)\n"
                   "  crypto:     strong   (built-in default)\n"
                   "  mtu:        1380     (cluster dc1, clusters/dc1.yaml:3)\n"
                   "  keepalive:  10s,3    (built-in default)\n"
                   "  routing:    ospf     (built-in default)\n") != std::string::npos);
  CHECK(r.out.find("acme-bru-r1 (customer acme, site brussels)\n"
                   "  routeros:   7.1      (defaults, vpnaas.yaml:3)\n"
                   "  crypto:     legacy   (customer acme, customers/acme.yaml:4)\n"
                   "  mtu:        1400     (defaults, vpnaas.yaml:4)\n"
                   "  keepalive:  10s,3    (built-in default)\n"
                   "  routing:    static   (customer acme, customers/acme.yaml:3)\n"
                   "  ospf.area:  0.0.0.0  (built-in default)\n"
                   "  ospf.hello: 1s       (built-in default)\n"
                   "  ospf.dead:  4s       (built-in default)\n"
                   "  ospf.cost:  20       (customer acme, customers/acme.yaml:5)\n") !=
        std::string::npos);
  CHECK(r.out.find("  routing:    ospf     (device, customers/acme.yaml:19)\n") !=
        std::string::npos);

  auto json = run_cli({"inventory", "show", "--format", "json", "-i", inv}, env);
  CHECK(json.exit_code == 0);
  auto doc = nlohmann::json::parse(json.out);
  REQUIRE(doc["devices"].size() == 3);
  auto router = doc["devices"][0];
  CHECK(router["device"] == "dc1-r1");
  CHECK(router["cluster"] == "dc1");
  CHECK(router["settings"]["mtu"]["value"] == "1380");
  CHECK(router["settings"]["mtu"]["source"] ==
        nlohmann::json{
            {"level", "cluster"}, {"name", "dc1"}, {"file", "clusters/dc1.yaml"}, {"line", 3}});
  CHECK(router["settings"]["routing"]["source"] == nlohmann::json{{"level", "built-in"}});
  auto brussels = doc["devices"][1];
  CHECK(brussels["customer"] == "acme");
  CHECK(brussels["site"] == "brussels");
  CHECK(brussels["settings"]["routing"]["value"] == "static");
  CHECK(brussels["settings"]["routing"]["source"] ==
        nlohmann::json{
            {"level", "customer"}, {"name", "acme"}, {"file", "customers/acme.yaml"}, {"line", 3}});
  CHECK(brussels["settings"]["routeros"]["source"] ==
        nlohmann::json{{"level", "defaults"}, {"file", "vpnaas.yaml"}, {"line", 3}});
  auto antwerp = doc["devices"][2];
  CHECK(antwerp["settings"]["routing"]["source"] ==
        nlohmann::json{{"level", "device"}, {"file", "customers/acme.yaml"}, {"line", 19}});
  CHECK(antwerp["settings"]["crypto"]["value"] == "legacy");
  CHECK(antwerp["settings"].size() == 9);

  // --customer keeps that customer's sites and the routers of its cluster.
  auto only =
      run_cli({"inventory", "show", "--customer", "acme", "--format", "json", "-i", inv}, env);
  CHECK(nlohmann::json::parse(only.out)["devices"].size() == 3);
}

TEST_CASE("a customers/ folder that cannot be listed is named itself, with exit 4") {
  TempDir work;
  const auto inv = work.path() / "inv";
  copy_tree(data_path("render/small7"), inv);
  std::filesystem::permissions(work.path(), std::filesystem::perms::all);
  std::filesystem::permissions(inv / "customers", std::filesystem::perms::none);
  // root reads any folder: drop to nobody so the permission is real.
  std::vector<std::string> argv{cli_path(),  "inventory", "validate",
                                "--dry-run", "-i",        inv.string()};
  if (::geteuid() == 0) {
    argv.insert(argv.begin(), {"setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"});
  }
  auto r = run(argv, {{"VPNAAS_INVENTORY", ""}});
  std::filesystem::permissions(inv / "customers", std::filesystem::perms::owner_all);
  CHECK(r.exit_code == 4);
  CHECK(r.err.find((inv / "customers").generic_string() + ": error: cannot list the folder " +
                   (inv / "customers").generic_string() + ": Permission denied") !=
        std::string::npos);
}

TEST_CASE("control bytes and invalid UTF-8 quoted from a file are escaped, not sent to the "
          "terminal") {
  using namespace std::string_literals;
  // Every byte a message may print raw: no control byte but the line ends.
  auto only_printable = [](const std::string& text) {
    for (char c : text) {
      if (static_cast<unsigned char>(c) < 0x20 && c != '\n') {
        return false;
      }
    }
    return true;
  };
  TempDir home;
  SUBCASE("a lock line") {
    copy_tree(source_path("inventory"), home.path() / "inv");
    const auto lock = home.path() / "inv/vpnaas.lock";
    write_file(lock, read_file(lock) + "bo\0gus\x1b[2J\xff tunnel\n"s);
    auto r = run_cli({"inventory", "validate", "-i", "inv"}, env_for(home), home.path().string());
    CAPTURE(r.err);
    CHECK(r.exit_code == 1);
    CHECK(only_printable(r.err));
    CHECK(r.err.find("unknown entry \"bo\\x00gus\\x1b[2J\\xff\"") != std::string::npos);
  }
  SUBCASE("a customer file") {
    copy_tree(source_path("inventory"), home.path() / "inv");
    const auto acme = home.path() / "inv/customers/acme.yaml";
    // Quoted, because yaml-cpp reads a NUL in a plain scalar as the start of an escape.
    write_file(acme, read_file(acme) + "\"ro\0ute\x1b[2J\": 1\n"s);
    auto r = run_cli({"inventory", "validate", "-i", "inv"}, env_for(home), home.path().string());
    CAPTURE(r.err);
    CHECK(r.exit_code == 1);
    CHECK(only_printable(r.err));
    CHECK(r.err.find("unknown key \"ro\\x00ute\\x1b[2J\"") != std::string::npos);
  }
}
