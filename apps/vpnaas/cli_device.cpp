#include <fmt/format.h>

#include <functional>
#include <memory>

#include "cmd_device.hpp"
#include "cmd_device_acs.hpp"
#include "commands.hpp"
#include "option_flags.hpp"

namespace vpnaas::cli {
namespace {

CLI::App* add_device_subcommand(CLI::App* group, const std::string& name, const std::string& help,
                                DeviceCliOptions& options, bool cwmp = false) {
  CLI::App* cmd = group->add_subcommand(name, help);
  add_inventory_options(cmd, options.inventory);
  add_ssh_options(cmd, options.ssh);
  cmd->add_option("name", options.name, "Device name from the inventory")->required();
  cmd->add_option("--via", options.via, "How to reach the router")
      ->check(cwmp ? CLI::IsMember({"ssh", "cwmp"}) : CLI::IsMember({"ssh"}))
      ->default_str("ssh");
  return cmd;
}

constexpr const char* kAcsExitCodes =
    "0 done (with --wait) or queued, 1 the CPE answered a fault or the task expired, 2 usage or "
    "unknown device or serial, 4 the ACS cannot be reached or an I/O error, 5 --wait ran out "
    "(the task stays queued) or the prompt was answered no";

void add_acs_option(CLI::App* cmd, AcsDeviceOptions& options) {
  add_acs_endpoint_option(cmd, options.acs);
}

// --wait [SECONDS]: a bare --wait waits the default time. `options` is kept
// alive by the command's callback.
void add_wait_option(CLI::App* cmd, const std::shared_ptr<AcsDeviceOptions>& options) {
  add_acs_wait_option(cmd, options->wait, kDefaultAcsWait,
                      "for the CPE's answer: exit 0 done, 1 fault, 5 timed out (the task stays "
                      "queued)");
}

// --via with the inventory's default, --acs and --wait, for an SSH command
// that can also go through the ACS.
void add_via_cwmp_options(CLI::App* cmd, DeviceCliOptions& options, const char* via_help) {
  cmd->get_option("--via")->description(via_help)->default_str("");
  options.via.clear();
  options.acs = std::make_shared<AcsDeviceOptions>();
  add_acs_option(cmd, *options.acs);
  add_wait_option(cmd, options.acs);
}

// A leaf of `device` that talks to the ACS about one device or serial.
std::shared_ptr<AcsDeviceOptions>
add_acs_subcommand(CLI::App* group, Context& context, const std::string& name,
                   const std::string& help, const std::string& what,
                   std::function<int(const AcsDeviceOptions&)> run,
                   std::initializer_list<const char*> examples, CLI::App** made = nullptr) {
  auto options = std::make_shared<AcsDeviceOptions>();
  CLI::App* cmd = group->add_subcommand(name, help);
  if (!what.empty()) {
    cmd->add_option("target", options->target, what)->required();
  }
  add_acs_option(cmd, *options);
  add_format_option(cmd, options->inventory.format);
  add_help_footer(cmd, kAcsExitCodes, examples);
  cmd->callback([&context, options, run] { context.exit_code = run(*options); });
  if (made != nullptr) {
    *made = cmd;
  }
  return options;
}

void add_acs_subcommands(CLI::App* group, Context& context) {
  add_acs_subcommand(group, context, "list",
                     "List the CPEs that called in to the ACS: serial, bound device, pending / "
                     "accepted, last Inform",
                     "", run_acs_list,
                     {"vpnaas device list", "vpnaas device list --acs /var/lib/vpnaas/acs"});
  add_acs_subcommand(
      group, context, "show", "Show one CPE as the ACS knows it, with the parameters last read",
      "Device name or serial number", run_acs_show,
      {"vpnaas device show acme-bru-r1", "vpnaas device show HCQ08A2VJ7P --format json"});

  CLI::App* accept_cmd = nullptr;
  auto accept = add_acs_subcommand(
      group, context, "accept",
      "Bind a pending CPE to an inventory device; prints the `serial:` line to add to the "
      "inventory. Again on an accepted CPE: its failed connection-request login is retried",
      "The pending CPE's serial number", run_acs_accept,
      {"vpnaas device accept HCQ08A2VJ7P --device acme-bru-r1"}, &accept_cmd);
  accept_cmd->add_option("--device", accept->device, "The inventory device it is")->required();
  add_inventory_folder_option(accept_cmd, accept->inventory);

  add_acs_subcommand(
      group, context, "reject",
      "Forget a CPE: its record, tasks and uploads; if it calls in again it is pending, like a "
      "new one. A serial the inventory binds (`serial:`) is refused: remove it there first",
      "The CPE's serial number", run_acs_reject, {"vpnaas device reject HCQ08A2VJ7P"});
  add_acs_subcommand(
      group, context, "tasks", "List a device's ACS tasks, oldest first",
      "Device name or serial number", run_acs_tasks,
      {"vpnaas device tasks acme-bru-r1", "vpnaas device tasks acme-bru-r1 --format json"});

  CLI::App* reset_cmd = nullptr;
  auto reset = add_acs_subcommand(
      group, context, "factory-reset",
      "Queue a FactoryReset on the ACS (asks first unless --yes): the router loses its "
      "configuration",
      "Device name or serial number",
      [](const AcsDeviceOptions& o) { return run_acs_task(o, "factory-reset"); },
      {"vpnaas device factory-reset acme-bru-r1 --yes --wait 300"}, &reset_cmd);
  reset_cmd->add_flag("--yes,-y", reset->yes, "Do not ask for confirmation");
  add_wait_option(reset_cmd, reset);

  CLI::App* upload_cmd = nullptr;
  auto upload = add_acs_subcommand(
      group, context, "upload",
      "Queue an Upload of the router's configuration (/export) to the ACS, which keeps it",
      "Device name or serial number",
      [](const AcsDeviceOptions& o) { return run_acs_task(o, "upload"); },
      {"vpnaas device upload acme-bru-r1 --wait 120"}, &upload_cmd);
  add_wait_option(upload_cmd, upload);

  CLI::App* push_cmd = nullptr;
  auto push = add_acs_subcommand(
      group, context, "push-config",
      "Render the device's script from the inventory (as `mesh generate` does) and queue it as "
      "a Download of a .alter file, which RouterOS runs on its live configuration",
      "Device name from the inventory",
      [](const AcsDeviceOptions& o) { return run_acs_task(o, "push-config"); },
      {"vpnaas device push-config acme-bru-r1 --wait 300"}, &push_cmd);
  add_inventory_folder_option(push_cmd, push->inventory);
  add_key_file_option(push_cmd, push->key_file);
  add_wait_option(push_cmd, push);

  CLI::App* params = group->add_subcommand("params", "Read or set a device's CWMP parameters");
  params->require_subcommand(1);
  CLI::App* get_cmd = nullptr;
  auto get = add_acs_subcommand(
      params, context, "get", "Queue a GetParameterValues; with --wait, print the values",
      "Device name or serial number",
      [](const AcsDeviceOptions& o) { return run_acs_task(o, "get-params"); },
      {"vpnaas device params get acme-bru-r1 Device.DeviceInfo. --wait 60"}, &get_cmd);
  get_cmd->add_option("paths", get->paths, "Parameter paths (a path ending in '.' reads a subtree)")
      ->required();
  add_wait_option(get_cmd, get);
  CLI::App* set_cmd = nullptr;
  auto set = add_acs_subcommand(
      params, context, "set", "Queue a SetParameterValues of PATH=VALUE pairs (values as strings)",
      "Device name or serial number",
      [](const AcsDeviceOptions& o) { return run_acs_task(o, "set-params"); },
      {"vpnaas device params set acme-bru-r1 Device.ManagementServer.PeriodicInformInterval=300"},
      &set_cmd);
  set_cmd->add_option("assignments", set->paths, "PATH=VALUE pairs")->required();
  add_wait_option(set_cmd, set);
}

} // namespace

void set_device_command(CLI::App& app, Context& context) {
  CLI::App* group = app.add_subcommand(
      "device", "Ad-hoc commands on one router, over SSH or through the ACS (CWMP)");
  group->require_subcommand(1);

  auto run = std::make_shared<DeviceCliOptions>();
  CLI::App* run_cmd = add_device_subcommand(
      group, "run",
      "Run a RouterOS command: device run NAME -- COMMAND. Over CWMP the command goes as a "
      ".alter script the router runs: CWMP gives no command output, only whether the router "
      "reported the script's transfer complete without a fault",
      *run, true);
  add_via_cwmp_options(run_cmd, *run,
                       "ssh, or cwmp to queue the command on the ACS as a one-line .alter "
                       "Download (no output comes back); default: the device's `management:` in "
                       "the inventory, else ssh");
  run_cmd->add_option("command", run->command, "The RouterOS command, after --")->required();
  add_help_footer(run_cmd,
                  "0 the router ran it, 1 the router refused it (RouterOS error text) or the "
                  "connection failed, 2 usage or unknown device, 4 an I/O error; --via cwmp: 0 "
                  "queued, or with --wait the CPE reported the transfer complete, 1 fault, 5 "
                  "--wait ran out",
                  {"vpnaas device run acme-bru-r1 -- /ip address print",
                   "vpnaas device run dc1-r1 --format json -- /system resource print",
                   "vpnaas device run acme-ant-r1 --via cwmp --wait 120 -- /system identity set "
                   "name=acme-ant-r1"});
  run_cmd->callback([&context, run] { context.exit_code = run_command(*run); });

  auto exp = std::make_shared<DeviceCliOptions>();
  CLI::App* export_cmd = add_device_subcommand(
      group, "export",
      "Print the router's configuration (/export); over CWMP an Upload to the ACS, printed "
      "with --wait",
      *exp, true);
  add_via_cwmp_options(export_cmd, *exp,
                       "ssh, or cwmp to queue an Upload of the configuration on the ACS (with "
                       "--wait, printed once uploaded); default: the device's `management:` in "
                       "the inventory, else ssh");
  add_help_footer(export_cmd,
                  "0 printed, 1 the router refused or the connection failed, 2 usage or unknown "
                  "device, 4 an I/O error; --via cwmp: 0 queued, or with --wait uploaded and "
                  "printed, 1 fault, 5 --wait ran out",
                  {"vpnaas device export acme-bru-r1 > acme-bru-r1.rsc",
                   "vpnaas device export acme-ant-r1 --via cwmp --wait 120 > acme-ant-r1.rsc"});
  export_cmd->callback([&context, exp] { context.exit_code = run_export(*exp); });

  auto reboot = std::make_shared<DeviceCliOptions>();
  CLI::App* reboot_cmd = add_device_subcommand(
      group, "reboot", "Reboot the router (asks first unless --yes)", *reboot, true);
  add_via_cwmp_options(reboot_cmd, *reboot,
                       "ssh, or cwmp to queue a Reboot on the ACS; default: the device's "
                       "`management:` in the inventory, else ssh");
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
                  "or environment error, 5 the prompt was answered no (nothing was done); "
                  "--via cwmp: as the ACS commands (0 queued or done, 1 fault, 5 --wait ran out)",
                  {"vpnaas device reboot acme-bru-r1",
                   "vpnaas device reboot acme-bru-r1 --yes --wait-up 300 --format json",
                   "vpnaas device reboot acme-bru-r1 --via cwmp --yes --wait 120"});
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

  add_acs_subcommands(group, context);
}

} // namespace vpnaas::cli
