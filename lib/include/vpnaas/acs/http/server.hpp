#pragma once

#include <vpnaas/acs/http/message.hpp>
#include <vpnaas/core/error.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace vpnaas::acs::http {

struct Listener {
  enum class Kind { tcp, tls, unix_socket };
  Kind kind = Kind::tcp;
  std::string name;                  // for Request::listener and logs, e.g. "cwmp", "management"
  std::string address = "127.0.0.1"; // an IPv4 or IPv6 literal (tcp, tls)
  std::uint16_t port = 0;            // 0: the system picks one; see HttpServer::bound()
  std::filesystem::path cert_file;   // tls: PEM certificate chain, server first
  std::filesystem::path key_file;    // tls: PEM private key
  std::filesystem::path socket_path; // unix_socket: created with mode 0600
};

// The defaults suit CWMP: an Inform with its parameters is a few kilobytes, a
// session is a handful of requests, and a CPE retries after a 503.
struct Limits {
  std::size_t max_body_bytes = 4 * 1024 * 1024; // larger: 413
  std::uint32_t max_header_bytes = 16 * 1024;   // request line and headers; larger: 431
  std::size_t max_connections = 4096;           // open at once across listeners; past it: 503
  unsigned retry_after_seconds = 30;            // sent with each 503
  std::chrono::milliseconds idle_timeout{std::chrono::seconds(30)};        // for each whole request
  std::chrono::milliseconds connection_lifetime{std::chrono::minutes(10)}; // hard cap
  std::chrono::milliseconds tls_handshake_timeout{std::chrono::seconds(10)};
};

struct ServerOptions {
  std::vector<Listener> listeners;
  Limits limits;
  unsigned threads = 0; // 0: std::thread::hardware_concurrency()
  EventSink on_event;   // optional
};

// Where a listener ended up: its port when 0 was asked for.
struct BoundListener {
  std::string name;
  Listener::Kind kind = Listener::Kind::tcp;
  std::string address;
  std::uint16_t port = 0;
  std::filesystem::path socket_path;
};

struct ServerStats {
  std::size_t open_connections = 0;
  std::uint64_t accepted = 0; // connections taken, all time, those answered 503 included
  std::uint64_t rejected = 0; // answered 503 because of max_connections
  std::uint64_t requests = 0; // handed to the handler
};

// An HTTP/1.1 server (keep-alive, TLS, Unix socket) running on its own threads,
// each with its own event loop. Nothing here knows CWMP: it reads requests
// with Boost.Beast's parser, hands them to the Handler and writes what the
// handler answers.
class HttpServer {
public:
  // Loads the TLS material, binds and listens on every listener, then starts
  // the threads. Fails with ErrorCode::io naming the file when a certificate
  // or key does not load, naming the address when a bind fails (in use, no
  // permission), and naming the path when a Unix socket is in use by a
  // running server or the path holds something that is not a socket.
  static Result<std::unique_ptr<HttpServer>> start(ServerOptions options,
                                                   std::shared_ptr<Handler> handler);

  // Stops within `deadline` (see stop()).
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // In the order of ServerOptions::listeners.
  const std::vector<BoundListener>& bound() const;

  // Graceful stop: closes the listeners (and removes Unix socket files),
  // closes connections waiting for a request, lets requests already with the
  // handler finish and their responses go out (with Connection: close) until
  // `deadline`, then closes what is left and joins the threads. Safe to call
  // twice; must not be called from a handler or an event sink.
  void stop(std::chrono::milliseconds deadline = std::chrono::seconds(10));

  ServerStats stats() const;

private:
  class Impl;
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> m_impl;
};

} // namespace vpnaas::acs::http
