#include "cmd_device.hpp"

#include <vpnaas/apply/targets.hpp>
#include <vpnaas/core/suggest.hpp>
#include <vpnaas/device/routeros.hpp>
#include <vpnaas/transport/ssh/session.hpp>

#include <fmt/format.h>

#include <iostream>
#include <unistd.h>

#include "exit_codes.hpp"
#include "options.hpp"
#include "ssh_options.hpp"

namespace vpnaas::cli {
namespace {

// The named device's SSH target. Ad-hoc commands work on a device even when
// another part of the inventory is invalid, and never write the lock.
Result<inventory::SshTarget> lookup(const DeviceCliOptions& options) {
  InventoryOptions read_only = options.inventory;
  read_only.dry_run = true;
  read_only.allow_mass_removal = true; // nothing is rendered: the lock's state does not matter
  OpenedWorkspace opened = open_inventory(read_only);
  if (opened.error) {
    return *opened.error;
  }
  const inventory::Inventory& inv = opened.workspace->inventory;
  if (const auto* device = apply::find_device(inv, options.name)) {
    return apply::ssh_target(*device);
  }
  std::vector<std::string> names;
  for (const auto& cluster : inv.clusters) {
    for (const auto& device : cluster.devices) {
      names.push_back(device.name.value);
    }
  }
  for (const auto& customer : inv.customers) {
    for (const auto& site : customer.sites) {
      names.push_back(site.device.name.value);
    }
  }
  const auto close = closest_match(options.name, names);
  return make_error(
      ErrorCode::unknown_name,
      fmt::format("no device named \"{}\" in {}", options.name, inventory_label(opened)),
      close ? fmt::format("did you mean \"{}\"?", *close)
            : "`vpnaas inventory show` lists the devices");
}

Result<transport::ssh::Session> connect(const DeviceCliOptions& options) {
  auto target = lookup(options);
  if (!target) {
    return target.error();
  }
  return transport::ssh::Session::open(*target, to_ssh_options(options.ssh));
}

// A reboot cuts every tunnel of the router: on a terminal the user confirms
// it; without a terminal only --yes can.
bool confirmed(const DeviceCliOptions& options) {
  if (options.yes) {
    return true;
  }
  fmt::print(stderr, "Reboot {}? Its tunnels go down until it is back. [y/N] ", options.name);
  std::fflush(stderr);
  std::string answer;
  std::getline(std::cin, answer);
  return answer == "y" || answer == "Y" || answer == "yes";
}

} // namespace

int run_command(const DeviceCliOptions& options) {
  const bool json = options.inventory.json();
  std::string command;
  for (const auto& word : options.command) {
    command += (command.empty() ? "" : " ") + word;
  }
  auto session = connect(options);
  if (!session) {
    return fail(session.error(), json);
  }
  auto output = device::RouterOs(*session).run(command);
  if (!output) {
    return fail(output.error(), json);
  }
  // RouterOS answers every command with exit status 0; its words say whether
  // the command worked.
  auto refused = device::find_error_line(output->out + "\n" + output->err);
  bool ok = !refused && output->exit_status <= 0;
  if (json) {
    nlohmann::json doc{{"ok", ok},
                       {"device", options.name},
                       {"command", command},
                       {"exit_status", output->exit_status},
                       {"stdout", output->out},
                       {"stderr", output->err}};
    if (refused) {
      doc["error"] = *refused;
    }
    print_json(doc);
  } else {
    fmt::print("{}", output->out);
    fmt::print(stderr, "{}", output->err);
    if (refused) {
      fmt::print(stderr, "vpnaas: {} refused the command: {}\n", options.name, *refused);
    }
  }
  return ok ? kExitOk : kExitInvalid;
}

int run_export(const DeviceCliOptions& options) {
  const bool json = options.inventory.json();
  auto session = connect(options);
  if (!session) {
    return fail(session.error(), json);
  }
  auto exported = device::RouterOs(*session).export_config();
  if (!exported) {
    return fail(exported.error(), json);
  }
  if (json) {
    print_json({{"ok", true}, {"device", options.name}, {"export", *exported}});
  } else {
    fmt::print("{}", *exported);
  }
  return kExitOk;
}

int run_reboot(const DeviceCliOptions& options) {
  const bool json = options.inventory.json();
  if (!options.yes && isatty(STDIN_FILENO) == 0) {
    fail(make_error(ErrorCode::invalid_input,
                    fmt::format("refusing to reboot {} without confirmation: standard input is "
                                "not a terminal",
                                options.name),
                    "pass --yes to reboot without asking"),
         json);
    return kExitUsage;
  }
  auto target = lookup(options);
  if (!target) {
    return fail(target.error(), json);
  }
  if (!confirmed(options)) {
    if (json) {
      print_json({{"ok", false},
                  {"device", options.name},
                  {"rebooting", false},
                  {"error", "declined at the confirmation prompt"}});
    }
    fmt::print(stderr, "not rebooted\n");
    return kExitDeclined;
  }
  auto session = transport::ssh::Session::open(*target, to_ssh_options(options.ssh));
  if (!session) {
    return fail(session.error(), json);
  }
  if (auto rebooted = device::RouterOs(*session).reboot(); !rebooted) {
    return fail(rebooted.error(), json);
  }
  if (json) {
    print_json({{"ok", true}, {"device", options.name}, {"rebooting", true}});
  } else {
    fmt::print("{} is rebooting\n", options.name);
  }
  return kExitOk;
}

} // namespace vpnaas::cli
