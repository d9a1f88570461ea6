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
  cmd->add_option("--via", options.via, "How to reach the router")
      ->check(CLI::IsMember({"ssh"}))
      ->default_str("ssh");
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
  add_help_footer(run_cmd,
                  "0 the router ran it, 1 the router refused it (RouterOS error text) or the "
                  "connection failed, 2 usage or unknown device, 4 an I/O error",
                  {"vpnaas device run acme-bru-r1 -- /ip address print",
                   "vpnaas device run dc1-r1 --format json -- /system resource print"});
  run_cmd->callback([&context, run] { context.exit_code = run_command(*run); });

  auto exp = std::make_shared<DeviceCliOptions>();
  CLI::App* export_cmd =
      add_device_subcommand(group, "export", "Print the router's configuration (/export)", *exp);
  add_help_footer(export_cmd,
                  "0 printed, 1 the router refused or the connection failed, 2 usage or unknown "
                  "device, 4 an I/O error",
                  {"vpnaas device export acme-bru-r1 > acme-bru-r1.rsc"});
  export_cmd->callback([&context, exp] { context.exit_code = run_export(*exp); });

  auto reboot = std::make_shared<DeviceCliOptions>();
  CLI::App* reboot_cmd = add_device_subcommand(
      group, "reboot", "Reboot the router (asks first unless --yes)", *reboot);
  reboot_cmd->add_flag("--yes,-y", reboot->yes, "Do not ask for confirmation");
  add_help_footer(reboot_cmd,
                  "0 the reboot was sent, 1 the router refused or the connection failed, 2 usage "
                  "or unknown device, 5 the prompt was answered no (nothing was done)",
                  {"vpnaas device reboot acme-bru-r1", "vpnaas device reboot acme-bru-r1 --yes"});
  reboot_cmd->callback([&context, reboot] { context.exit_code = run_reboot(*reboot); });
}

} // namespace vpnaas::cli
