// Which transport carries a device's tasks: --via, else `management:`, else ssh.

#include <vpnaas/delivery/task.hpp>

#include <doctest/doctest.h>

using namespace vpnaas;
using delivery::Transport;

namespace {

inventory::Device device(const char* management) {
  inventory::Device d;
  d.name.value = "acme-ant-r1";
  if (management != nullptr) {
    d.management = inventory::Located<std::string>{management, {}};
  }
  return d;
}

} // namespace

TEST_CASE("a device goes by its management key, ssh without one") {
  CHECK(delivery::transport_for(device(nullptr)) == Transport::ssh);
  CHECK(delivery::transport_for(device("ssh")) == Transport::ssh);
  CHECK(delivery::transport_for(device("cwmp")) == Transport::cwmp);
}

TEST_CASE("--via overrides the management key both ways") {
  CHECK(delivery::transport_for(device("cwmp"), Transport::ssh) == Transport::ssh);
  CHECK(delivery::transport_for(device(nullptr), Transport::cwmp) == Transport::cwmp);
  CHECK(delivery::transport_for(device("ssh"), Transport::cwmp) == Transport::cwmp);
}

TEST_CASE("transport, kind and state names round-trip as the CLI and JSON show them") {
  CHECK(delivery::parse_transport("cwmp") == Transport::cwmp);
  CHECK(delivery::parse_transport("ssh") == Transport::ssh);
  CHECK_FALSE(delivery::parse_transport("").has_value());
  CHECK_FALSE(delivery::parse_transport("SSH").has_value());
  CHECK(std::string(delivery::to_string(Transport::cwmp)) == "cwmp");
  CHECK(std::string(delivery::to_string(delivery::TaskKind::apply_script)) == "apply-script");
  CHECK(std::string(delivery::to_string(delivery::TaskKind::export_config)) == "export");
  CHECK(std::string(delivery::to_string(delivery::TaskState::outcome_unknown)) ==
        "outcome-unknown");
  CHECK(std::string(delivery::to_string(delivery::TaskState::queued)) == "queued");
}
