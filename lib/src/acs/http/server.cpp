// Listeners, event loops and stopping. One io_context per thread: accepted
// sockets are spread round-robin over the loops, and a connection lives on
// its loop alone, so no connection needs a strand or a lock of its own.

#include <fmt/format.h>
#include <openssl/ssl.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <future>
#include <sys/stat.h>
#include <system_error>
#include <thread>
#include <variant>

#include "shared_state.hpp"

namespace vpnaas::acs::http {

namespace net = boost::asio;
using error_code = boost::system::error_code;
using detail::SharedState;

namespace {

using Tcp = net::ip::tcp;
using Local = net::local::stream_protocol;

// After a failed accept (out of file descriptors, say): wait before the next
// try instead of spinning on the same error.
constexpr std::chrono::milliseconds kAcceptRetryDelay{100};
// At most this many connections taken from the listen queue per accept
// handler, so that a flood of connects cannot starve the first loop's
// sessions.
constexpr int kAcceptBurst = 64;

Error listen_error(const std::string& what, const error_code& ec, std::string hint) {
  return make_error(ErrorCode::io, fmt::format("cannot listen on {}: {}", what, ec.message()),
                    std::move(hint));
}

Result<std::shared_ptr<net::ssl::context>> load_tls(const Listener& listener) {
  auto file_error = [](const char* what, const std::filesystem::path& file, std::string reason) {
    return make_error(
        ErrorCode::io, fmt::format("cannot load the TLS {} {}: {}", what, file.string(), reason),
        "give PEM files: the certificate chain with the server's own certificate first, and "
        "the unencrypted private key that belongs to it");
  };
  for (const auto* file : {&listener.cert_file, &listener.key_file}) {
    std::error_code fs_ec;
    if (file->empty() || !std::filesystem::is_regular_file(*file, fs_ec)) {
      return file_error(file == &listener.cert_file ? "certificate" : "private key", *file,
                        file->empty() ? "no file given" : "no such file");
    }
  }
  auto context = std::make_shared<net::ssl::context>(net::ssl::context::tls_server);
  context->set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                       net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 |
                       net::ssl::context::no_tlsv1_1 | net::ssl::context::single_dh_use);
  error_code ec;
  context->use_certificate_chain_file(listener.cert_file.string(), ec);
  if (ec) {
    return file_error("certificate", listener.cert_file, ec.message());
  }
  context->use_private_key_file(listener.key_file.string(), net::ssl::context::pem, ec);
  if (ec) {
    return file_error("private key", listener.key_file, ec.message());
  }
  if (SSL_CTX_check_private_key(context->native_handle()) != 1) {
    return file_error("private key", listener.key_file,
                      "it does not belong to the certificate " + listener.cert_file.string());
  }
  return context;
}

// A Unix socket file left by a server that died is removed; one a running
// server answers on is not.
Status clear_socket_path(const std::filesystem::path& path, net::io_context& io) {
  std::error_code fs_ec;
  auto status = std::filesystem::symlink_status(path, fs_ec);
  if (!std::filesystem::exists(status)) {
    return Ok{};
  }
  if (!std::filesystem::is_socket(status)) {
    return make_error(
        ErrorCode::io,
        fmt::format("cannot listen on {}: it exists and is not a socket", path.string()),
        "remove it, or choose another path");
  }
  Local::socket probe(io);
  error_code ec;
  probe.connect(Local::endpoint(path.string()), ec);
  if (!ec) {
    return make_error(
        ErrorCode::io,
        fmt::format("cannot listen on {}: a running server answers there", path.string()),
        "stop that server first, or choose another path");
  }
  std::filesystem::remove(path, fs_ec);
  return Ok{};
}

} // namespace

class HttpServer::Impl {
public:
  Impl(ServerOptions options, std::shared_ptr<Handler> handler)
      : m_options(std::move(options)), m_state(std::make_shared<SharedState>()) {
    m_state->limits = m_options.limits;
    m_state->handler = std::move(handler);
    m_state->on_event = m_options.on_event;
    unsigned threads = m_options.threads != 0 ? m_options.threads
                                              : std::max(1u, std::thread::hardware_concurrency());
    for (unsigned i = 0; i < threads; ++i) {
      m_loops.push_back(std::make_unique<net::io_context>(1));
    }
  }

  ~Impl() { stop(std::chrono::milliseconds(0)); }

  Status open() {
    for (const auto& listener : m_options.listeners) {
      auto status =
          listener.kind == Listener::Kind::unix_socket ? open_unix(listener) : open_tcp(listener);
      if (!status) {
        return status;
      }
    }
    return Ok{};
  }

  void run() {
    for (auto& loop : m_loops) {
      m_guards.emplace_back(loop->get_executor());
    }
    for (auto& acceptor : m_acceptors) {
      net::post(*m_loops[0], [this, a = acceptor.get()] { accept_next(*a); });
    }
    for (auto& loop : m_loops) {
      m_threads.emplace_back([io = loop.get()] {
        for (;;) {
          try {
            io->run();
            return;
          } catch (...) {
            // A throwing handler must not end the loop of every connection on it.
          }
        }
      });
    }
  }

  void stop(std::chrono::milliseconds deadline) {
    {
      std::lock_guard lock(m_state->mutex);
      if (m_stopped) {
        return;
      }
      m_stopped = true;
      m_state->stopping = true;
    }
    if (!m_threads.empty()) {
      // The acceptors belong to loop 0: close them there.
      std::promise<void> closed;
      net::post(*m_loops[0], [this, &closed] {
        close_acceptors();
        closed.set_value();
      });
      closed.get_future().wait();
    } else {
      close_acceptors();
    }
    for (const auto& bound : m_bound) {
      if (bound.kind == Listener::Kind::unix_socket) {
        std::error_code ignored;
        std::filesystem::remove(bound.socket_path, ignored);
      }
    }
    for_each_connection([](detail::ConnectionBase& c) { c.begin_stop(); });
    wait_drained(deadline);
    for_each_connection([](detail::ConnectionBase& c) { c.force_close(); });
    wait_drained(std::chrono::seconds(1));
    {
      std::lock_guard lock(m_state->mutex);
      m_state->running = false;
    }
    m_guards.clear();
    for (auto& loop : m_loops) {
      loop->stop();
    }
    for (auto& thread : m_threads) {
      thread.join();
    }
    m_threads.clear();
    // Destroyed while the loops they belong to still exist.
    decltype(m_state->connections) left;
    {
      std::lock_guard lock(m_state->mutex);
      left.swap(m_state->connections);
    }
    left.clear();
    // A handler that keeps Responders (which hold this state) would otherwise
    // keep itself alive through them.
    m_state->handler.reset();
    m_state->on_event = nullptr;
  }

  ServerStats stats() const {
    ServerStats stats;
    {
      std::lock_guard lock(m_state->mutex);
      stats.open_connections = m_state->normal_count + m_state->overflow_count;
    }
    stats.accepted = m_state->accepted.load();
    stats.rejected = m_state->rejected.load();
    stats.requests = m_state->requests.load();
    return stats;
  }

  std::vector<BoundListener> m_bound;

private:
  struct Acceptor {
    Listener listener;
    std::variant<Tcp::acceptor, Local::acceptor> socket;
    std::shared_ptr<net::ssl::context> tls;
    net::steady_timer retry;
  };

  Status open_tcp(const Listener& listener) {
    std::shared_ptr<net::ssl::context> tls;
    if (listener.kind == Listener::Kind::tls) {
      auto loaded = load_tls(listener);
      if (!loaded) {
        return loaded.error();
      }
      tls = std::move(*loaded);
    }
    error_code ec;
    auto address = net::ip::make_address(listener.address, ec);
    if (ec) {
      return make_error(ErrorCode::invalid_input,
                        fmt::format("'{}' is not an IP address to listen on", listener.address),
                        "give an IPv4 or IPv6 literal such as 0.0.0.0, 127.0.0.1 or ::");
    }
    Tcp::endpoint endpoint(address, listener.port);
    auto where = fmt::format("{}:{}", listener.address, listener.port);
    Tcp::acceptor acceptor(*m_loops[0]);
    if (acceptor.open(endpoint.protocol(), ec) ||
        acceptor.set_option(net::socket_base::reuse_address(true), ec) ||
        acceptor.bind(endpoint, ec) ||
        acceptor.listen(net::socket_base::max_listen_connections, ec) ||
        // accept_queued's accept() returns at once when the queue is empty.
        acceptor.non_blocking(true, ec)) {
      return listen_error(where, ec,
                          "choose a free port, or an address of this host; ports below 1024 "
                          "need root or CAP_NET_BIND_SERVICE");
    }
    auto port = acceptor.local_endpoint(ec).port();
    m_bound.push_back({listener.name, listener.kind, listener.address, port, {}});
    m_acceptors.push_back(std::make_unique<Acceptor>(
        Acceptor{listener, std::move(acceptor), std::move(tls), net::steady_timer(*m_loops[0])}));
    return Ok{};
  }

  Status open_unix(const Listener& listener) {
    const auto& path = listener.socket_path;
    // sun_path holds 108 bytes with the terminating NUL.
    if (path.empty() || path.native().size() > 107) {
      return make_error(ErrorCode::invalid_input,
                        fmt::format("cannot listen on '{}': a Unix socket path must have 1 to "
                                    "107 bytes",
                                    path.string()),
                        "choose a shorter path (a data dir closer to /)");
    }
    auto cleared = clear_socket_path(path, *m_loops[0]);
    if (!cleared) {
      return cleared.error();
    }
    error_code ec;
    Local::acceptor acceptor(*m_loops[0]);
    Local::endpoint endpoint(path.string());
    if (acceptor.open(endpoint.protocol(), ec) || acceptor.bind(endpoint, ec)) {
      return listen_error(path.string(), ec, "check that its folder exists and is writable");
    }
    // Before listen(): until then nobody can connect, so the mode is never
    // looser than 0600 while it matters.
    if (::chmod(path.c_str(), S_IRUSR | S_IWUSR) != 0) {
      return listen_error(path.string(), error_code(errno, boost::system::system_category()),
                          "check the folder's file system allows chmod");
    }
    if (acceptor.listen(net::socket_base::max_listen_connections, ec)) {
      return listen_error(path.string(), ec, "check that its folder exists and is writable");
    }
    m_bound.push_back({listener.name, listener.kind, {}, 0, path});
    m_acceptors.push_back(std::make_unique<Acceptor>(
        Acceptor{listener, std::move(acceptor), nullptr, net::steady_timer(*m_loops[0])}));
    return Ok{};
  }

  net::io_context& next_loop() { return *m_loops[m_next_loop++ % m_loops.size()]; }

  void accept_next(Acceptor& a) {
    if (auto* tcp = std::get_if<Tcp::acceptor>(&a.socket)) {
      auto socket = std::make_shared<Tcp::socket>(next_loop());
      // accept() fills in the peer's address: no getpeername() per connection.
      auto remote = std::make_shared<Tcp::endpoint>();
      tcp->async_accept(*socket, *remote, [this, &a, tcp, socket, remote](error_code ec) {
        if (!ec) {
          admit(a, std::move(*socket), *remote);
          accept_queued(a, *tcp);
        }
        after_accept(a, ec);
      });
    } else {
      auto& local = std::get<Local::acceptor>(a.socket);
      auto socket = std::make_shared<Local::socket>(next_loop());
      local.async_accept(*socket, [this, &a, socket](error_code ec) {
        if (!ec) {
          detail::admit_unix(m_state, std::move(*socket), {a.listener.name, "unix", 0});
        }
        after_accept(a, ec);
      });
    }
  }

  void admit(Acceptor& a, Tcp::socket socket, const Tcp::endpoint& remote) {
    error_code ignored;
    socket.set_option(Tcp::no_delay(true), ignored);
    detail::Origin origin{a.listener.name, remote.address().to_string(), remote.port()};
    if (a.tls) {
      detail::admit_tls(m_state, std::move(socket), a.tls, std::move(origin));
    } else {
      detail::admit_tcp(m_state, std::move(socket), std::move(origin));
    }
  }

  // The connections already waiting in the listen queue, taken at once.
  // Each async_accept's handler waits its turn behind the first loop's other
  // handlers, so one accept per turn kept new connections waiting there: a
  // CPE's Inform (connect, request, answer) took 33 ms on average at 100
  // CPEs, its next two requests 2 and 5 ms (cpe_load, per request kind).
  void accept_queued(Acceptor& a, Tcp::acceptor& tcp) {
    for (int i = 0; i < kAcceptBurst; ++i) {
      Tcp::socket socket(next_loop());
      Tcp::endpoint remote;
      error_code ec;
      tcp.accept(socket, remote, ec);
      if (ec) {
        // would_block: the queue is empty; any other error is async_accept's
        // to report, on the next turn.
        return;
      }
      admit(a, std::move(socket), remote);
    }
  }

  void after_accept(Acceptor& a, const error_code& ec) {
    if (ec == net::error::operation_aborted || m_acceptors_closed) {
      return;
    }
    if (!ec) {
      accept_next(a);
      return;
    }
    m_state->emit({ServerEvent::Kind::accept_failed, 0, {}, a.listener.name + ": " + ec.message()});
    a.retry.expires_after(kAcceptRetryDelay);
    a.retry.async_wait([this, &a](error_code wait_ec) {
      if (!wait_ec && !m_acceptors_closed) {
        accept_next(a);
      }
    });
  }

  void close_acceptors() {
    m_acceptors_closed = true;
    for (auto& a : m_acceptors) {
      error_code ignored;
      a->retry.cancel();
      std::visit([&](auto& acceptor) { acceptor.close(ignored); }, a->socket);
    }
  }

  template <class F>
  void for_each_connection(F f) {
    std::vector<std::shared_ptr<detail::ConnectionBase>> connections;
    {
      std::lock_guard lock(m_state->mutex);
      for (auto& entry : m_state->connections) {
        connections.push_back(entry.second);
      }
    }
    for (auto& c : connections) {
      f(*c);
    }
  }

  void wait_drained(std::chrono::milliseconds deadline) {
    std::unique_lock lock(m_state->mutex);
    m_state->drained.wait_for(lock, deadline, [&] { return m_state->connections.empty(); });
  }

  ServerOptions m_options;
  std::shared_ptr<SharedState> m_state;
  // Declared before everything that uses the loops, so destroyed after it.
  std::vector<std::unique_ptr<net::io_context>> m_loops;
  std::vector<net::executor_work_guard<net::io_context::executor_type>> m_guards;
  std::vector<std::unique_ptr<Acceptor>> m_acceptors;
  std::vector<std::thread> m_threads;
  std::size_t m_next_loop = 0;     // used on loop 0 only
  bool m_acceptors_closed = false; // used on loop 0 only
  bool m_stopped = false;          // under m_state->mutex
};

Result<std::unique_ptr<HttpServer>> HttpServer::start(ServerOptions options,
                                                      std::shared_ptr<Handler> handler) {
  if (!handler) {
    return make_error(ErrorCode::internal, "an HTTP server needs a handler");
  }
  auto impl = std::make_unique<Impl>(std::move(options), std::move(handler));
  auto opened = impl->open();
  if (!opened) {
    return opened.error();
  }
  impl->run();
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}

HttpServer::~HttpServer() {
  m_impl->stop(std::chrono::seconds(10));
}

const std::vector<BoundListener>& HttpServer::bound() const {
  return m_impl->m_bound;
}

void HttpServer::stop(std::chrono::milliseconds deadline) {
  m_impl->stop(deadline);
}

ServerStats HttpServer::stats() const {
  return m_impl->stats();
}

} // namespace vpnaas::acs::http
