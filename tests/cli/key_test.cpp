#include <doctest/doctest.h>

#include <filesystem>
#include <map>
#include <string>
#include <sys/stat.h>

#include "support/paths.hpp"
#include "support/run.hpp"

using vpnaas::test::file_mode;
using vpnaas::test::read_file;
using vpnaas::test::run_cli;
using vpnaas::test::RunResult;
using vpnaas::test::TempDir;
namespace fs = std::filesystem;

namespace {

// A private home for the CLI: default key under <tmp>/config, and no key in
// the environment (an empty value unsets the variable).
struct CliHome {
  TempDir dir;
  // A real (not the bundled) inventory, whose default key is master.key.
  std::map<std::string, std::string> env{
      {"HOME", (dir.path() / "home").string()},
      {"XDG_CONFIG_HOME", (dir.path() / "config").string()},
      {"VPNAAS_MASTER_KEY", ""},
      {"VPNAAS_INVENTORY", vpnaas::test::data_path("render/small7").string()}};

  fs::path default_key() const { return dir.path() / "config/vpnaas/master.key"; }
  RunResult key(const std::vector<std::string>& args) const {
    std::vector<std::string> all{"key"};
    all.insert(all.end(), args.begin(), args.end());
    return run_cli(all, env);
  }
};

// The key text without its newline, which must appear in no output.
std::string key_in(const fs::path& path) {
  std::string text = read_file(path);
  REQUIRE(text.size() == 65);
  return text.substr(0, 64);
}

void check_not_printed(const RunResult& run, const std::string& key) {
  CHECK(run.out.find(key.substr(0, 16)) == std::string::npos);
  CHECK(run.err.find(key.substr(0, 16)) == std::string::npos);
}

} // namespace

TEST_CASE("vpnaas key generate: writes the default key file, says where, never the key") {
  CliHome home;
  RunResult run = home.key({"generate"});
  CHECK(run.exit_code == 0);
  CHECK(run.err == "");
  CHECK(run.out == "Wrote a new master key to " + home.default_key().string() +
                       " (mode 0600).\nEvery pre-shared key is derived from it: keep a backup "
                       "outside the repository.\n");
  CHECK(file_mode(home.default_key()) == 0600);
  CHECK(file_mode(home.default_key().parent_path()) == 0700);
  check_not_printed(run, key_in(home.default_key()));
}

TEST_CASE("vpnaas key generate: refuses to replace a key unless --force") {
  CliHome home;
  REQUIRE(home.key({"generate"}).exit_code == 0);
  std::string first = key_in(home.default_key());

  RunResult again = home.key({"generate"});
  CHECK(again.exit_code == 4);
  CHECK(again.out == "");
  CHECK(again.err.find("key file " + home.default_key().string() + " already exists") !=
        std::string::npos);
  CHECK(again.err.find("--force") != std::string::npos);
  CHECK(key_in(home.default_key()) == first);

  RunResult forced = home.key({"generate", "--force"});
  CHECK(forced.exit_code == 0);
  std::string second = key_in(home.default_key());
  CHECK(second != first);
  check_not_printed(forced, second);
  check_not_printed(forced, first);
}

TEST_CASE("vpnaas key generate --key-file: any path, JSON output") {
  CliHome home;
  fs::path path = home.dir.path() / "keys/acme.key";
  RunResult run = home.key({"generate", "--key-file", path.string(), "--format", "json"});
  CHECK(run.exit_code == 0);
  CHECK(run.out.find("\"path\": \"" + path.string() + "\"") != std::string::npos);
  CHECK(run.out.find("\"mode\": \"0600\"") != std::string::npos);
  CHECK(file_mode(path) == 0600);
  CHECK_FALSE(fs::exists(home.default_key()));
  check_not_printed(run, key_in(path));
}

TEST_CASE("vpnaas key generate: an unwritable place exits 4 with the reason") {
  CliHome home;
  vpnaas::test::write_file(home.dir.path() / "file", "x");
  RunResult run = home.key({"generate", "--key-file", (home.dir.path() / "file/k").string()});
  CHECK(run.exit_code == 4);
  CHECK(run.err.find("Not a directory") != std::string::npos);
}

TEST_CASE("vpnaas key path: the default file, before and after generate") {
  CliHome home;
  std::string path = home.default_key().string();
  RunResult before = home.key({"path"});
  CHECK(before.exit_code == 0);
  CHECK(before.out == path + " (default key file, does not exist; create it with `vpnaas key "
                             "generate`)\n");
  CHECK_FALSE(fs::exists(home.default_key()));

  REQUIRE(home.key({"generate"}).exit_code == 0);
  RunResult after = home.key({"path"});
  CHECK(after.exit_code == 0);
  CHECK(after.out == path + " (default key file, exists)\n");
  check_not_printed(after, key_in(home.default_key()));
}

TEST_CASE("vpnaas key path: --key-file and the environment take precedence") {
  CliHome home;
  fs::path flag = home.dir.path() / "flag.key";
  RunResult with_flag = home.key({"path", "--key-file", flag.string()});
  CHECK(with_flag.out == flag.string() +
                             " (--key-file, does not exist; create it with `vpnaas key generate "
                             "--key-file " +
                             flag.string() + "`)\n");

  const std::string secret(64, 'c');
  home.env["VPNAAS_MASTER_KEY"] = secret;
  RunResult from_env = home.key({"path"});
  CHECK(from_env.exit_code == 0);
  CHECK(from_env.out == "environment variable VPNAAS_MASTER_KEY (set; no key file is used)\n");
  check_not_printed(from_env, secret);

  RunResult json = home.key({"path", "--format", "json"});
  CHECK(json.out.find("\"source\": \"environment\"") != std::string::npos);
  CHECK(json.out.find("\"path\": null") != std::string::npos);
  check_not_printed(json, secret);
}

TEST_CASE("vpnaas key path --format json: source, path, exists") {
  CliHome home;
  RunResult run = home.key({"path", "--format", "json"});
  CHECK(run.exit_code == 0);
  CHECK(run.out.find("\"source\": \"default-file\"") != std::string::npos);
  CHECK(run.out.find("\"path\": \"" + home.default_key().string() + "\"") != std::string::npos);
  CHECK(run.out.find("\"exists\": false") != std::string::npos);
}

TEST_CASE("vpnaas key: help describes every option, usage errors exit 2") {
  CliHome home;
  RunResult help = home.key({"--help"});
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("generate") != std::string::npos);
  CHECK(help.out.find("path") != std::string::npos);

  RunResult generate = home.key({"generate", "--help"});
  CHECK(generate.exit_code == 0);
  CHECK(generate.out.find("--key-file") != std::string::npos);
  CHECK(generate.out.find("Key file to use instead of the default") != std::string::npos);
  CHECK(generate.out.find("--force") != std::string::npos);
  CHECK(generate.out.find("Replace an existing key file") != std::string::npos);
  CHECK(generate.out.find("--format") != std::string::npos);

  RunResult path = home.key({"path", "--help"});
  CHECK(path.exit_code == 0);
  CHECK(path.out.find("--key-file") != std::string::npos);
  CHECK(path.out.find("--format") != std::string::npos);

  CHECK(home.key({}).exit_code == 2);
  CHECK(home.key({"generate", "--format", "xml"}).exit_code == 2);
  CHECK(home.key({"generate", "--bogus"}).exit_code == 2);
}

TEST_CASE("vpnaas key path and generate name the key the bundled inventory really uses") {
  CliHome home;
  home.env["VPNAAS_INVENTORY"] = "";
  RunResult path = home.key({"path"});
  CHECK(path.exit_code == 0);
  CHECK(path.out.find((home.dir.path() / "config/vpnaas/bundled-inventory.key").string()) == 0);
  RunResult mesh = run_cli(
      {"key", "path", "--inventory", vpnaas::test::data_path("render/small7").string()}, home.env);
  CHECK(mesh.out.find(home.default_key().string()) == 0);

  home.env["VPNAAS_MASTER_KEY"] = std::string(64, 'b');
  RunResult generated = home.key({"generate", "--format", "json"});
  CHECK(generated.exit_code == 0);
  CHECK(generated.out.find("\"used\": false") != std::string::npos);
  RunResult text = home.key({"generate", "--force"});
  CHECK(text.err.find("VPNAAS_MASTER_KEY is set, so commands use it and not this file") !=
        std::string::npos);
}

TEST_CASE("vpnaas key path names the key file mesh generate creates for the bundled inventory") {
  CliHome home;
  home.env["VPNAAS_INVENTORY"] = "";
  RunResult path = home.key({"path", "--format", "json"});
  REQUIRE(path.exit_code == 0);
  const fs::path expected = home.dir.path() / "config/vpnaas/bundled-inventory.key";
  CHECK(path.out.find("\"path\": \"" + expected.string() + "\"") != std::string::npos);
  CHECK(path.out.find("\"exists\": false") != std::string::npos);

  TempDir out;
  RunResult generated =
      run_cli({"mesh", "generate", "--dry-run", "-o", out.path().string()}, home.env);
  CHECK(generated.exit_code == 0);
  CHECK(generated.err.find("created a new master key for the bundled inventory at " +
                           expected.string()) != std::string::npos);
  CHECK(fs::exists(expected));
  RunResult after = home.key({"path", "--format", "json"});
  CHECK(after.out.find("\"exists\": true") != std::string::npos);
}
