#pragma once

// What the acs_http tests share: a recording handler, a libcurl client, a
// raw TCP client for requests curl will not send, and a self-signed
// certificate made by the openssl command.

#include <vpnaas/acs/http/server.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace vpnaas::test::http {

using namespace vpnaas::acs::http;

// Answers "<method> <target> <body size>" at once, except:
// /slow: from another thread after `slow_delay`; /never: not at all (the
// responder is kept, so the connection waits).
class RecordingHandler : public Handler {
public:
  ~RecordingHandler() override;
  void handle(Request request, Responder respond) override;
  void connection_closed(std::uint64_t connection_id) override;

  std::vector<Request> requests() const;
  std::set<std::uint64_t> closed() const;
  // Blocks until `n` requests arrived or `timeout` passed; true when they did.
  bool wait_requests(std::size_t n, std::chrono::milliseconds timeout) const;

  std::chrono::milliseconds slow_delay{500};

private:
  mutable std::mutex m_mutex;
  mutable std::condition_variable m_arrived;
  std::vector<Request> m_requests;
  std::set<std::uint64_t> m_closed;
  std::vector<Responder> m_parked;
  std::vector<std::thread> m_workers;
};

// Thread-safe collection of what ServerOptions::on_event reports.
class EventLog {
public:
  EventSink sink();
  std::vector<ServerEvent> events() const;
  bool has(ServerEvent::Kind kind) const;

private:
  struct Shared {
    std::mutex mutex;
    std::vector<ServerEvent> events;
  };
  std::shared_ptr<Shared> m_shared = std::make_shared<Shared>();
};

struct CurlReply {
  int curl_code = 0; // CURLcode; 0 is CURLE_OK
  std::string curl_error;
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers; // names lowercased
  long new_connections = 0; // CURLINFO_NUM_CONNECTS: 0 when a kept-alive one was reused
};

// One libcurl easy handle: its connection cache gives keep-alive between calls.
class CurlClient {
public:
  CurlClient();
  ~CurlClient();
  CurlClient(const CurlClient&) = delete;
  CurlClient& operator=(const CurlClient&) = delete;

  void set_ca_file(const std::filesystem::path& file);
  void set_unix_socket(const std::filesystem::path& path);
  void set_timeout(std::chrono::milliseconds timeout);

  CurlReply get(const std::string& url);
  CurlReply post(const std::string& url, const std::string& body);

private:
  CurlReply perform(const std::string& url);
  void* m_curl;
};

// A connected TCP socket to 127.0.0.1:port (the test fails if it cannot).
int connect_local(std::uint16_t port);

// Sends `bytes` over a fresh TCP connection to 127.0.0.1:port and returns all
// the server sends back until it closes (or 5 s pass).
std::string raw_exchange(std::uint16_t port, const std::string& bytes);

// A self-signed certificate for 127.0.0.1 and localhost (and its key) in `dir`,
// made with the openssl command; cert.pem doubles as the client's CA file.
struct SelfSigned {
  std::filesystem::path cert;
  std::filesystem::path key;
};
SelfSigned make_self_signed(const std::filesystem::path& dir, const std::string& name = "server");

std::string base_url(const HttpServer& server, std::size_t listener = 0,
                     const std::string& scheme = "http");

// A started server, failing the test when it does not start.
std::unique_ptr<HttpServer> start_server(ServerOptions options, std::shared_ptr<Handler> handler);

} // namespace vpnaas::test::http
