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
  reboot_cmd
      ->add_option("--wait-up", reboot->wait_up,
                   "Wait up to SECONDS for the router to come back (reconnect, same host "
                   "key checks, uptime shorter than the wait); exit 1 if it does not")
      ->check(CLI::PositiveNumber);
  add_help_footer(reboot_cmd,
                  "0 the reboot was sent (outcome sent-unconfirmed) or, with --wait-up, the "
                  "router came back (confirmed), 1 the router refused, the connection failed, or "
                  "with --wait-up it was not back in time, 2 usage or unknown device, 4 an I/O "
                  "or environment error, 5 the prompt was answered no (nothing was done)",
                  {"vpnaas device reboot acme-bru-r1",
                   "vpnaas device reboot acme-bru-r1 --yes --wait-up 300 --format json"});
  reboot_cmd->callback([&context, reboot] { context.exit_code = run_reboot(*reboot); });

  auto host_key = std::make_shared<DeviceCliOptions>();
  CLI::App* host_key_cmd = add_device_subcommand(
      group, "host-key",
      "Print the router's SSH host key fingerprint for pinning (trusts and writes nothing)",
      *host_key);
  add_help_footer(
      host_key_cmd,
      "0 printed, 1 the connection or key exchange failed, 2 usage or unknown "
      "device, 4 an I/O error",
      {"vpnaas device host-key acme-bru-r1", "vpnaas device host-key dc1-r1 --format json"});
  host_key_cmd->callback([&context, host_key] { context.exit_code = run_host_key(*host_key); });
}

} // namespace vpnaas::cli
