#include <vpnaas/acs/connection_request_login.hpp>
#include <vpnaas/acs/session/server.hpp>
#include <vpnaas/acs/sqlite_store.hpp>
#include <vpnaas/core/private_dirs.hpp>
#include <vpnaas/secrets/cpe_credentials.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <mutex>
#include <unordered_map>

namespace vpnaas::acs::session {
namespace {

// One HTTP server, two APIs: each request goes to the handler of the
// listener it arrived on, so a CPE can never reach the management API.
class Dispatcher final : public http::Handler {
public:
  Dispatcher(std::shared_ptr<http::Handler> cwmp, std::shared_ptr<http::Handler> management)
      : m_cwmp(std::move(cwmp)), m_management(std::move(management)) {}

  void handle(http::Request request, http::Responder respond) override {
    http::Handler& to = request.listener == "management" ? *m_management : *m_cwmp;
    to.handle(std::move(request), std::move(respond));
  }
  void connection_closed(std::uint64_t connection_id) override {
    m_cwmp->connection_closed(connection_id);
  }

private:
  std::shared_ptr<http::Handler> m_cwmp;
  std::shared_ptr<http::Handler> m_management;
};

bool login_done(Store& store, const std::string& serial) {
  auto tasks = store.tasks(serial, 100000);
  if (!tasks) {
    return false;
  }
  for (const Task& t : *tasks) {
    if (t.command_key == kConnectionRequestLoginKey && t.state == TaskState::done) {
      return true;
    }
  }
  return false;
}

} // namespace

struct AcsServer::Shared {
  std::mutex mutex;
  std::set<std::string> device_names;
  LogSink log;
};

std::filesystem::path management_socket(const std::filesystem::path& data_dir) {
  return data_dir / "acs.sock";
}

std::filesystem::path default_data_dir() {
  if (const char* state = std::getenv("XDG_STATE_HOME"); state != nullptr && *state == '/') {
    return std::filesystem::path(state) / "vpnaas" / "acs";
  }
  const char* home = std::getenv("HOME");
  return std::filesystem::path(home != nullptr ? home : "/") / ".local" / "state" / "vpnaas" /
         "acs";
}

Status parse_listen(const std::string& text, std::string& address, std::uint16_t& port) {
  auto bad = [&] {
    return make_error(ErrorCode::usage, fmt::format("--listen {}: not ADDR:PORT", text),
                      "for example --listen 0.0.0.0:7547, --listen [::]:7547 or --listen :7547");
  };
  const auto colon = text.rfind(':');
  if (colon == std::string::npos) {
    return bad();
  }
  std::string host = text.substr(0, colon);
  const std::string digits = text.substr(colon + 1);
  unsigned value = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (digits.empty() || ec != std::errc{} || end != digits.data() + digits.size() ||
      value > 65535) {
    return bad();
  }
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  address = host.empty() ? "0.0.0.0" : host;
  port = static_cast<std::uint16_t>(value);
  return Ok{};
}

Result<std::unique_ptr<AcsServer>> AcsServer::start(ServeConfig config) {
  if (config.tls_cert.empty() != config.tls_key.empty()) {
    return make_error(ErrorCode::usage, "--tls-cert and --tls-key go together",
                      "give both for HTTPS, or neither for plain HTTP with Digest");
  }
  if (config.management_port && !config.key) {
    return make_error(ErrorCode::missing_secret,
                      "--management-listen needs the master key: its bearer token is derived "
                      "from it",
                      "provide it as the other commands take it (--key-file, $VPNAAS_MASTER_KEY)");
  }
  if (config.management_tls_cert.empty() != config.management_tls_key.empty()) {
    return make_error(ErrorCode::usage,
                      "--management-tls-cert and --management-tls-key go together",
                      "give both for HTTPS on --management-listen, or neither");
  }
  if (!config.insecure_no_cpe_auth && !config.key) {
    return make_error(ErrorCode::missing_secret, "CPE authentication needs the master key",
                      "provide it as the other commands take it (--key-file, $VPNAAS_MASTER_KEY)");
  }
  if (auto made = create_private_directories(config.data_dir); !made) {
    return made.error();
  }
  std::unique_ptr<AcsServer> server(new AcsServer());
  server->m_database = config.data_dir / "acs.sqlite";
  SqliteStoreOptions store_options;
  store_options.background_checkpoint = true;
  auto store = open_sqlite_store(server->m_database, store_options);
  if (!store) {
    return store.error();
  }
  server->m_store = std::shared_ptr<Store>(std::move(*store));
  auto recovered = server->m_store->recover_after_restart(Clock::now());
  if (!recovered) {
    return recovered.error();
  }
  server->m_recovered = *recovered;
  (void)server->m_store->expire_due(Clock::now());

  server->m_metrics = std::make_unique<Metrics>();
  server->m_metrics->describe("vpnaas_acs_connection_requests_total", Metrics::Type::counter,
                              "Connection requests sent to CPEs, by outcome");
  server->m_shared = std::make_shared<Shared>();
  server->m_shared->device_names = std::move(config.device_names);
  server->m_shared->log = config.log;
  if (config.key) {
    server->m_requester = std::make_unique<ConnectionRequester>(*config.key, server->m_store.get(),
                                                                config.connection_requests);
  }
  ManagementOptions management;
  if (config.management_port) {
    auto token = secrets::derive_acs_management_token(*config.key);
    if (!token) {
      return token.error();
    }
    management.bearer_token = std::move(*token);
  }
  management.inventory_has_device = [shared = server->m_shared](const std::string& name) {
    std::lock_guard lock(shared->mutex);
    return shared->device_names.empty() || shared->device_names.count(name) > 0;
  };
  AcsServer* self = server.get();
  // The service is made below, before the first request can arrive.
  management.inventory_binding = [self](const std::string& serial) {
    return self->m_service ? self->m_service->bound_device(serial) : std::string();
  };
  management.device_accepted = [self](const std::string& serial) {
    if (self->m_service) {
      self->m_service->retry_connection_request_login(serial);
    }
  };
  management.task_queued = [self](const DeviceRecord& device, const Task& task) {
    self->queue_connection_request(device, task);
  };
  server->m_management =
      ManagementHandler::create(*server->m_store, *server->m_metrics, std::move(management));

  CwmpServiceOptions options;
  options.metrics = server->m_metrics.get();
  options.key = config.key;
  options.task_changed = [weak =
                              std::weak_ptr<ManagementHandler>(server->m_management)](TaskId id) {
    if (auto handler = weak.lock()) {
      handler->task_changed(id);
    }
  };
  options.store = server->m_store;
  options.insecure_no_cpe_auth = config.insecure_no_cpe_auth;
  options.idle_timeout = config.idle_timeout;
  options.session_cap = config.session_cap;
  options.max_sessions = config.max_sessions;
  options.log = config.log;
  if (config.key) {
    // Derived once per serial, not at every Inform (the derivation was 2%
    // of the server's CPU under load). The process holds the master key
    // anyway; the cache is dropped whole when it reaches a bound.
    struct PasswordCache {
      std::mutex mutex;
      std::unordered_map<std::string, std::string> by_serial;
    };
    options.password_for = [key = *config.key, cache = std::make_shared<PasswordCache>()](
                               const std::string& serial) -> Result<std::string> {
      {
        std::lock_guard lock(cache->mutex);
        if (auto found = cache->by_serial.find(serial); found != cache->by_serial.end()) {
          return found->second;
        }
      }
      auto credentials = secrets::derive_cpe_credentials(key, serial);
      if (!credentials) {
        return credentials.error();
      }
      std::lock_guard lock(cache->mutex);
      if (cache->by_serial.size() >= 200000) {
        cache->by_serial.clear();
      }
      cache->by_serial.emplace(serial, credentials->acs.password);
      return credentials->acs.password;
    };
  }
  server->m_service = std::make_shared<CwmpService>(std::move(options), std::move(config.bindings));

  const bool tls = !config.tls_cert.empty();
  http::ServerOptions http_options;
  http::Listener listener;
  listener.kind = tls ? http::Listener::Kind::tls : http::Listener::Kind::tcp;
  listener.name = "cwmp";
  listener.address = config.address;
  listener.port = config.port;
  listener.cert_file = config.tls_cert;
  listener.key_file = config.tls_key;
  http_options.listeners.push_back(listener);
  server->m_management_socket = session::management_socket(config.data_dir);
  http::Listener socket;
  socket.kind = http::Listener::Kind::unix_socket;
  socket.name = "management";
  socket.socket_path = server->m_management_socket;
  http_options.listeners.push_back(socket);
  const bool management_tls = !config.management_tls_cert.empty();
  if (config.management_port) {
    http::Listener tcp;
    tcp.kind = management_tls ? http::Listener::Kind::tls : http::Listener::Kind::tcp;
    tcp.name = "management";
    tcp.address = config.management_address;
    tcp.port = *config.management_port;
    tcp.cert_file = config.management_tls_cert;
    tcp.key_file = config.management_tls_key;
    http_options.listeners.push_back(tcp);
  }
  http_options.limits = config.limits;
  // Every session --max-sessions admits needs a connection: a lower
  // connection cap would close CPEs unanswered that the sessions bound lets in.
  http_options.limits.max_connections =
      std::max(http_options.limits.max_connections, config.max_sessions);
  http_options.threads = config.threads;
  if (config.log) {
    http_options.on_event = [log = config.log](const http::ServerEvent& e) {
      log(fmt::format("http {} remote={} connection={} detail=\"{}\"",
                      http::server_event_name(e.kind), e.remote_address, e.connection_id,
                      e.detail));
    };
  }
  auto http = http::HttpServer::start(
      std::move(http_options),
      std::make_shared<Dispatcher>(server->m_service, server->m_management));
  if (!http) {
    return http.error();
  }
  server->m_http = std::move(*http);
  const http::BoundListener& bound = server->m_http->bound().front();
  const bool v6 = bound.address.find(':') != std::string::npos;
  server->m_url = fmt::format("{}://{}{}{}:{}", tls ? "https" : "http", v6 ? "[" : "",
                              bound.address, v6 ? "]" : "", bound.port);
  if (config.management_port) {
    const http::BoundListener& m = server->m_http->bound().back();
    const bool m_v6 = m.address.find(':') != std::string::npos;
    server->m_management_url = fmt::format("{}://{}{}{}:{}", management_tls ? "https" : "http",
                                           m_v6 ? "[" : "", m.address, m_v6 ? "]" : "", m.port);
  }
  std::string base = config.public_url.empty() ? server->m_url : config.public_url;
  while (!base.empty() && base.back() == '/') {
    base.pop_back();
  }
  server->m_service->set_base_url(base);
  return server;
}

AcsServer::~AcsServer() {
  stop();
}

void AcsServer::reload(ServedInventory inventory) {
  m_service->set_bindings(std::move(inventory.bindings));
  std::lock_guard lock(m_shared->mutex);
  m_shared->device_names = std::move(inventory.device_names);
}

void AcsServer::queue_connection_request(const DeviceRecord& device, const Task& task) {
  // Without the login on the CPE a request would only be refused; the task
  // then waits for the CPE's next periodic Inform, as it would anyway.
  if (!m_requester || device.connection_request_url.empty() ||
      !login_done(*m_store, device.serial)) {
    return;
  }
  auto shared = m_shared;
  Metrics* metrics = m_metrics.get();
  const TaskId id = task.id;
  auto submitted = m_requester->submit(
      device.serial, device.connection_request_url,
      [shared, metrics, id](const std::string& serial, const ConnectionRequestResult& result) {
        metrics->add("vpnaas_acs_connection_requests_total",
                     {{"outcome", connection_request_outcome_name(result.outcome)}});
        if (shared->log) {
          shared->log(fmt::format("connection-request serial={} task={} outcome={} status={} "
                                  "elapsed_ms={} detail=\"{}\"",
                                  serial, id, connection_request_outcome_name(result.outcome),
                                  result.http_status, result.elapsed.count(), result.detail));
        }
      });
  if (!submitted && m_shared->log) {
    m_shared->log(fmt::format("connection-request serial={} task={} not sent: {}", device.serial,
                              id, submitted.error().message));
  }
}

void AcsServer::stop() {
  if (m_http) {
    // Parked `?wait=` requests answer now, with the task as it is, instead
    // of holding the HTTP server's stop until its deadline.
    m_management->stop();
    m_http->stop();
    m_http.reset();
    m_service->sweep(true);
    if (m_requester) {
      m_requester->stop();
    }
  }
}

} // namespace vpnaas::acs::session
