#include <vpnaas/secrets/master_key.hpp>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "options.hpp"

namespace vpnaas::cli {
namespace {

namespace fs = std::filesystem;

// Option values outlive set_key_command: CLI11 runs the callbacks later.
struct KeyOptions {
  std::string key_file;
  bool force = false;
  std::string format = "text";
  InventoryOptions inventory; // whose key: the bundled inventory has a key of its own
};

constexpr const char* kKeyFileHelp =
    "Key file to use instead of the default $XDG_CONFIG_HOME/vpnaas/master.key "
    "(~/.config/vpnaas/master.key when XDG_CONFIG_HOME is unset; bundled-inventory.key "
    "instead of master.key for the bundled inventory)";

// The key source the inventory commands would use (workspace's one answer).
secrets::KeySource key_source(const KeyOptions& options) {
  return key_source_for(inventory_path(options.inventory),
                        options.key_file.empty() ? std::nullopt
                                                 : std::optional<std::string>(options.key_file));
}

fs::path chosen_key_file(const KeyOptions& options) {
  auto source = key_source(options);
  return source.key_file ? *source.key_file : source.default_key_file;
}

int run_generate(const KeyOptions& options) {
  fs::path path = chosen_key_file(options);
  if (Status written = secrets::generate_key_file(path, options.force); !written) {
    return fail(written.error(), false);
  }
  // A key the commands will not read is worth saying so.
  const bool overridden =
      options.key_file.empty() &&
      secrets::locate_master_key(key_source(options)).origin == secrets::KeyOrigin::environment;
  if (options.format == "json") {
    print_json(nlohmann::json{{"path", path.string()}, {"mode", "0600"}, {"used", !overridden}});
  } else {
    fmt::print("Wrote a new master key to {} (mode 0600).\n"
               "Every pre-shared key is derived from it: keep a backup outside the repository.\n",
               path.string());
    if (overridden) {
      fmt::print(stderr,
                 "vpnaas: note: {} is set, so commands use it and not this file; unset it to use "
                 "the file\n",
                 secrets::kMasterKeyEnv);
    }
  }
  return kExitOk;
}

const char* source_name(secrets::KeyOrigin origin) {
  switch (origin) {
  case secrets::KeyOrigin::key_file:
    return "key-file";
  case secrets::KeyOrigin::environment:
    return "environment";
  case secrets::KeyOrigin::default_file:
    return "default-file";
  }
  return "default-file";
}

std::string describe(const secrets::KeyLocation& location) {
  using secrets::KeyOrigin;
  if (location.origin == KeyOrigin::environment) {
    return fmt::format("environment variable {} (set; no key file is used)",
                       secrets::kMasterKeyEnv);
  }
  std::string kind = location.origin == KeyOrigin::key_file ? "--key-file" : "default key file";
  if (location.exists) {
    return fmt::format("{} ({}, exists)", location.path.string(), kind);
  }
  std::string create =
      location.origin == KeyOrigin::key_file
          ? fmt::format("vpnaas key generate --key-file {}", location.path.string())
          : std::string("vpnaas key generate");
  return fmt::format("{} ({}, does not exist; create it with `{}`)", location.path.string(), kind,
                     create);
}

int run_path(const KeyOptions& options) {
  secrets::KeyLocation location = secrets::locate_master_key(key_source(options));
  if (location.origin == secrets::KeyOrigin::default_file && location.path.empty()) {
    return fail(make_error(ErrorCode::missing_secret,
                           "there is no default key file: neither XDG_CONFIG_HOME nor HOME "
                           "is set",
                           "pass --key-file PATH or set VPNAAS_MASTER_KEY"),
                false);
  }
  if (options.format == "json") {
    nlohmann::json document{{"source", source_name(location.origin)}, {"exists", location.exists}};
    document["path"] =
        location.path.empty() ? nlohmann::json() : nlohmann::json(location.path.string());
    print_json(document);
  } else {
    fmt::print("{}\n", describe(location));
  }
  return kExitOk;
}

} // namespace

void set_key_command(CLI::App& app, Context& context) {
  CLI::App* key = app.add_subcommand(
      "key", "Manage the master key every tunnel's pre-shared key is derived from");
  key->require_subcommand(1);

  auto generate_options = std::make_shared<KeyOptions>();
  CLI::App* generate = key->add_subcommand(
      "generate", "Write a new random master key to a file with mode 0600; the key is never "
                  "printed");
  generate->add_option("--key-file", generate_options->key_file, kKeyFileHelp);
  add_inventory_folder_option(generate, generate_options->inventory);
  generate->add_flag("--force", generate_options->force,
                     "Replace an existing key file (every pre-shared key then changes)");
  add_format_option(generate, generate_options->format);
  generate->callback(
      [generate_options, &context] { context.exit_code = run_generate(*generate_options); });

  auto path_options = std::make_shared<KeyOptions>();
  CLI::App* path = key->add_subcommand(
      "path", "Show where the master key would be read from and whether that file exists");
  path->add_option("--key-file", path_options->key_file, kKeyFileHelp);
  add_inventory_folder_option(path, path_options->inventory);
  add_format_option(path, path_options->format);
  path->callback([path_options, &context] { context.exit_code = run_path(*path_options); });
}

} // namespace vpnaas::cli
