#include <vpnaas/delivery/task.hpp>

namespace vpnaas::delivery {

const char* to_string(Transport transport) {
  return transport == Transport::cwmp ? "cwmp" : "ssh";
}

std::optional<Transport> parse_transport(std::string_view text) {
  if (text == "ssh") {
    return Transport::ssh;
  }
  if (text == "cwmp") {
    return Transport::cwmp;
  }
  return std::nullopt;
}

Transport transport_for(const inventory::Device& device, std::optional<Transport> chosen) {
  if (chosen) {
    return *chosen;
  }
  if (device.management) {
    // The loader accepts only ssh and cwmp, so nothing else reaches here.
    return parse_transport(device.management->value).value_or(Transport::ssh);
  }
  return Transport::ssh;
}

const char* to_string(TaskKind kind) {
  switch (kind) {
  case TaskKind::apply_script:
    return "apply-script";
  case TaskKind::run:
    return "run";
  case TaskKind::export_config:
    return "export";
  case TaskKind::reboot:
    return "reboot";
  }
  return "unknown";
}

const char* to_string(TaskState state) {
  switch (state) {
  case TaskState::done:
    return "done";
  case TaskState::failed:
    return "failed";
  case TaskState::outcome_unknown:
    return "outcome-unknown";
  case TaskState::queued:
    return "queued";
  }
  return "unknown";
}

} // namespace vpnaas::delivery
