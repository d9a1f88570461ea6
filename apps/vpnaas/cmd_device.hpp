#pragma once

// `vpnaas device run|export|reboot|host-key`: ad-hoc work on one router. The options CLI11 fills
// (cli_device.cpp) and the functions that run the command with them, apart so that this part
// compiles without CLI11.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cmd_device_acs.hpp"
#include "options.hpp"
#include "ssh_options.hpp"

namespace vpnaas::cli {

struct DeviceCliOptions {
  InventoryOptions inventory;
  SshCliOptions ssh;
  std::string name;
  std::vector<std::string> command; // device run: the words after --
  std::string via = "ssh"; // reboot: empty until given, then the inventory's `management:` decides
  std::shared_ptr<AcsDeviceOptions> acs; // reboot --via cwmp: --acs and --wait
  bool yes = false;
  std::optional<double> wait_up; // device reboot: seconds to wait for the router to come back
};

int run_command(const DeviceCliOptions& options);
int run_export(const DeviceCliOptions& options);
int run_reboot(const DeviceCliOptions& options);
int run_host_key(const DeviceCliOptions& options);

} // namespace vpnaas::cli
