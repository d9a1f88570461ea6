// A setting written once on a customer or a cluster renders exactly as if it
// were written on each of its devices (spec: "Defaults cascade").
#include <doctest/doctest.h>

#include "render_support.hpp"

namespace vpnaas::test {
namespace {

// `key` written after the first line of `file`.
std::map<std::string, std::string> with_top_key(std::map<std::string, std::string> files,
                                                const std::string& file, const std::string& key) {
  std::string& text = files[file];
  text.insert(text.find('\n') + 1, key + "\n");
  return files;
}

// `key` added to every flow-style device mapping of `file`.
std::map<std::string, std::string> with_device_key(std::map<std::string, std::string> files,
                                                   const std::string& file,
                                                   const std::string& key) {
  std::string& text = files[file];
  for (auto at = text.find(" }\n"); at != std::string::npos; at = text.find(" }\n", at + 1)) {
    text.insert(at, ", " + key);
    at += key.size() + 2;
  }
  return files;
}

std::size_t count_items(const std::string& script, const std::string& menu) {
  routeros::Router router = router_for(script);
  run_on(script, router);
  return router.items(menu).size();
}

TEST_CASE("routing: static on a customer renders as on each of its devices") {
  const auto base = synthetic_inventory(3);
  auto by_customer =
      render_all(*open_files(with_top_key(base, "customers/big.yaml", "routing: static")));
  auto by_device =
      render_all(*open_files(with_device_key(base, "customers/big.yaml", "routing: static")));
  auto plain = render_all(*open_files(base));
  REQUIRE(by_customer.size() == 5);
  CHECK(by_customer == by_device);
  for (const auto& [path, script] : by_customer) {
    CAPTURE(path);
    CHECK(script != plain.at(path));
  }
  // Every site now reaches its peers by static routes instead of OSPF.
  const std::string& site = by_customer.at("big/big-s001.rsc");
  CHECK(count_items(site, "/ip route") > 0);
  CHECK(count_items(site, "/routing ospf interface-template") == 0);
  CHECK(count_items(plain.at("big/big-s001.rsc"), "/ip route") == 0);
}

TEST_CASE("a cluster's mtu and routing render as on each of its routers") {
  const auto base = synthetic_inventory(2);
  auto by_cluster =
      render_all(*open_files(with_top_key(with_top_key(base, "clusters/dc1.yaml", "mtu: 1360"),
                                          "clusters/dc1.yaml", "routing: static")));
  auto by_router = render_all(
      *open_files(with_device_key(with_device_key(base, "clusters/dc1.yaml", "mtu: 1360"),
                                  "clusters/dc1.yaml", "routing: static")));
  auto plain = render_all(*open_files(base));
  CHECK(by_cluster == by_router);
  CHECK(by_cluster.at("dc1/dc1-r1.rsc") != plain.at("dc1/dc1-r1.rsc"));
  // Site-site tunnels keep OSPF: only the tunnels to the cluster change.
  CHECK(count_items(by_cluster.at("big/big-s001.rsc"), "/routing ospf interface-template") > 0);
}

} // namespace
} // namespace vpnaas::test
