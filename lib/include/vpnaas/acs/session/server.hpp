#pragma once

// `vpnaas acs serve` without the terminal: opens the store in the data dir,
// recovers tasks left open by a stop or crash, and runs the CWMP service on
// an HTTP(S) listener, the management API (management.hpp) on a 0600 Unix
// socket beside it (and optionally TCP with a bearer token), and connection
// requests to the CPEs that tasks are queued for. The CLI resolves the key and the inventory,
// handles signals and prints the log lines this hands it.

#include <vpnaas/acs/connection_request.hpp>
#include <vpnaas/acs/http/server.hpp>
#include <vpnaas/acs/management.hpp>
#include <vpnaas/acs/metrics.hpp>
#include <vpnaas/acs/session/cwmp_service.hpp>
#include <vpnaas/acs/session/served_inventory.hpp>
#include <vpnaas/core/error.hpp>
#include <vpnaas/inventory/model.hpp>
#include <vpnaas/secrets/master_key.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <string>

namespace vpnaas::acs::session {

struct ServeConfig {
  std::string address = "0.0.0.0";
  std::uint16_t port = 7547;      // TR-069's registered port; 0: the system picks one
  std::filesystem::path tls_cert; // both set: HTTPS (Basic); neither: HTTP (Digest)
  std::filesystem::path tls_key;
  std::filesystem::path data_dir;        // created 0700; holds acs.sqlite
  std::optional<secrets::MasterKey> key; // derives each CPE's password
  bool insecure_no_cpe_auth = false;
  unsigned threads = 0;
  // The URL CPEs reach this server at, for file links; empty: from the listener.
  std::string public_url;
  Bindings bindings;
  LogSink log;
  http::Limits limits;
  std::chrono::milliseconds idle_timeout{std::chrono::seconds(30)};
  std::chrono::milliseconds session_cap{std::chrono::minutes(5)};
  std::size_t max_sessions = 1000; // past it, an Inform gets 503 with Retry-After
  // The management API over TCP as well as on <data_dir>/acs.sock; needs
  // the key, whose derived token (derive_acs_management_token) it asks for.
  std::optional<std::uint16_t> management_port;
  std::string management_address = "127.0.0.1";
  std::filesystem::path management_tls_cert; // both set: HTTPS
  std::filesystem::path management_tls_key;
  // The inventory's device names, for `device accept --device NAME`; empty: any name.
  std::set<std::string> device_names;
  RequesterOptions connection_requests;
};

// <data_dir>/acs.sock: where the management API listens, and where
// `vpnaas device --acs DIR` looks.
std::filesystem::path management_socket(const std::filesystem::path& data_dir);

// The default data dir: $XDG_STATE_HOME/vpnaas/acs, else ~/.local/state/vpnaas/acs.
std::filesystem::path default_data_dir();

// "ADDR:PORT", "[v6]:PORT" or ":PORT" (all IPv4 addresses). usage error when malformed.
Status parse_listen(const std::string& text, std::string& address, std::uint16_t& port);

class AcsServer {
public:
  // Fails with io (data dir, store, TLS files, bind) or environment.
  static Result<std::unique_ptr<AcsServer>> start(ServeConfig config);
  ~AcsServer();

  // "http://127.0.0.1:7547" with the real port.
  const std::string& url() const { return m_url; }
  const std::filesystem::path& database() const { return m_database; }
  std::size_t recovered() const { return m_recovered; }
  const std::filesystem::path& management_socket() const { return m_management_socket; }
  // "http://127.0.0.1:8547" with the real port; empty without --management-listen.
  const std::string& management_url() const { return m_management_url; }
  Metrics& metrics() { return *m_metrics; }

  // Takes a reloaded inventory's bindings and device names (SIGHUP);
  // sessions already running keep their binding.
  void reload(ServedInventory inventory);
  // Graceful: the HTTP server finishes what is with the handler, then open
  // sessions are logged as cut short. Safe to call twice.
  void stop();

  struct Shared;

private:
  AcsServer() = default;
  void queue_connection_request(const DeviceRecord& device, const Task& task);

  std::shared_ptr<Store> m_store;
  std::unique_ptr<Metrics> m_metrics;
  std::shared_ptr<Shared> m_shared;
  std::shared_ptr<CwmpService> m_service;
  std::shared_ptr<ManagementHandler> m_management;
  std::unique_ptr<ConnectionRequester> m_requester;
  std::unique_ptr<http::HttpServer> m_http;
  std::string m_url;
  std::string m_management_url;
  std::filesystem::path m_management_socket;
  std::filesystem::path m_database;
  std::size_t m_recovered = 0;
};

} // namespace vpnaas::acs::session
