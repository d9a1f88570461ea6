#include "support/cwmp/cpe_simulator.hpp"

#include <vpnaas/cwmp/codec.hpp>

#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <fstream>
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
  return inform;
}

cwmp::Body CpeSimulator::answer(const cwmp::Body& request, SessionLog& log) {
  const std::string method = cwmp::method_name(request);
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
          return cwmp::GetParameterAttributesResponse{};
        } else if constexpr (std::is_same_v<T, cwmp::SetParameterAttributes>) {
          return cwmp::SetParameterAttributesResponse{};
        } else if constexpr (std::is_same_v<T, cwmp::AddObject>) {
          return cwmp::AddObjectResponse{1, 0};
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
          HttpCall put{"PUT", rpc.url, m_config.upload_content, {}, m_config.ca_file};
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
