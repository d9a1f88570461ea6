#include "cmd_mesh.hpp"
#include "commands.hpp"
#include "option_flags.hpp"

namespace vpnaas::cli {

void set_mesh_command(CLI::App& app, Context& context) {
  CLI::App* group = app.add_subcommand("mesh", "Render and check the RouterOS scripts");
  group->require_subcommand(1);

  auto gen = std::make_shared<GenerateCliOptions>();
  CLI::App* generate = group->add_subcommand(
      "generate", "Write one converging RouterOS script per router to <out>/<group>/<device>.rsc");
  add_inventory_options(generate, gen->inventory);
  add_lock_options(generate, gen->inventory,
                   "Render and count, but write neither the scripts nor vpnaas.lock");
  generate->add_option("--out,-o", gen->out, "Output folder (replaced as a whole)")
      ->default_str("out");
  generate->add_option("--customer", gen->customers,
                       "Only this customer's routers and its cluster's (repeatable)");
  generate->add_option("--device", gen->devices,
                       "Only this device (repeatable); with --customer, only the devices named "
                       "here among that customer's routers");
  add_key_file_option(generate, gen->key_file);
  add_help_footer(generate,
                  "0 written, 1 invalid inventory, 2 usage or unknown customer or device, 3 "
                  "--locked and vpnaas.lock would change, 4 no usable master key or an I/O error",
                  {"vpnaas mesh generate --out out",
                   "vpnaas mesh generate --customer acme --dry-run --format json"});
  generate->callback([&context, gen] { context.exit_code = run_generate(*gen); });

  auto chk = std::make_shared<CheckCliOptions>();
  CLI::App* check = group->add_subcommand(
      "check", "Import every script of a generated set twice in the strict RouterOS simulator, "
               "on the release its header says it needs (the second import must change "
               "nothing), then verify that both ends of every tunnel agree");
  check->add_option("--out,-o", chk->out, "Folder written by mesh generate")->default_str("out");
  add_format_option(check, chk->format);
  add_help_footer(check, "0 consistent, 1 problems, 2 usage, 4 unreadable folder or file",
                  {"vpnaas mesh check --out out", "vpnaas mesh check --out out --format json"});
  check->callback([&context, chk] { context.exit_code = run_check(*chk); });
}

} // namespace vpnaas::cli
