// No output of any command may hold the master key or a pre-shared key
// (issue 9, item 6). Secrets belong in the generated .rsc files and in
// `inventory show --show-secrets`; every other stdout and stderr, text and
// JSON, success and failure, is grepped here for every 16-hex-digit piece of
// every secret the runs could know, so a truncated leak is caught as well.
// The audit is split into cases ctest runs in parallel (under the sanitizer
// it was one case of 70 s); each case greps its own runs for every secret
// those runs could know. The command tree is read from --help by the
// coverage case, which fails for a command that kSuccessRuns does not name:
// a new command needs its invocations in one of the cases below.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "acs_server.hpp"
#include "bundled_repo.hpp"
#include "ssh_cli.hpp"
#include "support/paths.hpp"
#include "support/run.hpp"

using namespace vpnaas::test;
namespace fs = std::filesystem;

namespace {

// Not one digit repeated, whose 16-digit pieces would also match unrelated
// filler, and with letters, so that an upper-case leak is tested too.
const std::string kMasterKey = "3f9c0a71e4b2d85c6a1f07e3b9d24c58e1a7f03b6c9d2e4a8b1c5f7092d3e6a4";
// What `vpnaas plan` derives with instead of the master key
// (lib/src/plan/comparison_key.cpp): public, but plan hides its keys all the same.
const std::string kComparisonKey = [] {
  std::string key;
  for (int i = 0; i < 32; ++i) {
    key += "5a";
  }
  return key;
}();
constexpr std::size_t kWindow = 16; // fingerprints show 8 hex digits, by design

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

bool is_hex(char c) {
  return std::isxdigit(static_cast<unsigned char>(c)) != 0;
}

// Every 16-hex-digit piece of every secret, each mapped to what it is part of.
class Secrets {
public:
  void add(const std::string& secret, const std::string& what) {
    const std::string key = lower(secret);
    REQUIRE(key.size() >= kWindow);
    for (std::size_t at = 0; at + kWindow <= key.size(); ++at) {
      m_windows.emplace(key.substr(at, kWindow), what);
    }
    m_secrets.insert(key);
  }
  std::size_t count() const { return m_secrets.size(); }

  // The first piece of a secret found in `text` (in any case), as a message.
  std::optional<std::string> find_in(const std::string& text) const {
    const std::string haystack = lower(text);
    for (std::size_t start = 0; start < haystack.size();) {
      if (!is_hex(haystack[start])) {
        ++start;
        continue;
      }
      std::size_t end = start;
      while (end < haystack.size() && is_hex(haystack[end])) {
        ++end;
      }
      for (std::size_t at = start; at + kWindow <= end; ++at) {
        const auto hit = m_windows.find(haystack.substr(at, kWindow));
        if (hit != m_windows.end()) {
          return fmt::format("\"{}\" (part of {}) in: {}", hit->first, hit->second,
                             text.substr(at > 60 ? at - 60 : 0, 160));
        }
      }
      start = end;
    }
    return std::nullopt;
  }

private:
  std::map<std::string, std::string> m_windows;
  std::set<std::string> m_secrets;
};

// The command tree as --help lists it: each command path and its subcommands.
using Path = std::vector<std::string>;

std::vector<std::string> subcommands_in_help(const std::string& help) {
  std::vector<std::string> names;
  const auto section = help.find("\nSubcommands:\n");
  if (section == std::string::npos) {
    return names;
  }
  std::size_t at = section + std::string("\nSubcommands:\n").size();
  while (at < help.size()) {
    const auto eol = std::min(help.find('\n', at), help.size());
    const std::string line = help.substr(at, eol - at);
    // Entries are indented by two spaces; a deeper indent continues a
    // wrapped description.
    if (line.size() < 3 || line.compare(0, 2, "  ") != 0) {
      break;
    }
    if (line[2] != ' ') {
      names.push_back(line.substr(2, line.find(' ', 2) - 2));
    }
    at = eol + 1;
  }
  return names;
}

struct Invocation {
  std::string label;
  Path command;
  bool json = false;
  bool ok = false;
  RunResult result;
};

Path path_of(const std::string& command) {
  Path path;
  std::size_t at = 0;
  while (at < command.size()) {
    const auto space = std::min(command.find(' ', at), command.size());
    path.push_back(command.substr(at, space - at));
    at = space + 1;
  }
  return path;
}

// Which case runs each leaf command successfully, in text and in JSON. Every
// leaf's failure runs, text and JSON, are the coverage case's usage errors.
// To audit a new command: give it runs in one of the cases (or a new case
// calling finish()) and name it here.
const std::map<std::string, std::vector<std::string>> kSuccessRuns{
    {"inventory and mesh",
     {"inventory validate", "inventory show", "inventory prune", "mesh generate", "mesh check",
      "key path"}},
    {"invalid input", {}},
    {"master key", {"key generate"}},
    {"git", {"plan"}},
    {"ssh", {"apply", "device run", "device export", "device reboot", "device host-key"}},
    {"acs",
     {"acs credentials", "device list", "device show", "device accept", "device reject",
      "device tasks", "device factory-reset", "device upload", "device push-config",
      "device params get", "device params set"}},
};

// Leaves whose successful runs happen elsewhere. A server runs until a
// signal and has no JSON outcome: `acs serve`'s successful runs, and its log
// grepped for the CPE password and the master key, are in tests/unit/acs_e2e.
const std::set<std::string> kSucceedsElsewhere{"acs serve"};

// Runs commands, remembers every output for the final grep, and what each
// leaf command was run with.
class Audit {
public:
  // `leaves` are the commands a run may be of: the longest one its arguments
  // start with is the command it ran.
  explicit Audit(std::set<Path> leaves) : m_leaves(std::move(leaves)) {
    m_secrets.add(kMasterKey, "the master key");
  }

  // An audit whose leaves are the command tree in --help, read by running
  // every --help (each checked like any other run).
  static Audit of_help() {
    Audit audit({});
    audit.discover({});
    return audit;
  }

  // The leaves every case names in kSuccessRuns.
  static std::set<Path> named_leaves() {
    std::set<Path> leaves;
    for (const auto& [name, commands] : kSuccessRuns) {
      for (const auto& command : commands) {
        leaves.insert(path_of(command));
      }
    }
    return leaves;
  }

  const std::set<Path>& leaves() const { return m_leaves; }
  const std::vector<Invocation>& runs() const { return m_runs; }
  Secrets& secrets() { return m_secrets; }
  const Secrets& secrets() const { return m_secrets; }

  // `vpnaas args...`, which must exit with `exit_code` (0, and 10 for a plan
  // with changes, is the success path; anything else a failure path).
  const RunResult& run(const std::string& label, const std::vector<std::string>& args,
                       const std::map<std::string, std::string>& env, const fs::path& cwd,
                       int exit_code) {
    return record(label, args, run_cli(args, env, cwd.string()), exit_code);
  }

  const RunResult& record(const std::string& label, const std::vector<std::string>& args,
                          RunResult result, int exit_code) {
    INFO(label);
    INFO(fmt::format("vpnaas {}", fmt::join(args, " ")));
    INFO(result.err);
    CHECK(result.exit_code == exit_code);
    Invocation invocation{label, command_of(args), false, exit_code == 0 || exit_code == 10,
                          std::move(result)};
    for (std::size_t i = 0; i < args.size(); ++i) {
      if (args[i] == "--format=json" ||
          (args[i] == "--format" && i + 1 < args.size() && args[i + 1] == "json")) {
        invocation.json = true;
      }
    }
    if (invocation.json) {
      // The JSON contract: one document on stdout for every outcome.
      CHECK_MESSAGE(nlohmann::json::accept(invocation.result.out),
                    "stdout is not one JSON document: " << invocation.result.out);
    }
    m_runs.push_back(std::move(invocation));
    return m_runs.back().result;
  }

  // The PSKs of an inventory, from the one output allowed to print them.
  void add_psks_of(const fs::path& inventory, const std::string& master_key,
                   const std::string& what, const fs::path& cwd) {
    std::map<std::string, std::string> env{{"VPNAAS_MASTER_KEY", master_key},
                                           {"HOME", (cwd / "home").string()},
                                           {"XDG_CONFIG_HOME", (cwd / "config").string()}};
    const RunResult shown = run_cli({"inventory", "show", "--inventory", inventory.string(),
                                     "--show-secrets", "--format", "json", "--dry-run"},
                                    env, cwd.string());
    INFO(shown.err);
    REQUIRE(shown.exit_code == 0);
    const auto document = nlohmann::json::parse(shown.out);
    REQUIRE_FALSE(document["tunnels"].empty());
    for (const auto& tunnel : document["tunnels"]) {
      const std::string psk = tunnel["psk"];
      REQUIRE(psk.size() == 64);
      m_secrets.add(psk, fmt::format("{} PSK of {}", what, tunnel["id"].get<std::string>()));
    }
  }

  // Every 64-hex-digit value of a generated set: the scripts' keys.
  void add_psks_in_scripts(const fs::path& out, const std::string& what) {
    const std::regex key("[0-9a-fA-F]{64}");
    std::size_t found = 0;
    for (const auto& entry : fs::recursive_directory_iterator(out)) {
      if (entry.path().extension() != ".rsc") {
        continue;
      }
      const std::string text = read_file(entry.path());
      for (auto it = std::sregex_iterator(text.begin(), text.end(), key);
           it != std::sregex_iterator(); ++it) {
        m_secrets.add(it->str(), fmt::format("a key in {} {}", what, entry.path().string()));
        ++found;
      }
    }
    REQUIRE(found > 0);
  }

  // Which of "success text", "success json", "failure text" and
  // "failure json" each leaf was run for.
  std::map<Path, std::set<std::string>> seen() const {
    std::map<Path, std::set<std::string>> seen;
    for (const auto& run : m_runs) {
      if (!run.label.starts_with("help of ")) {
        seen[run.command].insert(std::string(run.ok ? "success" : "failure") +
                                 (run.json ? " json" : " text"));
      }
    }
    return seen;
  }

  // The end of every case: this case ran what kSuccessRuns says it runs, and
  // no output of its runs holds a secret.
  void finish(const std::string& name) {
    const auto seen_runs = seen();
    for (const auto& command : kSuccessRuns.at(name)) {
      const auto found = seen_runs.find(path_of(command));
      for (const char* kind : {"success text", "success json"}) {
        CHECK_MESSAGE((found != seen_runs.end() && found->second.count(kind) == 1),
                      fmt::format("kSuccessRuns says the case \"{}\" runs `vpnaas {}` for `{}`",
                                  name, command, kind));
      }
    }
    grep();
  }

  // No output of any run holds a secret, and the count of what was grepped.
  void grep() const {
    for (const auto& run : m_runs) {
      for (const auto& [stream, text] :
           {std::pair{"stdout", &run.result.out}, std::pair{"stderr", &run.result.err}}) {
        const auto leak = m_secrets.find_in(*text);
        CHECK_MESSAGE(!leak.has_value(),
                      fmt::format("{}: {}: {}", run.label, stream, leak.value_or(std::string())));
      }
    }
    std::map<std::string, int> kinds;
    for (const auto& run : m_runs) {
      ++kinds[run.label.starts_with("help of ")
                  ? std::string("help")
                  : std::string(run.ok ? "success " : "failure ") + (run.json ? "json" : "text")];
    }
    std::string breakdown;
    for (const auto& [kind, count] : kinds) {
      breakdown += fmt::format("{}{} {}", breakdown.empty() ? "" : ", ", count, kind);
    }
    MESSAGE(fmt::format("{} invocations ({}) grepped for {} secrets", m_runs.size(), breakdown,
                        m_secrets.count()));
  }

private:
  void discover(const Path& path) {
    std::vector<std::string> args = path;
    args.push_back("--help");
    record("help of " + fmt::format("{}", fmt::join(path, " ")), args, run_cli(args), 0);
    const auto children = subcommands_in_help(m_runs.back().result.out);
    if (children.empty()) {
      m_leaves.insert(path);
      // Every leaf's help ends with its exit codes and examples.
      const std::string& help = m_runs.back().result.out;
      CHECK_MESSAGE(help.find("\nExit codes: 0 ") != std::string::npos, fmt::join(path, " "));
      CHECK_MESSAGE(help.find("\nExamples:\n  vpnaas ") != std::string::npos, fmt::join(path, " "));
    }
    for (const auto& child : children) {
      Path next = path;
      next.push_back(child);
      discover(next);
    }
  }

  Path command_of(const std::vector<std::string>& args) const {
    Path longest;
    for (const auto& leaf : m_leaves) {
      if (leaf.size() > longest.size() && leaf.size() <= args.size() &&
          std::equal(leaf.begin(), leaf.end(), args.begin())) {
        longest = leaf;
      }
    }
    return longest;
  }

  std::set<Path> m_leaves;
  std::vector<Invocation> m_runs;
  Secrets m_secrets;
};

std::map<std::string, std::string> home_env(const fs::path& dir, const std::string& master_key) {
  return {{"VPNAAS_MASTER_KEY", master_key},
          {"HOME", (dir / "home").string()},
          {"XDG_CONFIG_HOME", (dir / "config").string()},
          {"VPNAAS_INVENTORY", ""}};
}

std::vector<std::string> with(std::vector<std::string> args, const std::vector<std::string>& more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

const std::vector<std::string> kJson{"--format", "json"};

// inventory, mesh and key path commands on a copy of small7.
void inventory_and_mesh_commands(Audit& audit, const fs::path& dir) {
  const fs::path inventory = dir / "inventory";
  const fs::path out = dir / "out";
  copy_tree(data_path("render/small7"), inventory);
  const auto env = home_env(dir, kMasterKey);
  const std::string inv = inventory.string();
  auto run = [&](const std::string& label, const std::vector<std::string>& args, int code,
                 const std::map<std::string, std::string>& e) {
    audit.run(label, args, e, dir, code);
    audit.run(label + " (json)", with(args, kJson), e, dir, code);
  };

  run("validate", {"inventory", "validate", "--inventory", inv}, 0, env);
  run("show", {"inventory", "show", "--inventory", inv}, 0, env);
  run("show --settings", {"inventory", "show", "--inventory", inv, "--settings"}, 0, env);
  run("prune --dry-run", {"inventory", "prune", "--inventory", inv, "--dry-run"}, 0, env);
  run("prune", {"inventory", "prune", "--inventory", inv}, 0, env);
  run("generate", {"mesh", "generate", "--inventory", inv, "--out", out.string()}, 0, env);
  run("generate --device",
      {"mesh", "generate", "--inventory", inv, "--out", out.string(), "--device", "acme-bru-r1"}, 0,
      env);
  run("generate --dry-run",
      {"mesh", "generate", "--inventory", inv, "--out", (dir / "dry").string(), "--dry-run"}, 0,
      env);
  run("check", {"mesh", "check", "--out", out.string()}, 0, env);
  run("key path", {"key", "path", "--inventory", inv}, 0, env);
  run("key path --key-file",
      {"key", "path", "--inventory", inv, "--key-file", (dir / "some.key").string()}, 0, env);
  audit.add_psks_in_scripts(out, "small7");

  // Two ends of a tunnel disagree on the key: check names fingerprints.
  const fs::path script = out / "dc1/dc1-r1.rsc";
  std::string text = read_file(script);
  std::smatch key;
  REQUIRE(std::regex_search(text, key, std::regex("[0-9a-f]{64}")));
  const std::string real = key.str();
  text.replace(text.find(real), 4, "0000");
  write_file(script, text);
  audit.secrets().add("0000" + real.substr(4), "the tampered key");
  run("check tampered", {"mesh", "check", "--out", out.string()}, 1, env);
  CHECK(audit.runs().back().result.out.find("sha256:") != std::string::npos);
}

// Invalid inventories and unknown names, beside a copy of small7.
void invalid_input_commands(Audit& audit, const fs::path& dir) {
  const fs::path inventory = dir / "inventory";
  const fs::path out = dir / "out";
  copy_tree(data_path("render/small7"), inventory);
  const auto env = home_env(dir, kMasterKey);
  const std::string inv = inventory.string();
  auto run = [&](const std::string& label, const std::vector<std::string>& args, int code,
                 const std::map<std::string, std::string>& e) {
    audit.run(label, args, e, dir, code);
    audit.run(label + " (json)", with(args, kJson), e, dir, code);
  };

  // Their failures must not show small7's keys either.
  audit.add_psks_of(inventory, kMasterKey, "small7", dir);

  for (const char* bad : {"bad_yaml_syntax", "bad_unknown_key", "bad_duplicate_device",
                          "bad_unknown_cluster", "bad_lan_overlap"}) {
    const std::string path = data_path(std::string("inventory/") + bad).string();
    run(std::string("validate ") + bad, {"inventory", "validate", "--inventory", path, "--dry-run"},
        1, env);
    run(std::string("generate ") + bad,
        {"mesh", "generate", "--inventory", path, "--out", (dir / "bad").string(), "--dry-run"}, 1,
        env);
  }
  const std::string broken = data_path("inventory/bad_yaml_syntax").string();
  run("show invalid", {"inventory", "show", "--inventory", broken, "--dry-run"}, 1, env);
  run("show --show-secrets invalid",
      {"inventory", "show", "--inventory", broken, "--dry-run", "--show-secrets"}, 1, env);
  run("prune invalid", {"inventory", "prune", "--inventory", broken, "--dry-run"}, 1, env);
  run("generate unknown customer",
      {"mesh", "generate", "--inventory", inv, "--out", out.string(), "--customer", "nobody"}, 2,
      env);
  run("generate unknown device",
      {"mesh", "generate", "--inventory", inv, "--out", out.string(), "--device", "nobody-r1"}, 2,
      env);
  run("show unknown customer",
      {"inventory", "show", "--inventory", inv, "--customer", "nobody", "--show-secrets"}, 2, env);
  run("check missing set", {"mesh", "check", "--out", (dir / "nothing").string()}, 4, env);
}

// The ways the master key can be wrong, and key generate, on a copy of
// small7.
void master_key_commands(Audit& audit, const fs::path& dir) {
  const fs::path inventory = dir / "inventory";
  copy_tree(data_path("render/small7"), inventory);
  const std::string inv = inventory.string();
  auto run = [&](const std::string& label, const std::vector<std::string>& args, int code,
                 const std::map<std::string, std::string>& e) {
    audit.run(label, args, e, dir, code);
    audit.run(label + " (json)", with(args, kJson), e, dir, code);
  };
  // The runs with the real key generate small7's scripts.
  audit.add_psks_of(inventory, kMasterKey, "small7", dir);

  // A malformed master key is refused without being echoed: too short, one
  // digit that is not hex (in the middle, so either half would be caught),
  // and from a key file rather than the environment.
  const std::string short_key = kMasterKey.substr(0, 63);
  std::string bad_digit = kMasterKey;
  bad_digit[31] = 'g';
  audit.secrets().add(short_key, "a malformed master key (63 digits)");
  audit.secrets().add(bad_digit, "a malformed master key (not hex)");
  const std::vector<std::string> generate{"mesh", "generate", "--inventory",
                                          inv,    "--out",    (dir / "refused").string()};
  const std::vector<std::string> show{"inventory", "show", "--inventory", inv, "--show-secrets"};
  for (const auto& [what, key] : std::map<std::string, std::string>{
           {"63 hex digits", short_key}, {"a non-hex digit", bad_digit}}) {
    run("generate, master key of " + what, generate, 4, home_env(dir, key));
    run("show --show-secrets, master key of " + what, show, 4, home_env(dir, key));
  }
  const auto no_env_key = home_env(dir, "");
  const fs::path key_file = dir / "keys/master.key";
  write_file(key_file, bad_digit + "\n");
  fs::permissions(key_file, fs::perms::owner_read | fs::perms::owner_write);
  run("generate, key file not hex", with(generate, {"--key-file", key_file.string()}), 4,
      no_env_key);
  // The real key, in upper case, in a file others may read: refused.
  write_file(key_file, upper(kMasterKey) + "\n");
  fs::permissions(key_file, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                                fs::perms::others_read);
  run("generate, key file mode 0644", with(generate, {"--key-file", key_file.string()}), 4,
      no_env_key);
  run("show --show-secrets, key file mode 0644", with(show, {"--key-file", key_file.string()}), 4,
      no_env_key);
  fs::permissions(key_file, fs::perms::owner_read | fs::perms::owner_write);
  run("generate, upper-case key file", with(generate, {"--key-file", key_file.string()}), 0,
      no_env_key);
  run("generate without any key", generate, 4, no_env_key);

  // key generate says where the key went, never the key: every key it
  // writes becomes a secret of the grep.
  const fs::path fresh = dir / "fresh";
  const auto fresh_env = home_env(fresh, "");
  const fs::path default_key = fresh / "config/vpnaas/master.key";
  const auto written = [&](const fs::path& path) {
    const std::string text = read_file(path);
    REQUIRE(text.size() >= 64);
    audit.secrets().add(text.substr(0, 64), "a master key key generate wrote");
    return text.substr(0, 64);
  };
  audit.run("key generate --key-file", {"key", "generate", "--key-file", (dir / "a.key").string()},
            no_env_key, dir, 0);
  written(dir / "a.key");
  audit.run("key generate --key-file (json)",
            with({"key", "generate", "--key-file", (dir / "b.key").string()}, kJson), no_env_key,
            dir, 0);
  written(dir / "b.key");
  audit.run("key generate default", {"key", "generate", "--inventory", inv}, fresh_env, dir, 0);
  written(default_key);
  run("key generate existing", {"key", "generate", "--inventory", inv}, 4, fresh_env);
  audit.run("key generate --force", {"key", "generate", "--inventory", inv, "--force"}, fresh_env,
            dir, 0);
  written(default_key);
  audit.run("key generate --force (json)",
            with({"key", "generate", "--inventory", inv, "--force"}, kJson), fresh_env, dir, 0);
  const std::string last = written(default_key);
  write_file(dir / "a-file", "x");
  run("key generate unwritable", {"key", "generate", "--key-file", (dir / "a-file/k").string()}, 4,
      no_env_key);
  // The default key file the last generate made, used by the commands.
  run("generate with the default key file", generate, 0, fresh_env);
  audit.add_psks_of(inventory, last, "generated-key", dir);
}

// plan between revisions where a cluster router's psk-epoch rises, and the
// --rev reads of committed inventories, in a git repository of the bundled
// inventory.
void git_commands(Audit& audit) {
  BundledRepo repo;
  repo.env["VPNAAS_MASTER_KEY"] = kMasterKey;
  const fs::path dir = repo.dir.path();
  const std::string inv = repo.inventory.string();
  auto run = [&](const std::string& label, const std::vector<std::string>& args, int code) {
    const auto all = with(args, {"--inventory", inv});
    audit.run(label, all, repo.env, dir, code);
    audit.run(label + " (json)", with(all, kJson), repo.env, dir, code);
  };
  audit.add_psks_of(repo.inventory, kMasterKey, "bundled", dir);
  audit.add_psks_of(repo.inventory, kComparisonKey, "bundled plan-comparison", dir);

  const fs::path file = repo.inventory / "clusters/dc1.yaml";
  std::string text = read_file(file);
  const std::string anchor = "  - name: dc1-r2\n";
  REQUIRE(text.find(anchor) != std::string::npos);
  text.insert(text.find(anchor) + anchor.size(), "    psk-epoch: 2\n");
  write_file(file, text);
  audit.add_psks_of(repo.inventory, kMasterKey, "bundled epoch-2", dir);
  audit.add_psks_of(repo.inventory, kComparisonKey, "bundled epoch-2 plan-comparison", dir);

  run("plan working tree", {"plan"}, 10);
  CHECK(audit.runs().back().result.out.find("\"secret\": true") != std::string::npos);
  CHECK(audit.runs()[audit.runs().size() - 2].result.out.find("secret: changed (hidden)") !=
        std::string::npos);
  run("plan --summary", {"plan", "--summary"}, 10);
  repo.repo.commit_all("dc1-r2: psk-epoch 2");
  run("plan between commits", {"plan", "--base", "HEAD~1", "--head", "HEAD"}, 10);
  run("plan back", {"plan", "--base", "HEAD", "--head", "HEAD~1"}, 10);
  run("plan no change", {"plan"}, 0);
  run("plan unknown base", {"plan", "--base", "v9.9"}, 1);
  run("validate --rev", {"inventory", "validate", "--rev", "HEAD~1"}, 0);
  run("show --rev", {"inventory", "show", "--rev", "HEAD~1"}, 0);
  const fs::path out = dir / "out";
  run("generate --rev", {"mesh", "generate", "--rev", "HEAD~1", "--out", out.string()}, 0);
  audit.add_psks_in_scripts(out, "bundled at HEAD~1");
  run("generate --rev unknown", {"mesh", "generate", "--rev", "v9.9", "--out", out.string()}, 1);
  write_file(file, "cluster: [\n");
  run("plan invalid head", {"plan"}, 1);
}

// apply and device against the fake routers behind sshd, successes first,
// then a router that refuses a line of the script.
void ssh_commands(Audit& audit) {
  SshCli cli;
  cli.env["VPNAAS_MASTER_KEY"] = kMasterKey;
  const fs::path dir = cli.dir.path();
  audit.add_psks_of(cli.inventory, kMasterKey, "ssh-inventory", dir);
  // A password in the environment is a secret even where a key logs in first
  // (tests/cli/ssh_password_test.cpp has the logins that use it).
  const std::string password = "8d41f6b07c2e95a3d1b7e04f6a92c8e5";
  cli.env["VPNAAS_SSH_PASSWORD"] = password;
  audit.secrets().add(password, "the SSH password");
  // Each sshd-backed run costs a fraction of a second: the slow ones (apply
  // to all routers, a refused connection) run in one format only.
  const auto run_one = [&](const std::string& label, const std::vector<std::string>& head,
                           const std::vector<std::string>& tail, int code) {
    audit.record(label, with(head, tail), cli.run(head, tail), code);
  };
  const auto run = [&](const std::string& label, const std::vector<std::string>& head,
                       const std::vector<std::string>& tail, int code) {
    run_one(label, head, tail, code);
    run_one(label + " (json)", with(head, kJson), tail, code);
  };
  const std::string backups = (dir / "backups").string();

  run("apply --dry-run", {"apply", "--via", "ssh", "--dry-run"}, {}, 0);
  run_one("apply", {"apply", "--via", "ssh", "--parallel", "4", "--backup-dir", backups}, {}, 0);
  run("device run", {"device", "run", "acme-bru-r1"}, {"--", "/system", "identity", "print"}, 0);
  run("device run refused", {"device", "run", "acme-bru-r1"}, {"--", "/foo"}, 1);
  run("device export", {"device", "export", "dc1-r2"}, {}, 0);
  run("device export unknown", {"device", "export", "dc1-r3"}, {}, 2);
  run("device reboot", {"device", "reboot", "dc1-r1", "--via", "ssh", "--yes"}, {}, 0);
  run("device reboot unconfirmed", {"device", "reboot", "dc1-r1", "--via", "ssh"}, {}, 2);
  run("device host-key", {"device", "host-key", "dc1-r2"}, {}, 0);
  run("device host-key unknown", {"device", "host-key", "dc1-r3"}, {}, 2);
  run("apply unknown customer", {"apply", "--via", "ssh", "--customer", "acmee"}, {}, 2);
  run_one("apply --device (json)",
          {"apply", "--via", "ssh", "--device", "dc1-r1", "--format", "json"}, {}, 0);
  {
    auto env = cli.env;
    env["VPNAAS_MASTER_KEY"] = kMasterKey.substr(0, 63);
    const std::vector<std::string> args{
        "apply", "--via", "ssh", "--inventory", cli.inventory.string(), "--dry-run"};
    audit.run("apply, master key of 63 hex digits", args, env, dir, 4);
    audit.run("apply, master key of 63 hex digits (json)", with(args, kJson), env, dir, 4);
  }

  // The script line a router rejects is quoted to the user: make it the line
  // that carries a pre-shared key, and one without.
  const fs::path out = dir / "out";
  REQUIRE(
      run_cli({"mesh", "generate", "--inventory", cli.inventory.string(), "--out", out.string()},
              cli.env, dir.string())
          .exit_code == 0);
  audit.add_psks_in_scripts(out, "ssh-inventory");
  const std::string script = read_file(out / "dc1/dc1-r2.rsc");
  std::smatch key;
  REQUIRE(std::regex_search(script, key, std::regex("[0-9a-f]{64}")));
  cli.router("dc1-r2").fail_import_at(key.str(), "expected end of command");
  run("apply, a router rejects a line with a key", {"apply", "--via", "ssh", "--device", "dc1-r2"},
      {}, 1);
  cli.router("dc1-r2").fail_import_at("/interface gre", "bad command name gre");
  run("apply, a router rejects a line", {"apply", "--via", "ssh", "--device", "dc1-r2"}, {}, 1);
  cli.routers[3].reset(); // acme-ant-r1's port is closed now
  run_one("apply, a router is unreachable", {"apply", "--via", "ssh", "--device", "acme-ant-r1"},
          {}, 1);
  cli.router("dc1-r1").replace_host_key();
  run("device export, host key changed", {"device", "export", "dc1-r1"}, {}, 1);
}

// `acs credentials` prints a CPE's derived passwords, by design and only
// when asked; never the master key or a pre-shared key.
void acs_commands(Audit& audit, const fs::path& dir) {
  const auto env = home_env(dir, kMasterKey);
  const std::vector<std::string> credentials{"acs", "credentials", "--serial"};
  audit.run("acs credentials", with(credentials, {"HCQ08A2VJ7P"}), env, dir, 0);
  audit.run("acs credentials (json)", with(credentials, {"HCQ08A2VJ7P", "--format", "json"}), env,
            dir, 0);
  audit.run("acs credentials, not a serial", with(credentials, {"a:b"}), env, dir, 2);
  audit.run("acs credentials, not a serial (json)", with(credentials, {"a:b", "--format", "json"}),
            env, dir, 2);
  // The management API's bearer token: the other secret printed only when asked.
  audit.run("acs credentials --management-token", {"acs", "credentials", "--management-token"}, env,
            dir, 0);
  audit.run("acs credentials --management-token (json)",
            {"acs", "credentials", "--management-token", "--format", "json"}, env, dir, 0);
  audit.run("acs credentials, neither --serial nor --management-token", {"acs", "credentials"}, env,
            dir, 2);
  audit.run(
      "acs credentials, --serial and --management-token",
      {"acs", "credentials", "--serial", "HCQ08A2VJ7P", "--management-token", "--format", "json"},
      env, dir, 2);
  audit.run("acs serve, --management-listen not ADDR:PORT",
            {"acs", "serve", "--listen", "127.0.0.1:0", "--management-listen", "nowhere", "--data",
             (dir / "acs").string()},
            env, dir, 2);
  audit.run("acs serve, not ADDR:PORT",
            {"acs", "serve", "--listen", "nowhere", "--data", (dir / "acs").string()}, env, dir, 2);

  // `device ...` through the ACS's management API; push-config carries a
  // device's whole script (with its keys) to the ACS and must print none of it.
  AcsServer acs;
  acs.answering = false;
  acs.inform("HEX0001", "acme-bru-r1");
  acs.inform("HC-PENDING-1");
  acs.inform("HC-PENDING-2");
  const fs::path inventory = dir / "acs-inventory";
  copy_tree(source_path("inventory"), inventory);
  audit.add_psks_of(inventory, kMasterKey, "acs-inventory", dir);
  const std::string inv = inventory.string();
  const std::string live = acs.socket();
  const std::string dead = (dir / "no-acs" / "acs.sock").string();
  const auto both = [&](const std::string& label, std::vector<std::string> args, int code) {
    audit.run(label, args, env, dir, code);
    audit.run(label + " (json)", with(args, {"--format", "json"}), env, dir, code);
  };
  const std::vector<std::vector<std::string>> leaves{
      {"device", "list"},
      {"device", "show", "acme-bru-r1"},
      {"device", "accept", "HC-PENDING-1", "--device", "acme-ant-r1", "--inventory", inv},
      {"device", "tasks", "acme-bru-r1"},
      {"device", "factory-reset", "acme-bru-r1", "--yes"},
      {"device", "upload", "acme-bru-r1"},
      {"device", "push-config", "acme-bru-r1", "--inventory", inv},
      {"device", "params", "get", "acme-bru-r1", "Device.DeviceInfo."},
      {"device", "params", "set", "acme-bru-r1", "Device.X=1"},
  };
  for (const auto& leaf : leaves) {
    const std::string name = fmt::format("{}", fmt::join(leaf, " "));
    both(name, with(leaf, {"--acs", live}), 0);
    both(name + ", no ACS running", with(leaf, {"--acs", dead}), 4);
  }
  // reject forgets the CPE: it calls in again before the second run.
  const std::vector<std::string> reject{"device", "reject", "HC-PENDING-2", "--acs", live};
  audit.run("device reject HC-PENDING-2", reject, env, dir, 0);
  acs.inform("HC-PENDING-2");
  audit.run("device reject HC-PENDING-2 (json)", with(reject, {"--format", "json"}), env, dir, 0);
  both("device reject HC-PENDING-2, forgotten already", reject, 2);
  both("device reject HC-PENDING-2, no ACS running",
       {"device", "reject", "HC-PENDING-2", "--acs", dead}, 4);
  both("device reboot --via cwmp",
       {"device", "reboot", "acme-bru-r1", "--via", "cwmp", "--yes", "--acs", live, "--inventory",
        inv},
       0);
  both("device reboot --via cwmp, wait runs out",
       {"device", "reboot", "acme-bru-r1", "--via", "cwmp", "--yes", "--acs", live, "--inventory",
        inv, "--wait", "1"},
       5);
  // apply --via cwmp queues every selected router's whole script on the ACS.
  const std::vector<std::string> apply{"apply",       "--via",       "cwmp", "--device",
                                       "acme-bru-r1", "--inventory", inv};
  both("apply --via cwmp", with(apply, {"--acs", live}), 0);
  both("apply --via cwmp, wait runs out", with(apply, {"--acs", live, "--wait", "1"}), 5);
  both("apply --via cwmp, no ACS running", with(apply, {"--acs", dead}), 4);
  const auto device_run = [&](const std::string& label, const std::vector<std::string>& options,
                              int code) {
    std::vector<std::string> head{"device",      "run", "acme-bru-r1", "--via", "cwmp",
                                  "--inventory", inv};
    head.insert(head.end(), options.begin(), options.end());
    const std::vector<std::string> tail{"--", "/system", "identity", "print"};
    audit.run(label, with(head, tail), env, dir, code);
    audit.run(label + " (json)", with(with(head, {"--format", "json"}), tail), env, dir, code);
  };
  device_run("device run --via cwmp", {"--acs", live}, 0);
  device_run("device run --via cwmp, no ACS running", {"--acs", dead}, 4);
  both("device export --via cwmp",
       {"device", "export", "acme-bru-r1", "--via", "cwmp", "--acs", live, "--inventory", inv}, 0);
  both("device export --via cwmp, wait runs out",
       {"device", "export", "acme-bru-r1", "--via", "cwmp", "--acs", live, "--inventory", inv,
        "--wait", "1"},
       5);
}

// Every leaf command given an option it does not have, and a bad --format.
void usage_errors(Audit& audit, const fs::path& dir) {
  const auto env = home_env(dir, kMasterKey);
  for (const auto& leaf : audit.leaves()) {
    const std::string name = fmt::format("{}", fmt::join(leaf, " "));
    audit.run("usage: bad option of " + name, with(leaf, {"--no-such-option"}), env, dir, 2);
    audit.run("usage: bad option of " + name + " (json)",
              with(leaf, {"--format", "json", "--no-such-option"}), env, dir, 2);
  }
  audit.run("usage: bad format", {"mesh", "generate", "--format", "xml"}, env, dir, 2);
  audit.run("usage: no subcommand", {}, env, dir, 2);
  audit.run("usage: unknown subcommand", {"mesh", "render"}, env, dir, 2);
}

} // namespace

TEST_CASE("secret audit: inventory and mesh commands on small7") {
  Audit audit(Audit::named_leaves());
  TempDir dir;
  inventory_and_mesh_commands(audit, dir.path());

  // The grep finds what it looks for: show --show-secrets prints the keys.
  const RunResult shown = run_cli(
      {"inventory", "show", "--inventory", (dir.path() / "inventory").string(), "--show-secrets"},
      home_env(dir.path(), kMasterKey), dir.path().string());
  REQUIRE(shown.exit_code == 0);
  CHECK(audit.secrets().find_in(shown.out).has_value());
  CHECK(audit.secrets().find_in("key=" + upper(kMasterKey.substr(10, 17)) + ".").has_value());
  CHECK_FALSE(audit.secrets().find_in("sha256:" + kMasterKey.substr(0, 8)).has_value());
  audit.finish("inventory and mesh");
}

TEST_CASE("secret audit: acs credentials prints only the CPE's own logins") {
  Audit audit(Audit::named_leaves());
  TempDir dir;
  acs_commands(audit, dir.path());
  audit.finish("acs");
}

TEST_CASE("secret audit: invalid inventories and unknown names") {
  Audit audit(Audit::named_leaves());
  TempDir dir;
  invalid_input_commands(audit, dir.path());
  audit.finish("invalid input");
}

TEST_CASE("secret audit: malformed master keys and key generate") {
  Audit audit(Audit::named_leaves());
  TempDir dir;
  master_key_commands(audit, dir.path());
  audit.finish("master key");
}

TEST_CASE("secret audit: plan and --rev in a git repository of the bundled inventory") {
  Audit audit(Audit::named_leaves());
  git_commands(audit);
  audit.finish("git");
}

TEST_CASE("secret audit: apply and device against fake routers") {
  Audit audit(Audit::named_leaves());
  ssh_commands(audit);
  audit.finish("ssh");
}

TEST_CASE("secret audit: every command in --help has success and failure runs in text and JSON") {
  Audit audit = Audit::of_help();
  TempDir dir;
  // Usage errors run beside an inventory, as a user's would.
  copy_tree(data_path("render/small7"), dir.path() / "inventory");
  audit.add_psks_of(dir.path() / "inventory", kMasterKey, "small7", dir.path());
  usage_errors(audit, dir.path());

  // The other cases run what kSuccessRuns names: it must name exactly the
  // leaves of the tree, and this case's usage errors are every leaf's failures.
  const auto named = Audit::named_leaves();
  const auto seen = audit.seen();
  for (const auto& leaf : audit.leaves()) {
    const std::string name = fmt::format("{}", fmt::join(leaf, " "));
    CHECK_MESSAGE((named.count(leaf) == 1 || kSucceedsElsewhere.count(name) == 1),
                  fmt::format("`vpnaas {}` was never run successfully: a new command needs its "
                              "invocations in this test, in text and JSON, named in kSuccessRuns",
                              name));
    for (const char* kind : {"failure text", "failure json"}) {
      const auto found = seen.find(leaf);
      CHECK_MESSAGE((found != seen.end() && found->second.count(kind) == 1),
                    fmt::format("`vpnaas {}` was never run for `{}`", name, kind));
    }
  }
  for (const auto& leaf : named) {
    CHECK_MESSAGE(audit.leaves().count(leaf) == 1,
                  fmt::format("kSuccessRuns names `vpnaas {}`, which --help does not list",
                              fmt::join(leaf, " ")));
  }
  audit.grep();
}
