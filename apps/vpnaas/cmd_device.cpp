#include "cmd_device.hpp"

#include <vpnaas/apply/targets.hpp>
#include <vpnaas/device/reboot.hpp>
#include <vpnaas/device/routeros.hpp>
#include <vpnaas/inventory/device_registry.hpp>
#include <vpnaas/transport/ssh/session.hpp>

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <iostream>
#include <unistd.h>

#include "exit_codes.hpp"
#include "options.hpp"
#include "ssh_options.hpp"

namespace vpnaas::cli {
namespace {

// How to reach the device and what to trust: its ssh: block (with any
// host-key pin) and the inventory's known_hosts.
struct DeviceTarget {
  transport::ssh::Endpoint target;
  transport::ssh::SshOptions ssh;
};

// The named device's SSH target. Ad-hoc commands work on a device even when
// another part of the inventory is invalid, and never write the lock.
Result<DeviceTarget> lookup(const DeviceCliOptions& options) {
  InventoryOptions read_only = options.inventory;
  read_only.dry_run = true;
  read_only.allow_mass_removal = true; // nothing is rendered: the lock's state does not matter
  OpenedWorkspace opened = open_inventory(read_only);
  if (opened.error) {
    return *opened.error;
  }
  const inventory::Inventory& inv = opened.workspace->inventory;
  const inventory::DeviceRegistry registry(inv);
  auto entry = registry.lookup(options.name, inventory_label(opened));
  if (!entry) {
    return entry.error();
  }
  DeviceTarget found{apply::ssh_target(*(*entry)->device), to_ssh_options(options.ssh)};
  found.ssh.pinned_known_hosts = apply::pinned_known_hosts(inv);
  return found;
}

Result<transport::ssh::Session> connect(const DeviceCliOptions& options) {
  auto found = lookup(options);
  if (!found) {
    return found.error();
  }
  return transport::ssh::Session::open(found->target, found->ssh);
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

// "ssh" or "cwmp": --via, else the inventory's `management:` for the device.
std::string via_of(const DeviceCliOptions& options) {
  return options.via.empty() ? default_management(options.inventory, options.name) : options.via;
}

// --wait and --acs belong to the ACS: given for a device reached over SSH,
// they are a usage error rather than silently ignored.
std::optional<Error> acs_options_over_ssh(const DeviceCliOptions& options, const char* ssh_wait) {
  if ((options.acs && options.acs->wait) || (options.acs && options.acs->acs)) {
    return make_error(ErrorCode::usage,
                      fmt::format("--wait and --acs are for --via cwmp, and {} is reached over ssh",
                                  options.name),
                      ssh_wait != nullptr ? fmt::format("pass --via cwmp, or {}", ssh_wait)
                                          : std::string("pass --via cwmp, or drop them"));
  }
  return std::nullopt;
}

AcsDeviceOptions acs_options_of(const DeviceCliOptions& options) {
  AcsDeviceOptions acs = options.acs ? *options.acs : AcsDeviceOptions{};
  acs.inventory = options.inventory;
  acs.target = options.name;
  acs.yes = options.yes;
  return acs;
}

} // namespace

int run_command(const DeviceCliOptions& options) {
  const bool json = options.inventory.json();
  std::string command;
  for (const auto& word : options.command) {
    command += (command.empty() ? "" : " ") + word;
  }
  if (via_of(options) == "cwmp") {
    return run_acs_delivery(acs_options_of(options), delivery::TaskKind::run, command);
  }
  if (auto misplaced = acs_options_over_ssh(options, nullptr)) {
    return fail(*misplaced, json);
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
  if (via_of(options) == "cwmp") {
    return run_acs_delivery(acs_options_of(options), delivery::TaskKind::export_config, {});
  }
  if (auto misplaced = acs_options_over_ssh(options, nullptr)) {
    return fail(*misplaced, json);
  }
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
  if (via_of(options) == "cwmp") {
    if (options.wait_up) {
      return fail(make_error(ErrorCode::usage, "--wait-up is for reboots over SSH",
                             "through the ACS, --wait SECONDS waits for the CPE's answer"),
                  json);
    }
    return run_acs_task(acs_options_of(options), "reboot");
  }
  if (auto misplaced =
          acs_options_over_ssh(options, "--wait-up SECONDS to wait for an SSH reboot")) {
    return fail(*misplaced, json);
  }
  if (!options.yes && isatty(STDIN_FILENO) == 0) {
    fail(make_error(ErrorCode::invalid_input,
                    fmt::format("refusing to reboot {} without confirmation: standard input is "
                                "not a terminal",
                                options.name),
                    "pass --yes to reboot without asking"),
         json);
    return kExitUsage;
  }
  auto found = lookup(options);
  if (!found) {
    return fail(found.error(), json);
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
  std::chrono::steady_clock::time_point sent_at;
  { // the session hangs up at the end of this block, before any waiting
    auto session = transport::ssh::Session::open(found->target, found->ssh);
    if (!session) {
      return fail(session.error(), json);
    }
    // Taken before sending: the router cannot have restarted any earlier.
    sent_at = std::chrono::steady_clock::now();
    if (auto rebooted = device::RouterOs(*session).reboot(); !rebooted) {
      return fail(rebooted.error(), json);
    }
  }

  if (!options.wait_up) {
    if (json) {
      print_json({{"ok", true},
                  {"device", options.name},
                  {"rebooting", true},
                  {"outcome", "sent-unconfirmed"}});
    } else {
      fmt::print("{}: reboot sent, not confirmed (--wait-up SECONDS waits for it to come back)\n",
                 options.name);
    }
    return kExitOk;
  }
  device::WaitUpOptions wait;
  wait.limit = std::chrono::milliseconds(std::llround(*options.wait_up * 1000.0));
  if (!json) {
    fmt::print(stderr, "{}: reboot sent; waiting up to {}s for it to come back\n", options.name,
               *options.wait_up);
  }
  auto back = device::wait_until_back(found->target, found->ssh, sent_at, wait);
  if (!back) {
    return fail(back.error(), json);
  }
  const double waited = static_cast<double>(back->waited.count()) / 1000.0;
  nlohmann::json doc{{"ok", back->back},
                     {"device", options.name},
                     {"rebooting", true},
                     {"outcome", back->back ? "confirmed" : "sent-unconfirmed"},
                     {"waited_seconds", std::round(waited * 10.0) / 10.0}};
  if (back->uptime) {
    doc["uptime_seconds"] = back->uptime->count();
  }
  if (back->back) {
    if (json) {
      print_json(doc);
    } else {
      fmt::print("{}: rebooted, confirmed: back after {:.1f}s with an uptime of {}s\n",
                 options.name, waited, back->uptime->count());
    }
    return kExitOk;
  }
  const std::string message =
      fmt::format("{}: reboot sent, not confirmed: not back within {}s ({})", options.name,
                  *options.wait_up, back->last_problem);
  if (json) {
    doc["error"] = message;
    print_json(doc);
  } else {
    fmt::print(stderr, "vpnaas: {}\n", message);
  }
  return kExitInvalid;
}

int run_host_key(const DeviceCliOptions& options) {
  const bool json = options.inventory.json();
  auto found = lookup(options);
  if (!found) {
    return fail(found.error(), json);
  }
  // Key exchange only: nothing is trusted, recorded or authenticated. No
  // known_hosts either, whose entries would steer which of the router's keys
  // is offered: the key shown is the one a fresh machine negotiates.
  auto fresh = found->ssh;
  fresh.known_hosts = "/dev/null";
  auto session = transport::ssh::Session::connect(found->target, fresh);
  if (!session) {
    return fail(session.error(), json);
  }
  auto key = session->host_key();
  if (!key) {
    return fail(key.error(), json);
  }
  const auto& target = found->target;
  const std::string pin_line = "host-key: " + key->fingerprint;
  if (json) {
    nlohmann::json doc{
        {"ok", true},          {"device", options.name}, {"host", target.host},
        {"port", target.port}, {"key_type", key->type},  {"fingerprint", key->fingerprint},
        {"pin", pin_line},     {"pinned", nullptr}};
    if (target.host_key) {
      doc["pinned"] = {{"fingerprint", target.host_key->fingerprint},
                       {"where", target.host_key->where},
                       {"matches", target.host_key->fingerprint == key->fingerprint}};
    }
    print_json(doc);
    return kExitOk;
  }
  fmt::print("{} ({} port {}) presents an {} host key:\n  {}\n", options.name, target.host,
             target.port, key->type, key->fingerprint);
  if (target.host_key) {
    fmt::print("{} pins {}: {}\n", target.host_key->where, target.host_key->fingerprint,
               target.host_key->fingerprint == key->fingerprint ? "it matches" : "it DIFFERS");
  }
  fmt::print("Verify it on the router itself, then pin it in the device's ssh: block:\n  {}\n",
             pin_line);
  return kExitOk;
}

} // namespace vpnaas::cli
