#pragma once

#include <map>
#include <string>

namespace vpnaas::test {

// A valid three-router inventory as in-memory files (relative path -> text),
// for tests that tweak one file and load it with load_inventory_from().
inline std::map<std::string, std::string> small_inventory() {
  return {
      {"vpnaas.yaml", "vpnaas: 1\ndefaults:\n  transit-pool: 10.255.0.0/16\n"},
      {"clusters/dc1.yaml", R"(cluster: dc1
networks: [10.10.0.0/24]
devices:
  - name: dc1-r1
    public-ip: 203.0.113.1
    router-id: 10.0.255.1
)"},
      {"customers/acme.yaml", R"(customer: acme
cluster: dc1
sites:
  - name: brussels
    lan: [192.168.10.0/24]
    device:
      name: acme-bru-r1
      public-ip: 192.0.2.10
      router-id: 10.1.0.1
  - name: antwerp
    lan: [192.168.20.0/24]
    device:
      name: acme-ant-r1
      public-ip: 192.0.2.20
      router-id: 10.1.0.2
)"},
  };
}

} // namespace vpnaas::test
