#include "render_support.hpp"

#include <vpnaas/render/generate.hpp>
#include <vpnaas/routeros/reader.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

namespace vpnaas::test {

secrets::MasterKey fixed_key() {
  return secrets::MasterKey(std::vector<unsigned char>(32, 0x42), "test key");
}

namespace {

std::unique_ptr<Workspace> checked(Result<std::unique_ptr<Workspace>> ws) {
  REQUIRE(ws.ok());
  for (const auto& d : (*ws)->diagnostics.items()) {
    INFO(format_diagnostic(d));
    CHECK(d.severity != Severity::error);
  }
  REQUIRE((*ws)->valid());
  return std::move(*ws);
}

} // namespace

std::unique_ptr<Workspace> open_fixture(const std::filesystem::path& root) {
  WorkspaceOptions options;
  options.root = root;
  options.write_lock = false;
  return checked(open_workspace(options));
}

std::unique_ptr<Workspace> open_files(const std::map<std::string, std::string>& files) {
  WorkspaceOptions options;
  options.root = "synthetic";
  options.files = files;
  options.write_lock = false;
  options.allow_mass_removal = true; // tests move between unrelated inventories on purpose
  return checked(open_workspace(options));
}

std::map<std::string, std::string> synthetic_inventory(int sites, int routeros) {
  std::map<std::string, std::string> files;
  files["vpnaas.yaml"] = fmt::format("vpnaas: 1\ndefaults:\n  routeros: {}\n"
                                     "  transit-pool: 10.255.0.0/16\n",
                                     routeros);
  files["clusters/dc1.yaml"] =
      "cluster: dc1\nnetworks: [10.10.0.0/24]\ndevices:\n"
      "  - { name: dc1-r1, public-ip: 203.0.113.1, router-id: 10.0.255.1 }\n"
      "  - { name: dc1-r2, public-ip: 203.0.113.2, router-id: 10.0.255.2 }\n";
  std::string customer = "customer: big\ncluster: dc1\ntopology: full-mesh\nsites:\n";
  for (int i = 1; i <= sites; ++i) {
    customer += fmt::format("  - name: s{0:03}\n    lan: [172.{1}.{2}.0/24]\n"
                            "    device: {{ name: big-s{0:03}, public-ip: 100.64.{1}.{2}, "
                            "router-id: 10.1.{1}.{2} }}\n",
                            i, 16 + i / 200, i % 200);
  }
  files["customers/big.yaml"] = customer;
  return files;
}

std::map<std::string, std::string> render_all(const Workspace& ws,
                                              std::optional<std::string> revision) {
  secrets::MasterKey key = fixed_key();
  render::RenderInput input{ws.inventory, ws.tunnels, ws.allocation.lock, key, revision};
  std::map<std::string, std::string> out;
  auto refs = render::index_devices(ws.inventory, ws.tunnels);
  for (const auto& ref : refs) {
    auto text = render::render_device(ref, input);
    REQUIRE(text.ok());
    out[ref.relative_path()] = *text;
  }
  return out;
}

routeros::Router router_for(const std::string& script) {
  auto minimum = routeros::declared_minimum(script);
  REQUIRE(minimum.has_value());
  return routeros::Router(*minimum);
}

routeros::RunStats run_on(const std::string& script, routeros::Router& router) {
  auto read = routeros::read_script(script);
  for (const auto& e : read.errors) {
    INFO(routeros::to_string(e.pos) << ": " << e.message);
    CHECK(false);
  }
  auto stats = routeros::run_script(read.commands, router);
  INFO((stats.ok() ? std::string() : stats.error().message));
  REQUIRE(stats.ok());
  return *stats;
}

} // namespace vpnaas::test
