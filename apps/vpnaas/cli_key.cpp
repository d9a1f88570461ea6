#include "cmd_key.hpp"
#include "commands.hpp"
#include "option_flags.hpp"

namespace vpnaas::cli {
namespace {

constexpr const char* kKeyFileHelp =
    "Key file to use instead of the default $XDG_CONFIG_HOME/vpnaas/master.key "
    "(~/.config/vpnaas/master.key when XDG_CONFIG_HOME is unset; bundled-inventory.key "
    "instead of master.key for the bundled inventory)";

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
  add_help_footer(generate,
                  "0 written, 2 usage, 4 the file exists (without --force) or cannot be written",
                  {"vpnaas key generate", "vpnaas key generate --key-file /secure/vpnaas.key"});
  generate->callback(
      [generate_options, &context] { context.exit_code = run_generate(*generate_options); });

  auto path_options = std::make_shared<KeyOptions>();
  CLI::App* path = key->add_subcommand(
      "path", "Show where the master key would be read from and whether that file exists");
  path->add_option("--key-file", path_options->key_file, kKeyFileHelp);
  add_inventory_folder_option(path, path_options->inventory);
  add_format_option(path, path_options->format);
  add_help_footer(path,
                  "0 shown, 2 usage, 4 no default location (neither HOME nor "
                  "XDG_CONFIG_HOME set)",
                  {"vpnaas key path", "vpnaas key path -i examples/two-datacenters --format json"});
  path->callback([path_options, &context] { context.exit_code = run_path(*path_options); });
}

} // namespace vpnaas::cli
