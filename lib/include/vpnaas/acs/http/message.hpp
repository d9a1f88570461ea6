#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace vpnaas::acs::http {

struct Header {
  std::string name;
  std::string value;
};

// One HTTP request as the server read it, with where it came from. The
// server layer knows nothing of CWMP: a session layer above it keys its state
// on connection_id (a new TCP connection gets a new id) and on cookies.
struct Request {
  std::string method;          // "POST", as sent
  std::string target;          // "/acs?x=1", as sent
  unsigned version = 11;       // 10 or 11
  std::vector<Header> headers; // in arrival order, repeated names kept
  std::string body;
  std::string remote_address; // "192.0.2.7", "::1", or "unix" for the Unix socket
  std::uint16_t remote_port = 0;
  bool tls = false;
  std::uint64_t connection_id = 0; // unique per server run, starting at 1
  std::string listener;            // the name of the listener it arrived on

  // The first header of that name (ASCII case-insensitive), or nullptr.
  const std::string* header(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::vector<Header> headers; // Content-Length is set by the server
  std::string body;            // dropped for 1xx, 204 and 304, which must not carry one
  bool close = false;          // close the connection after this response
};

// Completes a request. Callable from any thread, at most once, any time
// later: a handler may park a request until a task arrives without holding a
// thread. A Responder dropped without a call leaves the connection waiting
// until its lifetime cap closes it. Calling it after the server stopped or the
// connection closed does nothing.
using Responder = std::function<void(Response)>;

// What the server calls, on its threads and possibly from several at once.
// handle() must not block: anything slow happens elsewhere and calls the
// responder later.
class Handler {
public:
  virtual ~Handler() = default;
  virtual void handle(Request request, Responder respond) = 0;
  // A connection closed (by either side, a timeout or the server stopping);
  // its id is never used again.
  virtual void connection_closed(std::uint64_t connection_id) { (void)connection_id; }
};

// "Not Found" for 404; "" for a code with no standard reason.
std::string_view reason_phrase(int status);

// The server's own answers and troubles, for the log of whoever runs it.
struct ServerEvent {
  enum class Kind {
    bad_request,          // unparsable request line or headers: 400
    body_too_large,       // 413
    headers_too_large,    // 431
    overloaded,           // the connection bound was reached: 503 with Retry-After
    tls_handshake_failed, // or timed out
    accept_failed,
  };
  Kind kind;
  std::uint64_t connection_id = 0; // 0 when there is no connection yet
  std::string remote_address;
  std::string detail; // the parser's or OpenSSL's words
};

const char* server_event_name(ServerEvent::Kind kind);

// Called from server threads, possibly at once from several: must be thread-safe.
using EventSink = std::function<void(const ServerEvent&)>;

} // namespace vpnaas::acs::http
