#include "cmd_device.hpp"
#include "commands.hpp"
#include "option_flags.hpp"

namespace vpnaas::cli {
namespace {

CLI::App* add_device_subcommand(CLI::App* group, const std::string& name, const std::string& help,
                                DeviceCliOptions& options) {
  CLI::App* cmd = group->add_subcommand(name, help);
  add_inventory_options(cmd, options.inventory);
  add_ssh_options(cmd, options.ssh);
  cmd->add_option("name", options.name, "Device name from the inventory")->required();
  return cmd;
}

} // namespace

void set_device_command(CLI::App& app, Context& context) {
  CLI::App* group = app.add_subcommand("device", "Ad-hoc commands on one router over SSH");
  group->require_subcommand(1);

  auto run = std::make_shared<DeviceCliOptions>();
  CLI::App* run_cmd = add_device_subcommand(
      group, "run", "Run a RouterOS command: device run NAME -- COMMAND", *run);
  run_cmd->add_option("command", run->command, "The RouterOS command, after --")->required();
  run_cmd->callback([&context, run] { context.exit_code = run_command(*run); });

  auto exp = std::make_shared<DeviceCliOptions>();
  add_device_subcommand(group, "export", "Print the router's configuration (/export)", *exp)
      ->callback([&context, exp] { context.exit_code = run_export(*exp); });

  auto reboot = std::make_shared<DeviceCliOptions>();
  CLI::App* reboot_cmd = add_device_subcommand(
      group, "reboot", "Reboot the router (asks first unless --yes)", *reboot);
  reboot_cmd->add_option("--via", reboot->via, "How to reach the router")
      ->check(CLI::IsMember({"ssh"}))
      ->required();
  reboot_cmd->add_flag("--yes,-y", reboot->yes, "Do not ask for confirmation");
  reboot_cmd->callback([&context, reboot] { context.exit_code = run_reboot(*reboot); });
}

} // namespace vpnaas::cli
