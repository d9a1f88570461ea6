#include "support/ssh_inventory.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace vpnaas::test {
std::string ssh_block(const FakeRouter& router) {
  return fmt::format("{{ host: 127.0.0.1, port: {}, user: {} }}", router.port(),
                     router.target().user);
}

void write_ssh_inventory(const std::filesystem::path& root,
                         const std::vector<const FakeRouter*>& routers) {
  if (routers.size() != kSshInventoryDevices.size()) {
    throw std::invalid_argument("write_ssh_inventory needs one router per device");
  }
  write_file(root / "vpnaas.yaml", "vpnaas: 1\n");
  write_file(root / "clusters/dc1.yaml",
             fmt::format(R"(cluster: dc1
networks: [10.10.0.0/24]
devices:
  - name: dc1-r1
    public-ip: 203.0.113.1
    router-id: 10.0.255.1
    ssh: {}
  - name: dc1-r2
    public-ip: 203.0.113.2
    router-id: 10.0.255.2
    ssh: {}
)",
                         ssh_block(*routers[0]), ssh_block(*routers[1])));
  write_file(root / "customers/acme.yaml",
             fmt::format(R"(customer: acme
cluster: dc1
sites:
  - name: brussels
    lan: [192.168.10.0/24]
    device: {{ name: acme-bru-r1, public-ip: 192.0.2.10, router-id: 10.1.0.1, ssh: {} }}
  - name: antwerp
    lan: [192.168.20.0/24]
    device: {{ name: acme-ant-r1, public-ip: 192.0.2.20, router-id: 10.1.0.2, ssh: {} }}
)",
                         ssh_block(*routers[2]), ssh_block(*routers[3])));
}

} // namespace vpnaas::test
