#include <vpnaas/cwmp/device_facts.hpp>

#include <algorithm>
#include <array>
#include <utility>

namespace vpnaas::cwmp {

namespace {

struct EventName {
  EventCode code;
  std::string_view text;
};

constexpr std::array<EventName, 19> event_names = {{
    {EventCode::bootstrap, "0 BOOTSTRAP"},
    {EventCode::boot, "1 BOOT"},
    {EventCode::periodic, "2 PERIODIC"},
    {EventCode::scheduled, "3 SCHEDULED"},
    {EventCode::value_change, "4 VALUE CHANGE"},
    {EventCode::kicked, "5 KICKED"},
    {EventCode::connection_request, "6 CONNECTION REQUEST"},
    {EventCode::transfer_complete, "7 TRANSFER COMPLETE"},
    {EventCode::diagnostics_complete, "8 DIAGNOSTICS COMPLETE"},
    {EventCode::request_download, "9 REQUEST DOWNLOAD"},
    {EventCode::autonomous_transfer_complete, "10 AUTONOMOUS TRANSFER COMPLETE"},
    {EventCode::du_state_change_complete, "11 DU STATE CHANGE COMPLETE"},
    {EventCode::autonomous_du_state_change_complete, "12 AUTONOMOUS DU STATE CHANGE COMPLETE"},
    {EventCode::m_reboot, "M Reboot"},
    {EventCode::m_schedule_inform, "M ScheduleInform"},
    {EventCode::m_download, "M Download"},
    {EventCode::m_schedule_download, "M ScheduleDownload"},
    {EventCode::m_upload, "M Upload"},
    {EventCode::m_change_du_state, "M ChangeDUState"},
}};

std::string_view trimmed(std::string_view s) {
  while (!s.empty() &&
         (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return (x | 0x20) == (y | 0x20);
         });
}

const std::string* find_value(const Inform& inform, std::string_view name) {
  for (const auto& p : inform.parameters) {
    if (p.name == name) {
      return &p.value;
    }
  }
  return nullptr;
}

} // namespace

EventCode parse_event_code(std::string_view text) {
  text = trimmed(text);
  for (const auto& e : event_names) {
    if (e.text == text) {
      return e.code;
    }
  }
  // Vendor events: "X <OUI> <event>" and "M X_<vendor method>".
  if (text.starts_with("X ") || text.starts_with("M X_")) {
    return EventCode::vendor;
  }
  return EventCode::unknown;
}

const char* event_code_text(EventCode code) {
  for (const auto& e : event_names) {
    if (e.code == code) {
      return e.text.data();
    }
  }
  return "";
}

const char* data_model_root(DataModel model) {
  switch (model) {
  case DataModel::device:
    return "Device.";
  case DataModel::internet_gateway_device:
    return "InternetGatewayDevice.";
  case DataModel::unknown:
    return "";
  }
  return "";
}

bool DeviceFacts::has_event(EventCode code) const {
  return std::any_of(events.begin(), events.end(), [&](const Event& e) { return e.code == code; });
}

std::optional<std::string> DeviceFacts::command_key(EventCode code) const {
  for (const auto& e : events) {
    if (e.code == code) {
      return e.command_key;
    }
  }
  return std::nullopt;
}

DeviceFacts device_facts(const Inform& inform) {
  DeviceFacts out;
  out.device_id = inform.device_id;
  for (const auto& p : inform.parameters) {
    if (p.name.starts_with("Device.")) {
      out.data_model = DataModel::device;
      break;
    }
    if (p.name.starts_with("InternetGatewayDevice.")) {
      out.data_model = DataModel::internet_gateway_device;
      break;
    }
  }
  const std::string root = data_model_root(out.data_model);
  if (!root.empty()) {
    auto value = [&](std::string_view rest) {
      const auto* v = find_value(inform, root + std::string(rest));
      return v == nullptr ? std::string() : std::string(trimmed(*v));
    };
    out.connection_request_url = value("ManagementServer.ConnectionRequestURL");
    out.software_version = value("DeviceInfo.SoftwareVersion");
    out.hardware_version = value("DeviceInfo.HardwareVersion");
  }
  // MikroTik's vendor parameters are Device.DeviceInfo.X_MIKROTIK_*,
  // Device.X_MIKROTIK_Interface. and Device.X_MIKROTIK_Monitor.
  out.routeros =
      equals_ignoring_case(trimmed(inform.device_id.manufacturer), "MikroTik") ||
      std::any_of(inform.parameters.begin(), inform.parameters.end(), [](const ParameterValue& p) {
        return p.name.find(".X_MIKROTIK_") != std::string::npos;
      });
  for (const auto& e : inform.events) {
    out.events.push_back({parse_event_code(e.event_code), e.event_code, e.command_key});
  }
  return out;
}

} // namespace vpnaas::cwmp
