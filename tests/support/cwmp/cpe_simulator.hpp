#pragma once

// A CWMP CPE for tests, over real HTTP(S) with libcurl and the codec's CPE
// side: a RouterOS tr069-client (the real RouterOS Inform as its template,
// `Device.` root, Digest) or a generic TR-098 CPE (`InternetGatewayDevice.`,
// pre-emptive Basic). It answers every RPC, faults on demand, fetches
// Download files, uploads for Upload and reports transfers and reboots in its
// next session as a real CPE does.

#include <vpnaas/cwmp/messages.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace vpnaas::test {

struct HttpReply {
  long status = 0;
  std::map<std::string, std::string> headers; // names lower-cased, last one wins
  std::string body;
  std::string error; // curl's words when no reply came
};

struct HttpCall {
  std::string method = "POST";
  std::string url;
  std::string body;
  std::vector<std::string> headers; // "Name: value"
  std::string ca_file;              // TLS: trust this certificate
};

// One request on a fresh connection, no authentication handling.
HttpReply http_call(const HttpCall& call);

struct CpeConfig {
  enum class Mode { routeros, tr098 } mode = Mode::routeros;
  std::string acs_url; // "http://127.0.0.1:7547/"
  std::string serial;
  std::string username; // empty: send no credentials
  std::string password;
  std::string ca_file;         // for https
  std::string inform_template; // RouterOS mode: the real Inform's file
  // RPC method name ("Reboot") -> the fault to answer it with.
  std::map<std::string, std::pair<std::uint32_t, std::string>> faults;
  // Download answered with Status 1; TransferComplete follows in the next session.
  bool download_later = false;
  // That next session's Inform then carries no "7 TRANSFER COMPLETE".
  bool transfer_complete_without_event_7 = false;
  std::string upload_content = "# exported by the CPE simulator\n";
  // Each uploaded file ends with "# upload <CommandKey>\n", so that a test
  // can tell the files of two Uploads apart.
  bool upload_content_names_key = false;
  // Sent as ManagementServer.ConnectionRequestURL when set (see
  // CpeSimulator::listen_for_connection_requests).
  std::string connection_request_url;
  // The fault to answer an RPC whose key (see ReceivedRpc) is listed with:
  // every time, or only the first time (a CPE busy once).
  std::map<std::string, std::pair<std::uint32_t, std::string>> faults_by_key;
  std::map<std::string, std::pair<std::uint32_t, std::string>> faults_once_by_key;
  // The fault to answer the ACS's connection-request login with, every time
  // (a CPE whose ManagementServer parameters are read-only).
  std::optional<std::pair<std::uint32_t, std::string>> connection_request_login_fault;
};

// One RPC the CPE received, as the CPE saw it: its CommandKey (Reboot,
// Download, Upload), ParameterKey (SetParameterValues) or first parameter
// name (the Get* RPCs).
struct ReceivedRpc {
  std::string method;
  std::string key;
};

struct SessionLog {
  long inform_status = 0;
  long final_status = 0;                 // 204 when the ACS ended the session
  std::vector<std::string> rpcs;         // the ACS's requests, in order
  std::vector<std::string> fetched;      // Download files' bodies
  std::vector<long> transfer_statuses;   // HTTP status of each file fetch or upload
  std::vector<cwmp::EventStruct> events; // what the Inform said
  std::string error;                     // why the session stopped early
  // The ACS set the connection-request login (a SetParameterValues with
  // ParameterKey vpnaas-connection-request-login): kept out of `rpcs`, so
  // that they list what the test queued.
  bool connection_request_login_set = false;
  // The ACS sent that SetParameterValues, whether it was set or faulted.
  bool connection_request_login_sent = false;
};

class ConnectionRequestListener;

class CpeSimulator {
public:
  explicit CpeSimulator(CpeConfig config);
  ~CpeSimulator();
  CpeSimulator(const CpeSimulator&) = delete;
  CpeSimulator& operator=(const CpeSimulator&) = delete;

  // One whole session: Inform (with `events`, plus what the last session
  // left to report), TransferComplete when one is due, empty POST, then
  // answers until the ACS ends it.
  SessionLog run_session(std::vector<cwmp::EventStruct> events = {{"2 PERIODIC", ""}});

  CpeConfig& config() { return m_config; }
  const std::map<std::string, std::string>& parameters() const { return m_parameters; }
  // Every RPC received, in order, across sessions (broken ones included).
  const std::vector<ReceivedRpc>& received() const { return m_received; }
  // The CommandKeys of the Downloads whose file this CPE fetched (applied).
  const std::vector<std::string>& applied_downloads() const { return m_applied; }
  // Reports still to deliver in the next session (events, a TransferComplete).
  bool has_pending_report() const { return !m_next_events.empty() || !m_transfers.empty(); }

  // Listens for connection requests on 127.0.0.1:0 as a CPE does (TR-069
  // 3.2.2): a GET is challenged with Digest (qop=auth, MD5) and checked
  // against the ConnectionRequestUsername/Password the ACS set on this CPE;
  // when it matches, the answer is 200 and a session with event
  // "6 CONNECTION REQUEST" starts on another thread. Sets and returns
  // config().connection_request_url. Call before the first session.
  std::string listen_for_connection_requests();
  // What the sessions that connection requests started logged, in order.
  std::vector<SessionLog> woken_sessions() const;
  // Waits until `count` such sessions ended; false after `timeout`.
  bool wait_for_woken_sessions(std::size_t count, std::chrono::milliseconds timeout) const;
  // Connection requests answered 200 / refused with 401 after a wrong answer.
  int connection_requests_accepted() const;
  int connection_requests_refused() const;
  // Replaces the connection-request password the ACS set (a CPE reset or
  // tampered with): later requests with the ACS's login are refused.
  void set_connection_request_password(const std::string& password);

private:
  friend class ConnectionRequestListener;
  // The ACS's login as set, or nullopt before it was.
  std::optional<std::pair<std::string, std::string>> connection_request_login() const;
  void woken();

  cwmp::Inform make_inform(const std::vector<cwmp::EventStruct>& events) const;
  cwmp::Body answer(const cwmp::Body& request, SessionLog& log);

  CpeConfig m_config;
  std::map<std::string, std::string> m_parameters;
  std::map<std::string, int> m_notifications;       // SetParameterAttributes
  std::map<std::string, std::uint32_t> m_instances; // AddObject, per object
  std::vector<cwmp::EventStruct> m_next_events;     // M Reboot, 1 BOOT, ...
  std::vector<cwmp::TransferComplete> m_transfers;  // due in the next session, in order
  mutable std::optional<cwmp::Inform> m_template;   // the template read once
  std::vector<ReceivedRpc> m_received;
  std::vector<std::string> m_applied;

  // Sessions run one at a time; connection requests start them on threads.
  mutable std::mutex m_session_mutex;
  mutable std::mutex m_woken_mutex;
  std::vector<SessionLog> m_woken;
  std::vector<std::thread> m_threads;
  int m_accepted = 0;
  int m_refused = 0;
  std::optional<std::pair<std::string, std::string>> m_cr_login;
  std::shared_ptr<ConnectionRequestListener> m_listener; // owns its HTTP server
};

} // namespace vpnaas::test
