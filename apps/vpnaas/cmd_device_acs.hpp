#pragma once

// `vpnaas device list|show|accept|reject|factory-reset|params|push-config|upload|tasks`
// and `device reboot --via cwmp`: the device commands that go through the ACS's
// management API. The options CLI11 fills (cli_device.cpp) and the functions
// that run them, apart so that this part compiles without CLI11.

#include <vpnaas/delivery/task.hpp>

#include <optional>
#include <string>
#include <vector>

#include "options.hpp"

namespace vpnaas::cli {

struct AcsDeviceOptions {
  InventoryOptions inventory;     // --inventory/--rev for push-config and accept, --format
  std::optional<std::string> acs; // --acs SOCKET|DIR|URL
  std::string target;             // a device name or serial
  std::string device;             // accept --device NAME
  std::vector<std::string> paths; // params get PATH..., params set PATH=VALUE...
  std::optional<std::string> key_file;
  bool yes = false;
  // --wait [SECONDS]: set when given; 0 when given without a value (the default wait).
  std::optional<double> wait;
};

// Seconds `--wait` without a value waits.
inline constexpr double kDefaultAcsWait = 60;

int run_acs_list(const AcsDeviceOptions& options);
int run_acs_show(const AcsDeviceOptions& options);
int run_acs_accept(const AcsDeviceOptions& options);
int run_acs_reject(const AcsDeviceOptions& options);
int run_acs_tasks(const AcsDeviceOptions& options);
// kind: "reboot", "factory-reset", "get-params", "set-params", "push-config", "upload".
int run_acs_task(const AcsDeviceOptions& options, const std::string& kind);

// `device run|export --via cwmp`: one task through the CWMP executor (run: a
// .alter Download holding `command`, export: an Upload, printed once done).
int run_acs_delivery(const AcsDeviceOptions& options, delivery::TaskKind kind,
                     const std::string& command);

// The management the inventory gives a device ("ssh" or "cwmp"); "ssh" when
// the inventory has no `management:` for it or cannot be read (the SSH path
// then reports why).
std::string default_management(const InventoryOptions& inventory, const std::string& name);

} // namespace vpnaas::cli
