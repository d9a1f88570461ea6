#pragma once

// Between server.cpp (listeners, threads, stop) and connection.cpp (one HTTP
// connection). Only Asio is needed here; Beast stays inside connection.cpp.

#include <vpnaas/acs/http/server.hpp>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/ssl/context.hpp>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace vpnaas::acs::http::detail {

namespace net = boost::asio;

class ConnectionBase {
public:
  virtual ~ConnectionBase() = default;
  // Both post onto the connection's own event loop; callable from any thread.
  // begin_stop: finish the request in hand (its response says Connection:
  // close), close at once when waiting for a request.
  virtual void begin_stop() = 0;
  virtual void force_close() = 0;
};

// Owned jointly by the server and by every Responder a handler holds, so that
// a Responder called after the server is gone finds `running` false.
struct SharedState {
  Limits limits;
  std::shared_ptr<Handler> handler;
  EventSink on_event;

  std::mutex mutex;
  std::condition_variable drained; // signalled when `connections` becomes empty
  bool running = true;             // the event loops exist: Responders may post to them
  bool stopping = false;           // no new connections; responses close their connection
  std::map<std::uint64_t, std::shared_ptr<ConnectionBase>> connections;
  std::size_t normal_count = 0;
  std::size_t overflow_count = 0; // being answered 503

  std::atomic<std::uint64_t> next_id{1};
  std::atomic<std::uint64_t> accepted{0};
  std::atomic<std::uint64_t> rejected{0};
  std::atomic<std::uint64_t> requests{0};

  void emit(ServerEvent event) const;
};

// Where an accepted socket came from.
struct Origin {
  std::string listener;
  std::string remote_address;
  std::uint16_t remote_port = 0;
};

// Each registers the connection in `state` (or answers 503 past the bound, or
// just closes past twice the bound) and starts it on the socket's own loop.
void admit_tcp(const std::shared_ptr<SharedState>& state, net::ip::tcp::socket socket,
               Origin origin);
void admit_tls(const std::shared_ptr<SharedState>& state, net::ip::tcp::socket socket,
               std::shared_ptr<net::ssl::context> tls, Origin origin);
void admit_unix(const std::shared_ptr<SharedState>& state,
                net::local::stream_protocol::socket socket, Origin origin);

} // namespace vpnaas::acs::http::detail
