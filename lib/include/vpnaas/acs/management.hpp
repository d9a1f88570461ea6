#pragma once

// The management API: what `vpnaas device ...` talks to, on its own listener
// (a 0600 Unix socket in the data dir, optionally TCP with a bearer token).
// JSON in and out, versioned paths:
//
//   GET  /v1/devices                      every CPE that called in
//   GET  /v1/devices/{name-or-serial}     one, with the parameters last read and
//                                         its connection-request login's state
//   POST /v1/devices/{serial}/accept      {"device": NAME}: bind a pending CPE
//   POST /v1/devices/{serial}/reject      forget it: its row, tasks and uploads
//   POST /v1/devices/{name}/tasks         {"kind": ..., ...}: queue a task (201)
//   GET  /v1/devices/{name}/tasks         its tasks, oldest first
//   GET  /v1/devices/{name}/uploads/latest  the file it uploaded last, with its content
//   GET  /v1/tasks/{id}/upload            the file that Upload task produced, with its content
//   GET  /v1/tasks/{id}[?wait=SECONDS]    a task; with wait, answers once it is
//                                         final or the wait is over
//   GET  /metrics                         Prometheus text
//
// Errors answer {"error": {"code": "<error_code_name>", "message": ..., "hint": ...}}
// with 400 (bad JSON or arguments), 401 (token), 404 (unknown device or task),
// 409 (not in a state for it) or 500 (the store failed); the code field maps
// back to an ErrorCode and so to the CLI's exit code.
//
// Task payloads queued here, as the session engine reads them:
//   GetParameterValues  {"names": [PATH, ...]}
//   SetParameterValues  {"parameters": [{"name": PATH, "value": V, "type": "string"}, ...]}
//                       with command_key as the ParameterKey
//   Download            {"file_type": "3 Vendor Configuration File",
//                        "file_name": "vpnaas.alter", "content": SCRIPT}
//   Upload              {"file_type": "1 Vendor Configuration File"}
//   Reboot, FactoryReset {}; Reboot, Download and Upload carry a command_key.

#include <vpnaas/acs/http/message.hpp>
#include <vpnaas/acs/metrics.hpp>
#include <vpnaas/acs/store.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace vpnaas::acs {

struct ManagementOptions {
  // Required from any client not on the Unix socket (whose 0600 mode is the
  // access control) as `Authorization: Bearer TOKEN`. Empty: only the Unix
  // socket is served; TCP clients get 401.
  std::string bearer_token;
  // The longest ?wait= honoured; longer asks are cut to it.
  std::chrono::seconds max_wait{std::chrono::minutes(10)};
  // How often parked waits look at the store when nobody calls task_changed().
  std::chrono::milliseconds poll_interval{250};
  // Whether the inventory has a device of that name, for accept. Unset: any name.
  std::function<bool(const std::string&)> inventory_has_device;
  // The inventory device a serial is bound to by `serial:` (empty: none);
  // reject refuses such a serial. Unset: no serial is bound.
  std::function<std::string(const std::string&)> inventory_binding;
  // Called after `accept` bound a serial (the server lets a failed
  // connection-request login be queued again). Must not block.
  std::function<void(const std::string& serial)> device_accepted;
  // The inventory revision recorded on queued tasks.
  std::function<std::string()> inventory_revision;
  // Called after a task was queued (the server sends a connection request
  // so that the CPE calls in now). Must not block.
  std::function<void(const DeviceRecord& device, const Task& task)> task_queued;
};

class ManagementHandler : public http::Handler {
public:
  // `store` and `metrics` must outlive the handler.
  static std::shared_ptr<ManagementHandler> create(Store& store, Metrics& metrics,
                                                   ManagementOptions options = {});
  ~ManagementHandler() override;

  void handle(http::Request request, http::Responder respond) override;

  // A task changed state (the session engine calls this): waits on it answer
  // now instead of at the next poll.
  void task_changed(TaskId id);
  // Answers every parked wait with the task as it is and stops the waiter
  // thread; later waits answer at once. Called by the destructor.
  void stop();

  class Impl;

private:
  explicit ManagementHandler(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> m_impl;
};

// ISO 8601 UTC with seconds ("2026-11-30T11:13:07Z").
std::string format_utc(TimePoint at);

} // namespace vpnaas::acs
