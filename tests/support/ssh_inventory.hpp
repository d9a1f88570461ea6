#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "support/sshd.hpp"

namespace vpnaas::test {

// The devices of write_ssh_inventory, in the order their routers are given.
inline const std::vector<std::string> kSshInventoryDevices = {"dc1-r1", "dc1-r2", "acme-bru-r1",
                                                              "acme-ant-r1"};

// Writes an inventory to `root`: cluster dc1 (dc1-r1, dc1-r2) and customer
// acme (sites bru and ant), whose devices' ssh: blocks point at `routers`,
// one router per name of kSshInventoryDevices, in that order.
// The inventory's ssh: block of a device on `router`, as a YAML flow map.
std::string ssh_block(const FakeRouter& router);

void write_ssh_inventory(const std::filesystem::path& root,
                         const std::vector<const FakeRouter*>& routers);

} // namespace vpnaas::test
