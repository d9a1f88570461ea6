#pragma once

// The CWMP session engine: an http::Handler that runs TR-069 sessions
// (Inform -> InformResponse -> the CPE's own requests -> empty POST -> one
// queued task per response -> 204) against the Store, authenticates CPEs,
// serves Download files and receives Uploads. It never prints: what happened
// goes to the log sink as one line per session and one per refusal.

#include <vpnaas/acs/auth.hpp>
#include <vpnaas/acs/http/message.hpp>
#include <vpnaas/acs/metrics.hpp>
#include <vpnaas/acs/store.hpp>
#include <vpnaas/acs/task.hpp>
#include <vpnaas/core/error.hpp>
#include <vpnaas/secrets/master_key.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace vpnaas::acs::session {

// serial -> inventory device name, from the inventory's `serial:` keys.
using Bindings = std::map<std::string, std::string>;

// One line of the server's log (already formatted, no newline).
using LogSink = std::function<void(const std::string& line)>;

// The CPE's ACS password for a serial (derived from the master key).
using PasswordSource = std::function<Result<std::string>(const std::string& serial)>;

struct CwmpServiceOptions {
  std::shared_ptr<Store> store;
  PasswordSource password_for;
  // Lab only: every Inform is taken without credentials.
  bool insecure_no_cpe_auth = false;
  // "https://acs.example.net:7547": the prefix of the file URLs in Download
  // and Upload RPCs (no trailing slash).
  std::string base_url;
  std::chrono::milliseconds idle_timeout{std::chrono::seconds(30)};
  std::chrono::milliseconds session_cap{std::chrono::minutes(5)};
  std::chrono::seconds file_token_lifetime{std::chrono::hours(1)};
  // Sessions open at once; the Inform that would open one more gets 503 with
  // a Retry-After of about `busy_retry_after` (jittered, so that CPEs turned
  // away together do not all come back in the same second). 0: no bound.
  std::size_t max_sessions = 1000;
  std::chrono::seconds busy_retry_after{4};
  RetryPolicy retry;
  auth::DigestOptions digest;
  // Called one line at a time, from whichever io thread serves the request.
  LogSink log;
  // Sessions by outcome, Informs by event code, session durations and RPCs
  // sent by kind go here; null: nothing is counted. Must outlive the service.
  Metrics* metrics = nullptr;
  // Called on an io thread (with a session's lock held: it must not call
  // back into the service) after a session sent, completed, faulted or
  // settled a task, so that whoever waits on it (the management API)
  // answers now.
  std::function<void(TaskId)> task_changed;
  // With a key, an accepted device's session queues the connection-request
  // login (connection_request_login.hpp) when it has none, and the key
  // fills in its derived password when it is sent. Without: neither. A
  // login the CPE faulted follows the retry policy like any task; once it
  // failed for good it is not queued again until retry_connection_request_login.
  std::optional<secrets::MasterKey> key;
  // Injected by tests; system_clock by default.
  std::function<TimePoint()> clock;
};

// The payload_json of tasks whose RPC needs more than the task row holds:
//   download: {"file_type": "3 Vendor Configuration File",
//              "file_name": "vpnaas-r1.alter", "content": "<the file>"}
//     (the ACS serves `content` itself at <base>/files/<token>/<file_name>)
//   upload:   {"file_type": "1 Vendor Configuration File"}
//   get_parameter_values / get_parameter_attributes: {"names": [...]}
//   get_parameter_names: {"path": "Device.", "next_level": false}
//   set_parameter_values: {"parameters": {"Device.X": "v", ...}} (or a list
//     of {"name", "value", "type"})
//   add_object / delete_object: {"object": "Device.X.1."}
// A push-config task is a download task with a RouterOS script as content.
class CwmpService final : public http::Handler {
public:
  explicit CwmpService(CwmpServiceOptions options, Bindings bindings = {});
  ~CwmpService() override;

  void handle(http::Request request, http::Responder respond) override;
  void connection_closed(std::uint64_t connection_id) override;

  // Replaces the serial -> device bindings (SIGHUP); sessions already running keep theirs.
  void set_bindings(Bindings bindings);
  // A login task that failed (connection_request_login_failed) is queued
  // again only after the inventory was (re)loaded or an engineer asked for
  // it since: this asks for it (`device accept`), for the next session of
  // `serial`. Loading (the constructor, set_bindings) asks for every device.
  void retry_connection_request_login(const std::string& serial);
  // The inventory device `serial` is bound to by `serial:`; empty when none.
  std::string bound_device(const std::string& serial) const;
  // The file URL prefix, once the listener's real port is known.
  void set_base_url(std::string base_url);

  // Ends sessions idle past the timeout or past the cap, logging each.
  // handle() calls it too; the server calls it at stop with `all` to log
  // sessions cut short.
  void sweep(bool all = false);

  std::size_t open_sessions() const;

  struct State;

private:
  std::unique_ptr<State> m_state;
};

} // namespace vpnaas::acs::session
