// One HTTP/1.1 connection: read a request with Beast's parser, hand it to the
// Handler, write its response, repeat while keep-alive lasts. The whole of
// Beast's HTTP code is compiled here and only here.

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <exception>
#include <optional>
#include <string_view>
#include <type_traits>
#include <utility>

#include "shared_state.hpp"

namespace vpnaas::acs::http::detail {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using error_code = boost::system::error_code;

void SharedState::emit(ServerEvent event) const {
  if (!on_event) {
    return;
  }
  try {
    on_event(event);
  } catch (...) {
    // A failing log sink must not take a connection down with it.
  }
}

namespace {

using TcpStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;
using UnixStream = beast::basic_stream<net::local::stream_protocol>;

// Sent before reading a body the client holds back (curl does for bodies
// over 1 KiB): without it the client waits a second before sending anyway.
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

// A connection answering 503 past the bound gets this long to send its request.
constexpr std::chrono::milliseconds kOverflowReadTimeout{std::chrono::seconds(5)};

bool header_text_ok(std::string_view text) {
  return text.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

bool status_without_body(unsigned status) {
  return status < 200 || status == 204 || status == 304;
}

template <class Stream>
class Connection final : public ConnectionBase,
                         public std::enable_shared_from_this<Connection<Stream>> {
public:
  template <class Arg>
  Connection(std::shared_ptr<SharedState> state, std::uint64_t id, bool overflow, Origin origin,
             std::shared_ptr<net::ssl::context> tls, Arg&& stream_arg)
      : m_state(std::move(state)), m_tls(std::move(tls)),
        m_stream(make_stream(std::forward<Arg>(stream_arg), m_tls.get())),
        m_lifetime(m_stream.get_executor()), m_id(id), m_overflow(overflow),
        m_origin(std::move(origin)) {}

  net::any_io_executor executor() { return m_stream.get_executor(); }

  void start() {
    m_lifetime.expires_after(m_state->limits.connection_lifetime);
    m_lifetime.async_wait([self = this->shared_from_this()](error_code ec) {
      if (!ec) {
        self->close();
      }
    });
    if constexpr (std::is_same_v<Stream, TlsStream>) {
      m_phase = Phase::handshake;
      lowest().expires_after(m_state->limits.tls_handshake_timeout);
      m_stream.async_handshake(
          net::ssl::stream_base::server,
          [self = this->shared_from_this()](error_code ec) { self->on_handshake(ec); });
    } else {
      read_request();
    }
  }

  void begin_stop() override {
    net::post(m_stream.get_executor(), [self = this->shared_from_this()] {
      self->m_stop_requested = true;
      bool waiting_for_request = self->m_phase == Phase::reading && self->m_buffer.size() == 0 &&
                                 !(self->m_parser && self->m_parser->got_some());
      if (self->m_phase == Phase::handshake || waiting_for_request) {
        self->close();
      }
    });
  }

  void force_close() override {
    net::post(m_stream.get_executor(), [self = this->shared_from_this()] { self->close(); });
  }

private:
  enum class Phase { handshake, reading, handling, writing, closed };

  template <class Arg>
  static Stream make_stream(Arg&& arg, net::ssl::context* tls) {
    if constexpr (std::is_same_v<Stream, TlsStream>) {
      return Stream(beast::tcp_stream(std::forward<Arg>(arg)), *tls);
    } else {
      (void)tls;
      return Stream(std::forward<Arg>(arg));
    }
  }

  auto& lowest() { return beast::get_lowest_layer(m_stream); }

  std::chrono::milliseconds read_timeout() const {
    return m_overflow ? std::min(m_state->limits.idle_timeout, kOverflowReadTimeout)
                      : m_state->limits.idle_timeout;
  }

  void on_handshake(error_code ec) {
    if (m_phase == Phase::closed) {
      return;
    }
    if (ec) {
      m_state->emit({ServerEvent::Kind::tls_handshake_failed, m_id, m_origin.remote_address,
                     ec == beast::error::timeout ? "timed out" : ec.message()});
      close();
      return;
    }
    read_request();
  }

  void read_request() {
    if (m_stop_requested) {
      close();
      return;
    }
    m_phase = Phase::reading;
    m_parser.emplace();
    m_parser->header_limit(m_state->limits.max_header_bytes);
    m_parser->body_limit(m_state->limits.max_body_bytes);
    lowest().expires_after(read_timeout());
    bhttp::async_read_header(
        m_stream, m_buffer, *m_parser,
        [self = this->shared_from_this()](error_code ec, std::size_t) { self->on_header(ec); });
  }

  void on_header(error_code ec) {
    if (m_phase == Phase::closed) {
      return;
    }
    if (ec) {
      on_read_error(ec);
      return;
    }
    auto& header = m_parser->get();
    auto expect = header[bhttp::field::expect];
    bool wants_continue =
        header.version() == 11 && beast::iequals(expect, "100-continue") && !m_parser->is_done();
    if (m_overflow && wants_continue) {
      // The body was never sent: answer without reading it.
      answer_overloaded();
      return;
    }
    if (wants_continue) {
      net::async_write(m_stream, net::buffer(kContinue.data(), kContinue.size()),
                       [self = this->shared_from_this()](error_code wec, std::size_t) {
                         if (wec) {
                           self->close();
                           return;
                         }
                         self->read_body();
                       });
      return;
    }
    read_body();
  }

  void read_body() {
    if (m_parser->is_done()) {
      on_request(error_code{});
      return;
    }
    bhttp::async_read(
        m_stream, m_buffer, *m_parser,
        [self = this->shared_from_this()](error_code ec, std::size_t) { self->on_request(ec); });
  }

  void on_request(error_code ec) {
    if (m_phase == Phase::closed) {
      return;
    }
    if (ec) {
      on_read_error(ec);
      return;
    }
    if (m_overflow) {
      answer_overloaded();
      return;
    }
    dispatch();
  }

  void on_read_error(error_code ec) {
    if (ec == bhttp::error::body_limit) {
      m_state->emit({ServerEvent::Kind::body_too_large, m_id, m_origin.remote_address,
                     "over " + std::to_string(m_state->limits.max_body_bytes) + " bytes"});
      answer_error(413);
    } else if (ec == bhttp::error::header_limit) {
      m_state->emit({ServerEvent::Kind::headers_too_large, m_id, m_origin.remote_address,
                     "over " + std::to_string(m_state->limits.max_header_bytes) + " bytes"});
      answer_error(431);
    } else if (ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category() &&
               ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message) {
      m_state->emit({ServerEvent::Kind::bad_request, m_id, m_origin.remote_address, ec.message()});
      answer_error(400);
    } else {
      // The peer left, went quiet past the idle timeout, or we closed.
      close();
    }
  }

  void answer_error(int status) {
    Response response;
    response.status = status;
    response.headers.push_back({"Content-Type", "text/plain"});
    response.body = std::string(reason_phrase(status)) + "\n";
    response.close = true;
    m_request_version = 11;
    m_request_is_head = false;
    m_request_keep_alive = false;
    send(std::move(response));
  }

  void answer_overloaded() {
    m_state->rejected.fetch_add(1);
    m_state->emit({ServerEvent::Kind::overloaded, m_id, m_origin.remote_address,
                   std::to_string(m_state->limits.max_connections) + " connections open"});
    Response response;
    response.status = 503;
    response.headers.push_back({"Content-Type", "text/plain"});
    response.body = "Service Unavailable\n";
    response.close = true;
    remember_request();
    send(std::move(response));
  }

  void remember_request() {
    const auto& header = m_parser->get();
    m_request_version = header.version();
    m_request_is_head = header.method() == bhttp::verb::head;
    m_request_keep_alive = header.keep_alive();
  }

  void dispatch() {
    remember_request();
    auto message = m_parser->release();
    Request request;
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    request.version = message.version();
    for (const auto& field : message) {
      request.headers.push_back({std::string(field.name_string()), std::string(field.value())});
    }
    request.body = std::move(message.body());
    request.remote_address = m_origin.remote_address;
    request.remote_port = m_origin.remote_port;
    request.tls = std::is_same_v<Stream, TlsStream>;
    request.connection_id = m_id;
    request.listener = m_origin.listener;

    m_phase = Phase::handling;
    m_state->requests.fetch_add(1);
    std::weak_ptr<Connection> weak = this->shared_from_this();
    auto sequence = ++m_sequence;
    Responder respond = [state = m_state, weak, sequence](Response response) {
      // Under the lock: the server cannot drop its event loops between the
      // check and the post.
      std::lock_guard lock(state->mutex);
      if (!state->running) {
        return;
      }
      if (auto self = weak.lock()) {
        auto executor = self->m_stream.get_executor();
        net::post(executor,
                  [self = std::move(self), sequence, response = std::move(response)]() mutable {
                    // A second call, or a call for an earlier request, must not answer
                    // the request in hand now.
                    if (self->m_phase == Phase::handling && self->m_sequence == sequence) {
                      self->send(std::move(response));
                    }
                  });
      }
    };
    try {
      m_state->handler->handle(std::move(request), std::move(respond));
    } catch (const std::exception&) {
      Response failed;
      failed.status = 500;
      failed.close = true;
      send(std::move(failed));
    }
  }

  void send(Response response) {
    m_phase = Phase::writing;
    bool headers_ok =
        std::all_of(response.headers.begin(), response.headers.end(), [](const Header& h) {
          return !h.name.empty() && header_text_ok(h.name) && header_text_ok(h.value);
        });
    if (!headers_ok || response.status < 200 || response.status > 999) {
      // A handler bug; the client gets a plain failure rather than a split response.
      response = Response{500, {}, "Internal Server Error\n", true};
    }
    m_response = {};
    m_response.version(m_request_version);
    m_response.result(static_cast<unsigned>(response.status));
    bool has_retry_after = false;
    for (auto& h : response.headers) {
      if (beast::iequals(h.name, "Content-Length") || beast::iequals(h.name, "Connection") ||
          beast::iequals(h.name, "Transfer-Encoding")) {
        continue; // the server owns the framing
      }
      has_retry_after = has_retry_after || beast::iequals(h.name, "Retry-After");
      m_response.insert(h.name, h.value);
    }
    if (response.status == 503 && !has_retry_after) {
      m_response.set(bhttp::field::retry_after,
                     std::to_string(m_state->limits.retry_after_seconds));
    }
    m_keep_alive = m_request_keep_alive && !response.close && !m_stop_requested && !m_overflow;
    m_response.keep_alive(m_keep_alive);
    if (status_without_body(m_response.result_int())) {
      m_response.body().clear();
    } else {
      m_response.body() = std::move(response.body);
      m_response.prepare_payload();
      if (m_request_is_head) {
        m_response.body().clear(); // Content-Length still says what GET would send
      }
    }
    lowest().expires_after(m_state->limits.idle_timeout);
    bhttp::async_write(
        m_stream, m_response,
        [self = this->shared_from_this()](error_code ec, std::size_t) { self->on_write(ec); });
  }

  void on_write(error_code ec) {
    if (m_phase == Phase::closed) {
      return;
    }
    if (ec || !m_keep_alive) {
      close();
      return;
    }
    read_request();
  }

  void close() {
    if (m_phase == Phase::closed) {
      return;
    }
    auto keep = this->shared_from_this(); // the registry may hold the last reference
    m_phase = Phase::closed;
    m_lifetime.cancel();
    error_code ignored;
    lowest().socket().shutdown(net::socket_base::shutdown_both, ignored);
    lowest().close();
    {
      std::lock_guard lock(m_state->mutex);
      m_state->connections.erase(m_id);
      --(m_overflow ? m_state->overflow_count : m_state->normal_count);
      if (m_state->connections.empty()) {
        m_state->drained.notify_all();
      }
    }
    if (!m_overflow) {
      m_state->handler->connection_closed(m_id);
    }
  }

  std::shared_ptr<SharedState> m_state;
  std::shared_ptr<net::ssl::context> m_tls; // before m_stream, which refers to it
  Stream m_stream;
  net::steady_timer m_lifetime;
  std::uint64_t m_id;
  bool m_overflow;
  Origin m_origin;
  Phase m_phase = Phase::reading;
  bool m_stop_requested = false;
  std::uint64_t m_sequence = 0; // of the request with the handler
  beast::flat_buffer m_buffer;
  std::optional<bhttp::request_parser<bhttp::string_body>> m_parser;
  bhttp::response<bhttp::string_body> m_response;
  unsigned m_request_version = 11;
  bool m_request_is_head = false;
  bool m_request_keep_alive = true;
  bool m_keep_alive = true;
};

template <class Stream, class Socket>
void admit(const std::shared_ptr<SharedState>& state, Socket socket,
           std::shared_ptr<net::ssl::context> tls, Origin origin) {
  std::shared_ptr<Connection<Stream>> connection;
  bool refused = false;
  bool unanswered = false;
  std::string remote = origin.remote_address;
  {
    std::lock_guard lock(state->mutex);
    bool overflow = state->normal_count >= state->limits.max_connections;
    // Answering 503 costs a connection too: past twice the bound, just close.
    if (state->stopping || (overflow && state->overflow_count >= state->limits.max_connections)) {
      refused = true;
      unanswered = !state->stopping;
    } else {
      ++(overflow ? state->overflow_count : state->normal_count);
      auto id = state->next_id.fetch_add(1);
      connection = std::make_shared<Connection<Stream>>(state, id, overflow, std::move(origin),
                                                        std::move(tls), std::move(socket));
      state->connections.emplace(id, connection);
    }
  }
  if (unanswered) {
    state->rejected.fetch_add(1);
    state->emit({ServerEvent::Kind::overloaded, 0, remote,
                 "closed unanswered: twice " + std::to_string(state->limits.max_connections) +
                     " connections open"});
  }
  if (refused) {
    // Closed only once counted and logged: a client that sees the close can
    // rely on the server's figures already saying so.
    error_code ignored;
    socket.close(ignored);
    return;
  }
  if (!connection) {
    return;
  }
  state->accepted.fetch_add(1);
  net::post(connection->executor(), [connection] { connection->start(); });
}

} // namespace

void admit_tcp(const std::shared_ptr<SharedState>& state, net::ip::tcp::socket socket,
               Origin origin) {
  admit<TcpStream>(state, std::move(socket), nullptr, std::move(origin));
}

void admit_tls(const std::shared_ptr<SharedState>& state, net::ip::tcp::socket socket,
               std::shared_ptr<net::ssl::context> tls, Origin origin) {
  admit<TlsStream>(state, std::move(socket), std::move(tls), std::move(origin));
}

void admit_unix(const std::shared_ptr<SharedState>& state,
                net::local::stream_protocol::socket socket, Origin origin) {
  admit<UnixStream>(state, std::move(socket), nullptr, std::move(origin));
}

} // namespace vpnaas::acs::http::detail
