#include <vpnaas/acs/session/server.hpp>
#include <vpnaas/acs/sqlite_store.hpp>
#include <vpnaas/core/private_dirs.hpp>
#include <vpnaas/secrets/cpe_credentials.hpp>

#include <fmt/format.h>

#include <charconv>
#include <cstdlib>

namespace vpnaas::acs::session {

Bindings bindings_from(const inventory::Inventory& inventory) {
  Bindings bindings;
  for (const auto& cluster : inventory.clusters) {
    for (const auto& device : cluster.devices) {
      if (device.serial) {
        bindings[device.serial->value] = device.name.value;
      }
    }
  }
  for (const auto& customer : inventory.customers) {
    for (const auto& site : customer.sites) {
      if (site.device.serial) {
        bindings[site.device.serial->value] = site.device.name.value;
      }
    }
  }
  return bindings;
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
  if (!config.insecure_no_cpe_auth && !config.key) {
    return make_error(ErrorCode::missing_secret, "CPE authentication needs the master key",
                      "provide it as the other commands take it (--key-file, $VPNAAS_MASTER_KEY)");
  }
  if (auto made = create_private_directories(config.data_dir); !made) {
    return made.error();
  }
  std::unique_ptr<AcsServer> server(new AcsServer());
  server->m_database = config.data_dir / "acs.sqlite";
  auto store = open_sqlite_store(server->m_database);
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

  CwmpServiceOptions options;
  options.store = server->m_store;
  options.insecure_no_cpe_auth = config.insecure_no_cpe_auth;
  options.idle_timeout = config.idle_timeout;
  options.session_cap = config.session_cap;
  options.max_sessions = config.max_sessions;
  options.log = config.log;
  if (config.key) {
    options.password_for = [key = *config.key](const std::string& serial) -> Result<std::string> {
      auto credentials = secrets::derive_cpe_credentials(key, serial);
      if (!credentials) {
        return credentials.error();
      }
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
  http_options.limits = config.limits;
  http_options.threads = config.threads;
  if (config.log) {
    http_options.on_event = [log = config.log](const http::ServerEvent& e) {
      log(fmt::format("http {} remote={} connection={} detail=\"{}\"",
                      http::server_event_name(e.kind), e.remote_address, e.connection_id,
                      e.detail));
    };
  }
  auto http = http::HttpServer::start(std::move(http_options), server->m_service);
  if (!http) {
    return http.error();
  }
  server->m_http = std::move(*http);
  const http::BoundListener& bound = server->m_http->bound().front();
  const bool v6 = bound.address.find(':') != std::string::npos;
  server->m_url = fmt::format("{}://{}{}{}:{}", tls ? "https" : "http", v6 ? "[" : "",
                              bound.address, v6 ? "]" : "", bound.port);
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

void AcsServer::reload(Bindings bindings) {
  m_service->set_bindings(std::move(bindings));
}

void AcsServer::stop() {
  if (m_http) {
    m_http->stop();
    m_http.reset();
    m_service->sweep(true);
  }
}

} // namespace vpnaas::acs::session
