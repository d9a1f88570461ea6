#pragma once

// What the ACS learns about a device from its Inform: who it is, which
// data model it speaks, whether it runs RouterOS, where to reach it, and
// why it called.

#include <vpnaas/cwmp/messages.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vpnaas::cwmp {

// TR-069's Inform event codes (TR-069 Amendment 6, table "Inform Event
// Codes"; the same list is in tinyacs' CwmpInformEventCodes.java).
enum class EventCode {
  bootstrap,                           // "0 BOOTSTRAP": the device's state is new
  boot,                                // "1 BOOT"
  periodic,                            // "2 PERIODIC"
  scheduled,                           // "3 SCHEDULED"
  value_change,                        // "4 VALUE CHANGE"
  kicked,                              // "5 KICKED"
  connection_request,                  // "6 CONNECTION REQUEST"
  transfer_complete,                   // "7 TRANSFER COMPLETE"
  diagnostics_complete,                // "8 DIAGNOSTICS COMPLETE"
  request_download,                    // "9 REQUEST DOWNLOAD"
  autonomous_transfer_complete,        // "10 AUTONOMOUS TRANSFER COMPLETE"
  du_state_change_complete,            // "11 DU STATE CHANGE COMPLETE"
  autonomous_du_state_change_complete, // "12 AUTONOMOUS DU STATE CHANGE COMPLETE"
  m_reboot,                            // "M Reboot": a Reboot RPC finished (CommandKey)
  m_schedule_inform,                   // "M ScheduleInform"
  m_download,                          // "M Download": a Download RPC finished (CommandKey)
  m_schedule_download,                 // "M ScheduleDownload"
  m_upload,                            // "M Upload": an Upload RPC finished (CommandKey)
  m_change_du_state,                   // "M ChangeDUState"
  vendor,                              // "X <OUI> <event>" or "M X_<vendor method>"
  unknown,                             // anything else: kept as text, never an error
};

// The code of event text such as "1 BOOT" (surrounding spaces ignored).
EventCode parse_event_code(std::string_view text);

// "1 BOOT" for EventCode::boot; "" for vendor and unknown, which have no one text.
const char* event_code_text(EventCode code);

enum class DataModel {
  device,                  // "Device." (TR-181; RouterOS)
  internet_gateway_device, // "InternetGatewayDevice." (TR-098)
  unknown,                 // the Inform named no parameter
};

// "Device." or "InternetGatewayDevice."; "" for unknown.
const char* data_model_root(DataModel model);

struct Event {
  EventCode code = EventCode::unknown;
  std::string text; // as sent, e.g. "M Reboot"
  std::string command_key;
  friend bool operator==(const Event&, const Event&) = default;
};

struct DeviceFacts {
  DeviceId device_id;
  DataModel data_model = DataModel::unknown;
  // Manufacturer MikroTik, or X_MIKROTIK_ parameters: RouterOS-only
  // behaviour (.alter downloads, X_MIKROTIK_*) is used only when set.
  bool routeros = false;
  std::string connection_request_url; // "" when the Inform does not carry it
  std::string software_version;
  std::string hardware_version;
  std::vector<Event> events;

  bool has_event(EventCode code) const;
  // The CommandKey of the first event `code` ("M Reboot", "M Download"),
  // or nullopt when there is no such event.
  std::optional<std::string> command_key(EventCode code) const;
};

// Facts from an Inform. The data model is the root the Inform's parameter
// names share (the first one decides if they disagree); parameters are
// looked up under that root. Never fails: what is not there stays empty.
DeviceFacts device_facts(const Inform& inform);

} // namespace vpnaas::cwmp
