#include "support/cwmp/cpe_simulator.hpp"

#include <vpnaas/acs/auth.hpp>
#include <vpnaas/acs/connection_request_login.hpp>
#include <vpnaas/acs/http/server.hpp>
#include <vpnaas/cwmp/codec.hpp>

#include <curl/curl.h>
#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

namespace vpnaas::test {
namespace {

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* out) {
  std::string line(data, size * n);
  const auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ')) {
      value.erase(0, 1);
    }
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) {
      value.pop_back();
    }
    (*static_cast<std::map<std::string, std::string>*>(out))[name] = value;
  }
  return size * n;
}

// A CPE's HTTP client for one session: one connection (keep-alive), cookies
// kept, credentials as the mode sends them.
class Client {
public:
  explicit Client(const CpeConfig& config) : m_curl(curl_easy_init()) {
    if (m_curl == nullptr) {
      throw std::runtime_error("curl_easy_init failed");
    }
    curl_easy_setopt(m_curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(m_curl, CURLOPT_TIMEOUT_MS, 15000L);
    curl_easy_setopt(m_curl, CURLOPT_COOKIEFILE, ""); // the cookie engine, in memory
    if (!config.ca_file.empty()) {
      curl_easy_setopt(m_curl, CURLOPT_CAINFO, config.ca_file.c_str());
    }
    if (!config.username.empty()) {
      curl_easy_setopt(m_curl, CURLOPT_USERNAME, config.username.c_str());
      curl_easy_setopt(m_curl, CURLOPT_PASSWORD, config.password.c_str());
      // RouterOS answers the ACS's Digest challenge; the generic CPE sends
      // Basic before being asked, as many do.
      curl_easy_setopt(m_curl, CURLOPT_HTTPAUTH,
                       config.mode == CpeConfig::Mode::routeros ? CURLAUTH_DIGEST : CURLAUTH_BASIC);
    }
  }
  ~Client() { curl_easy_cleanup(m_curl); }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  HttpReply post(const std::string& url, const std::string& body) {
    HttpReply reply;
    curl_easy_setopt(m_curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(m_curl, CURLOPT_POST, 1L);
    curl_easy_setopt(m_curl, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(m_curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    curl_slist* headers = nullptr;
    if (!body.empty()) {
      headers = curl_slist_append(headers, "Content-Type: text/xml; charset=\"utf-8\"");
      headers = curl_slist_append(headers, "SOAPAction:");
    }
    headers = curl_slist_append(headers, "Expect:");
    curl_easy_setopt(m_curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(m_curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(m_curl, CURLOPT_WRITEDATA, &reply.body);
    curl_easy_setopt(m_curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(m_curl, CURLOPT_HEADERDATA, &reply.headers);
    const CURLcode rc = curl_easy_perform(m_curl);
    curl_slist_free_all(headers);
    if (rc != CURLE_OK) {
      reply.error = curl_easy_strerror(rc);
      return reply;
    }
    curl_easy_getinfo(m_curl, CURLINFO_RESPONSE_CODE, &reply.status);
    return reply;
  }

private:
  CURL* m_curl;
};

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

} // namespace

HttpReply http_call(const HttpCall& call) {
  HttpReply reply;
  CURL* curl = curl_easy_init();
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 15000L);
  curl_easy_setopt(curl, CURLOPT_URL, call.url.c_str());
  if (call.method == "GET") {
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  } else {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, call.method.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, call.body.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(call.body.size()));
  }
  if (!call.ca_file.empty()) {
    curl_easy_setopt(curl, CURLOPT_CAINFO, call.ca_file.c_str());
  }
  curl_slist* headers = curl_slist_append(nullptr, "Expect:");
  for (const std::string& h : call.headers) {
    headers = curl_slist_append(headers, h.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &reply.headers);
  const CURLcode rc = curl_easy_perform(curl);
  if (rc != CURLE_OK) {
    reply.error = curl_easy_strerror(rc);
  } else {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
  }
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return reply;
}

CpeSimulator::CpeSimulator(CpeConfig config) : m_config(std::move(config)) {
  const std::string root =
      m_config.mode == CpeConfig::Mode::routeros ? "Device." : "InternetGatewayDevice.";
  m_parameters[root + "DeviceInfo.SoftwareVersion"] =
      m_config.mode == CpeConfig::Mode::routeros ? "6.42rc49" : "1.0.3";
  m_parameters[root + "ManagementServer.ParameterKey"] = "";
  if (m_config.mode == CpeConfig::Mode::routeros) {
    m_parameters["Device.DeviceInfo.X_MIKROTIK_SystemIdentity"] = "MikroTik";
  }
}

cwmp::Inform CpeSimulator::make_inform(const std::vector<cwmp::EventStruct>& events) const {
  cwmp::Inform inform;
  if (m_config.mode == CpeConfig::Mode::routeros) {
    if (!m_template) {
      auto envelope = cwmp::read_envelope(read_text(m_config.inform_template));
      if (!envelope) {
        throw std::runtime_error("the RouterOS Inform template does not read: " +
                                 envelope.error().message);
      }
      m_template = std::get<cwmp::Inform>(envelope->body);
    }
    inform = *m_template;
  } else {
    inform.device_id = {"ExampleVendor", "001122", "Gateway", ""};
    inform.parameters = {
        {"InternetGatewayDevice.DeviceInfo.SoftwareVersion", "1.0.3", "string"},
        {"InternetGatewayDevice.ManagementServer.ConnectionRequestURL", "http://192.0.2.9:7547/cr",
         "string"},
    };
  }
  inform.device_id.serial_number = m_config.serial;
  inform.events = events;
  if (!m_config.connection_request_url.empty()) {
    bool replaced = false;
    for (auto& p : inform.parameters) {
      if (p.name.ends_with("ManagementServer.ConnectionRequestURL")) {
        p.value = m_config.connection_request_url;
        replaced = true;
      }
    }
    if (!replaced) {
      const std::string root =
          m_config.mode == CpeConfig::Mode::routeros ? "Device." : "InternetGatewayDevice.";
      inform.parameters.push_back({root + "ManagementServer.ConnectionRequestURL",
                                   m_config.connection_request_url, "string"});
    }
  }
  return inform;
}

cwmp::Body CpeSimulator::answer(const cwmp::Body& request, SessionLog& log) {
  const std::string method = cwmp::method_name(request);
  const auto* spv = std::get_if<cwmp::SetParameterValues>(&request);
  if (spv != nullptr && spv->parameter_key == acs::kConnectionRequestLoginKey) {
    log.connection_request_login_sent = true;
    if (const auto& fault = m_config.connection_request_login_fault) {
      return cwmp::Fault{fault->first, fault->second, {}};
    }
    log.connection_request_login_set = true;
    std::pair<std::string, std::string> login;
    for (const auto& p : spv->parameters) {
      m_parameters[p.name] = p.value;
      if (p.name.ends_with("ManagementServer.ConnectionRequestUsername")) {
        login.first = p.value;
      } else if (p.name.ends_with("ManagementServer.ConnectionRequestPassword")) {
        login.second = p.value;
      }
    }
    std::lock_guard lock(m_woken_mutex);
    m_cr_login = login;
    return cwmp::SetParameterValuesResponse{0};
  }
  log.rpcs.push_back(method);
  if (auto fault = m_config.faults.find(method); fault != m_config.faults.end()) {
    return cwmp::Fault{fault->second.first, fault->second.second, {}};
  }
  const std::string key = std::visit(
      [](const auto& rpc) -> std::string {
        using T = std::decay_t<decltype(rpc)>;
        if constexpr (requires { rpc.command_key; }) {
          return rpc.command_key;
        } else if constexpr (std::is_same_v<T, cwmp::SetParameterValues>) {
          return rpc.parameter_key;
        } else if constexpr (requires { rpc.names; }) {
          return rpc.names.empty() ? std::string() : rpc.names.front();
        } else {
          return {};
        }
      },
      request);
  m_received.push_back({method, key});
  if (auto fault = m_config.faults_by_key.find(key); fault != m_config.faults_by_key.end()) {
    return cwmp::Fault{fault->second.first, fault->second.second, {}};
  }
  if (auto fault = m_config.faults_once_by_key.find(key);
      fault != m_config.faults_once_by_key.end()) {
    const cwmp::Fault once{fault->second.first, fault->second.second, {}};
    m_config.faults_once_by_key.erase(fault);
    return once;
  }
  return std::visit(
      [&](const auto& rpc) -> cwmp::Body {
        using T = std::decay_t<decltype(rpc)>;
        if constexpr (std::is_same_v<T, cwmp::GetRPCMethods>) {
          return cwmp::GetRPCMethodsResponse{{"GetRPCMethods", "GetParameterValues",
                                              "SetParameterValues", "Reboot", "Download",
                                              "Upload"}};
        } else if constexpr (std::is_same_v<T, cwmp::GetParameterValues>) {
          cwmp::GetParameterValuesResponse response;
          for (const std::string& name : rpc.names) {
            for (const auto& [path, value] : m_parameters) {
              if (path.starts_with(name)) {
                response.parameters.push_back({path, value, "string"});
              }
            }
          }
          return response;
        } else if constexpr (std::is_same_v<T, cwmp::GetParameterNames>) {
          cwmp::GetParameterNamesResponse response;
          for (const auto& [path, value] : m_parameters) {
            if (path.starts_with(rpc.parameter_path)) {
              response.parameters.push_back({path, true});
            }
          }
          return response;
        } else if constexpr (std::is_same_v<T, cwmp::SetParameterValues>) {
          for (const auto& p : rpc.parameters) {
            m_parameters[p.name] = p.value;
          }
          return cwmp::SetParameterValuesResponse{0};
        } else if constexpr (std::is_same_v<T, cwmp::GetParameterAttributes>) {
          cwmp::GetParameterAttributesResponse response;
          for (const std::string& name : rpc.names) {
            for (const auto& [path, value] : m_parameters) {
              if (path.starts_with(name)) {
                const auto set = m_notifications.find(path);
                response.parameters.push_back(
                    {path, set == m_notifications.end() ? 0 : set->second, {}});
              }
            }
          }
          return response;
        } else if constexpr (std::is_same_v<T, cwmp::SetParameterAttributes>) {
          for (const auto& a : rpc.parameters) {
            if (a.notification_change) {
              m_notifications[a.name] = a.notification;
            }
          }
          return cwmp::SetParameterAttributesResponse{};
        } else if constexpr (std::is_same_v<T, cwmp::AddObject>) {
          // Instance numbers count up per object, as TR-069 A.3.2.6 asks
          // (never reused while the CPE runs).
          return cwmp::AddObjectResponse{++m_instances[rpc.object_name], 0};
        } else if constexpr (std::is_same_v<T, cwmp::DeleteObject>) {
          return cwmp::DeleteObjectResponse{0};
        } else if constexpr (std::is_same_v<T, cwmp::Reboot>) {
          m_next_events.push_back({"M Reboot", rpc.command_key});
          m_next_events.push_back({"1 BOOT", ""});
          return cwmp::RebootResponse{};
        } else if constexpr (std::is_same_v<T, cwmp::FactoryReset>) {
          m_next_events.push_back({"0 BOOTSTRAP", ""});
          return cwmp::FactoryResetResponse{};
        } else if constexpr (std::is_same_v<T, cwmp::Download>) {
          HttpCall get{"GET", rpc.url, {}, {}, m_config.ca_file};
          HttpReply file = http_call(get);
          log.transfer_statuses.push_back(file.status);
          cwmp::TransferComplete done;
          done.command_key = rpc.command_key;
          if (file.status == 200) {
            log.fetched.push_back(file.body);
            m_applied.push_back(rpc.command_key);
          } else {
            done.fault = {9010, fmt::format("download failed: HTTP {}", file.status)};
          }
          if (m_config.download_later) {
            m_transfers.push_back(done);
            if (!m_config.transfer_complete_without_event_7) {
              m_next_events.push_back({"7 TRANSFER COMPLETE", ""});
              m_next_events.push_back({"M Download", rpc.command_key});
            }
            return cwmp::DownloadResponse{1, {}, {}};
          }
          if (done.fault.fault_code != 0) {
            return cwmp::Fault{done.fault.fault_code, done.fault.fault_string, {}};
          }
          return cwmp::DownloadResponse{0, "2026-01-01T00:00:00Z", "2026-01-01T00:00:01Z"};
        } else if constexpr (std::is_same_v<T, cwmp::Upload>) {
          std::string content = m_config.upload_content;
          if (m_config.upload_content_names_key) {
            content += "# upload " + rpc.command_key + "\n";
          }
          HttpCall put{"PUT", rpc.url, content, {}, m_config.ca_file};
          HttpReply sent = http_call(put);
          log.transfer_statuses.push_back(sent.status);
          if (sent.status / 100 != 2) {
            return cwmp::Fault{9011, fmt::format("upload failed: HTTP {}", sent.status), {}};
          }
          return cwmp::UploadResponse{0, "2026-01-01T00:00:00Z", "2026-01-01T00:00:01Z"};
        } else {
          return cwmp::Fault{9000, "Method not supported", {}};
        }
      },
      request);
}

SessionLog CpeSimulator::run_session(std::vector<cwmp::EventStruct> events) {
  std::lock_guard session_lock(m_session_mutex);
  SessionLog log;
  for (auto& e : m_next_events) {
    events.insert(events.begin(), e);
  }
  // A CPE keeps its events until an InformResponse acknowledges them, and a
  // TransferComplete until the ACS answers it: a session broken before then
  // (the ACS crashed) reports them again in the next one.
  std::vector<cwmp::EventStruct> undelivered;
  undelivered.swap(m_next_events);
  log.events = events;
  Client client(m_config);
  cwmp::Envelope inform_envelope;
  inform_envelope.version = cwmp::Version::v1_0;
  inform_envelope.body = make_inform(events);
  HttpReply reply = client.post(m_config.acs_url, cwmp::write_envelope(inform_envelope));
  log.inform_status = reply.status;
  if (reply.status != 200) {
    undelivered.insert(undelivered.end(), m_next_events.begin(), m_next_events.end());
    m_next_events = std::move(undelivered);
    log.error =
        reply.error.empty() ? "Inform answered " + std::to_string(reply.status) : reply.error;
    return log;
  }
  while (!m_transfers.empty()) {
    cwmp::Envelope tc;
    tc.body = m_transfers.front();
    reply = client.post(m_config.acs_url, cwmp::write_envelope(tc));
    if (reply.status != 200) {
      log.error = "TransferComplete answered " + std::to_string(reply.status);
      return log;
    }
    m_transfers.erase(m_transfers.begin());
  }
  reply = client.post(m_config.acs_url, "");
  for (int round = 0; round < 100 && reply.status == 200; ++round) {
    auto request = cwmp::read_envelope(reply.body);
    if (!request) {
      log.error = "unreadable RPC: " + request.error().message;
      return log;
    }
    cwmp::Body body = answer(request->body, log);
    reply = client.post(m_config.acs_url, cwmp::write_envelope(cwmp::answer(*request, body)));
  }
  log.final_status = reply.status;
  if (reply.status != 204) {
    log.error =
        reply.error.empty() ? "session ended with " + std::to_string(reply.status) : reply.error;
  }
  return log;
}

} // namespace vpnaas::test

namespace vpnaas::test {
namespace {

std::string md5_hex(const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(text.data(), text.size(), digest, &size, EVP_md5(), nullptr);
  std::string hex;
  for (unsigned int i = 0; i < size; ++i) {
    hex += fmt::format("{:02x}", digest[i]);
  }
  return hex;
}

} // namespace

// The CPE's side of a connection request. The Digest check is computed here
// from RFC 2617 (MD5, qop=auth), not with the ACS's own verifier, so that a
// shared mistake cannot pass unnoticed.
class ConnectionRequestListener final : public acs::http::Handler {
public:
  explicit ConnectionRequestListener(CpeSimulator& cpe) : m_cpe(cpe) {}

  void handle(acs::http::Request request, acs::http::Responder respond) override {
    acs::http::Response response;
    if (request.method != "GET") {
      response.status = 405;
      return respond(std::move(response));
    }
    const auto login = m_cpe.connection_request_login();
    const std::string* header = request.header("Authorization");
    if (header == nullptr || !login) {
      return respond(challenge());
    }
    auto credentials = acs::auth::parse_authorization(*header);
    if (!credentials || credentials->scheme != acs::auth::Authorization::Scheme::digest) {
      return respond(challenge());
    }
    auto& p = credentials->params;
    bool known_nonce = false;
    {
      std::lock_guard lock(m_mutex);
      known_nonce = m_nonces.count(p["nonce"]) > 0;
    }
    const std::string ha1 = md5_hex(login->first + ":" + kRealm + ":" + login->second);
    const std::string ha2 = md5_hex("GET:" + p["uri"]);
    const std::string expected =
        md5_hex(ha1 + ":" + p["nonce"] + ":" + p["nc"] + ":" + p["cnonce"] + ":auth:" + ha2);
    if (!known_nonce || p["username"] != login->first || p["qop"] != "auth" ||
        p["uri"] != request.target || p["response"] != expected) {
      {
        std::lock_guard lock(m_cpe.m_woken_mutex);
        ++m_cpe.m_refused;
      }
      return respond(challenge());
    }
    response.status = 200;
    respond(std::move(response));
    m_cpe.woken();
  }

  std::unique_ptr<acs::http::HttpServer> server;

private:
  static constexpr const char* kRealm = "cpe-simulator";

  acs::http::Response challenge() {
    unsigned char raw[16];
    RAND_bytes(raw, sizeof raw);
    std::string nonce;
    for (unsigned char c : raw) {
      nonce += fmt::format("{:02x}", c);
    }
    {
      std::lock_guard lock(m_mutex);
      m_nonces.insert(nonce);
    }
    acs::http::Response response;
    response.status = 401;
    response.headers.push_back(
        {"WWW-Authenticate",
         fmt::format("Digest realm=\"{}\", nonce=\"{}\", qop=\"auth\", algorithm=MD5", kRealm,
                     nonce)});
    return response;
  }

  CpeSimulator& m_cpe;
  std::mutex m_mutex;
  std::set<std::string> m_nonces;
};

CpeSimulator::~CpeSimulator() {
  if (m_listener && m_listener->server) {
    // The server holds the listener as its handler: stopping it ends that cycle.
    m_listener->server->stop(std::chrono::seconds(2));
    m_listener->server.reset();
  }
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(m_woken_mutex);
    threads.swap(m_threads);
  }
  for (auto& t : threads) {
    t.join();
  }
}

std::string CpeSimulator::listen_for_connection_requests() {
  auto listener = std::make_shared<ConnectionRequestListener>(*this);
  acs::http::ServerOptions options;
  acs::http::Listener tcp;
  tcp.name = "connection-request";
  tcp.address = "127.0.0.1";
  tcp.port = 0;
  options.listeners.push_back(tcp);
  options.threads = 1;
  auto server = acs::http::HttpServer::start(std::move(options), listener);
  if (!server) {
    throw std::runtime_error("the CPE's connection-request listener: " + server.error().message);
  }
  m_config.connection_request_url =
      fmt::format("http://127.0.0.1:{}/cr-{}", (*server)->bound().front().port, m_config.serial);
  listener->server = std::move(*server);
  m_listener = std::move(listener);
  return m_config.connection_request_url;
}

void CpeSimulator::woken() {
  std::lock_guard lock(m_woken_mutex);
  ++m_accepted;
  m_threads.emplace_back([this] {
    SessionLog log = run_session({{"6 CONNECTION REQUEST", ""}});
    std::lock_guard done(m_woken_mutex);
    m_woken.push_back(std::move(log));
  });
}

std::vector<SessionLog> CpeSimulator::woken_sessions() const {
  std::lock_guard lock(m_woken_mutex);
  return m_woken;
}

bool CpeSimulator::wait_for_woken_sessions(std::size_t count,
                                           std::chrono::milliseconds timeout) const {
  const auto until = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    {
      std::lock_guard lock(m_woken_mutex);
      if (m_woken.size() >= count) {
        return true;
      }
    }
    if (std::chrono::steady_clock::now() > until) {
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

int CpeSimulator::connection_requests_accepted() const {
  std::lock_guard lock(m_woken_mutex);
  return m_accepted;
}

int CpeSimulator::connection_requests_refused() const {
  std::lock_guard lock(m_woken_mutex);
  return m_refused;
}

void CpeSimulator::set_connection_request_password(const std::string& password) {
  std::lock_guard lock(m_woken_mutex);
  if (m_cr_login) {
    m_cr_login->second = password;
  }
}

std::optional<std::pair<std::string, std::string>> CpeSimulator::connection_request_login() const {
  std::lock_guard lock(m_woken_mutex);
  return m_cr_login;
}

} // namespace vpnaas::test
