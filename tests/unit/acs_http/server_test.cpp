// The HTTP server over real sockets on 127.0.0.1, driven by libcurl.

#include <vpnaas/acs/http/server.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <cstdio>
#include <poll.h>
#include <set>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include "support/paths.hpp"
#include "test_server.hpp"

using namespace vpnaas::test::http;
using vpnaas::test::TempDir;
using namespace std::chrono_literals;

namespace {

ServerOptions one_tcp_listener() {
  ServerOptions options;
  options.listeners.push_back({Listener::Kind::tcp, "cwmp", "127.0.0.1", 0, {}, {}, {}});
  options.threads = 2;
  return options;
}

} // namespace

TEST_CASE("keep-alive: three requests from curl share one connection and one connection id") {
  auto handler = std::make_shared<RecordingHandler>();
  auto server = start_server(one_tcp_listener(), handler);
  REQUIRE(server->bound().size() == 1);
  CHECK(server->bound()[0].port != 0);

  CurlClient client;
  for (int i = 0; i < 3; ++i) {
    auto reply = client.post(base_url(*server) + "/acs?n=" + std::to_string(i), "hello");
    REQUIRE_MESSAGE(reply.curl_code == 0, reply.curl_error);
    CHECK(reply.status == 200);
    CHECK(reply.body == "POST /acs?n=" + std::to_string(i) + " 5");
    CHECK(reply.new_connections == (i == 0 ? 1 : 0));
  }
  auto requests = handler->requests();
  REQUIRE(requests.size() == 3);
  for (const auto& request : requests) {
    CHECK(request.connection_id == requests[0].connection_id);
    CHECK(request.remote_address == "127.0.0.1");
    CHECK(request.remote_port != 0);
    CHECK_FALSE(request.tls);
    CHECK(request.listener == "cwmp");
    CHECK(request.version == 11);
    CHECK(request.body == "hello");
    REQUIRE(request.header("content-length") != nullptr);
    CHECK(*request.header("CONTENT-LENGTH") == "5");
  }
  CHECK(server->stats().accepted == 1);
  CHECK(server->stats().requests == 3);
}

TEST_CASE("1000 keep-alive requests on one connection, with the rate reported") {
  auto handler = std::make_shared<RecordingHandler>();
  auto server = start_server(one_tcp_listener(), handler);
  CurlClient client;
  auto url = base_url(*server) + "/acs";
  constexpr int kRequests = 1000;
  int ok = 0;
  auto begin = std::chrono::steady_clock::now();
  for (int i = 0; i < kRequests; ++i) {
    auto reply = client.post(url, "<soap-envelope/>");
    ok += reply.curl_code == 0 && reply.status == 200 ? 1 : 0;
  }
  auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  MESSAGE(kRequests << " keep-alive requests in " << seconds << " s: " << kRequests / seconds
                    << " requests/s");
  CHECK(ok == kRequests);
  CHECK(server->stats().accepted == 1);
}

TEST_CASE("TLS: curl verifies a self-signed certificate made by openssl and the handler sees TLS") {
  TempDir dir;
  auto made = make_self_signed(dir.path());
  ServerOptions options;
  options.threads = 1;
  options.listeners.push_back(
      {Listener::Kind::tls, "cwmp-tls", "127.0.0.1", 0, made.cert, made.key, {}});
  auto handler = std::make_shared<RecordingHandler>();
  auto server = start_server(options, handler);

  CurlClient client;
  client.set_ca_file(made.cert);
  for (int i = 0; i < 2; ++i) {
    auto reply = client.post(base_url(*server, 0, "https") + "/acs", "inform");
    REQUIRE_MESSAGE(reply.curl_code == 0, reply.curl_error);
    CHECK(reply.status == 200);
    CHECK(reply.body == "POST /acs 6");
  }
  auto requests = handler->requests();
  REQUIRE(requests.size() == 2);
  CHECK(requests[0].tls);
  CHECK(requests[0].connection_id == requests[1].connection_id);

  // A client that does not trust the certificate never reaches the handler.
  CurlClient untrusting;
  untrusting.set_ca_file(make_self_signed(dir.path(), "other").cert);
  auto refused = untrusting.get(base_url(*server, 0, "https") + "/acs");
  CHECK(refused.curl_code != 0);
  CHECK(handler->requests().size() == 2);
}

TEST_CASE("TLS files that do not load are typed errors naming the file") {
  TempDir dir;
  auto made = make_self_signed(dir.path());
  auto other = make_self_signed(dir.path(), "other");
  vpnaas::test::write_file(dir.path() / "garbage.pem", "not a certificate\n");

  auto start_with = [](const std::filesystem::path& cert, const std::filesystem::path& key) {
    ServerOptions options;
    options.threads = 1;
    options.listeners.push_back({Listener::Kind::tls, "tls", "127.0.0.1", 0, cert, key, {}});
    return HttpServer::start(options, std::make_shared<RecordingHandler>());
  };
  auto missing = start_with(dir.path() / "absent.pem", made.key);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == vpnaas::ErrorCode::io);
  CHECK(missing.error().message == "cannot load the TLS certificate " +
                                       (dir.path() / "absent.pem").string() + ": no such file");

  auto garbage = start_with(dir.path() / "garbage.pem", made.key);
  REQUIRE_FALSE(garbage.ok());
  CHECK(garbage.error().message.rfind(
            "cannot load the TLS certificate " + (dir.path() / "garbage.pem").string() + ": ", 0) ==
        0);

  auto garbage_key = start_with(made.cert, dir.path() / "garbage.pem");
  REQUIRE_FALSE(garbage_key.ok());
  CHECK(garbage_key.error().message.rfind(
            "cannot load the TLS private key " + (dir.path() / "garbage.pem").string() + ": ", 0) ==
        0);

  auto mismatched = start_with(made.cert, other.key);
  REQUIRE_FALSE(mismatched.ok());
  CHECK(mismatched.error().message.find(other.key.string()) != std::string::npos);
  CHECK_FALSE(mismatched.error().hint.empty());
}

TEST_CASE("Unix socket: mode 0600, curl reaches it, the file goes when the server stops") {
  TempDir dir;
  auto path = dir.path() / "acs.sock";
  vpnaas::test::write_file(dir.path() / "not-a-socket", "x");
  ServerOptions options;
  options.threads = 1;
  options.listeners.push_back({Listener::Kind::unix_socket, "management", {}, 0, {}, {}, path});
  auto handler = std::make_shared<RecordingHandler>();
  auto server = start_server(options, handler);

  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK(S_ISSOCK(st.st_mode));
  CHECK((st.st_mode & 07777) == 0600);

  CurlClient client;
  client.set_unix_socket(path);
  auto reply = client.get("http://localhost/devices");
  REQUIRE_MESSAGE(reply.curl_code == 0, reply.curl_error);
  CHECK(reply.status == 200);
  CHECK(reply.body == "GET /devices 0");
  REQUIRE(handler->requests().size() == 1);
  CHECK(handler->requests()[0].remote_address == "unix");
  CHECK(handler->requests()[0].listener == "management");

  // A second server on the same path is refused while the first one runs.
  auto second = HttpServer::start(options, std::make_shared<RecordingHandler>());
  REQUIRE_FALSE(second.ok());
  CHECK(second.error().message ==
        "cannot listen on " + path.string() + ": a running server answers there");

  server->stop();
  CHECK_FALSE(std::filesystem::exists(path));

  options.listeners[0].socket_path = dir.path() / "not-a-socket";
  auto blocked = HttpServer::start(options, std::make_shared<RecordingHandler>());
  REQUIRE_FALSE(blocked.ok());
  CHECK(blocked.error().message == "cannot listen on " + (dir.path() / "not-a-socket").string() +
                                       ": it exists and is not a socket");
}

TEST_CASE("a TCP port already in use is a typed error naming the address") {
  auto first = start_server(one_tcp_listener(), std::make_shared<RecordingHandler>());
  auto options = one_tcp_listener();
  options.listeners[0].port = first->bound()[0].port;
  auto second = HttpServer::start(options, std::make_shared<RecordingHandler>());
  REQUIRE_FALSE(second.ok());
  CHECK(second.error().code == vpnaas::ErrorCode::io);
  CHECK(second.error().message.rfind(
            "cannot listen on 127.0.0.1:" + std::to_string(first->bound()[0].port) + ": ", 0) == 0);
}

TEST_CASE("a TLS client that never says hello is closed after the handshake timeout") {
  TempDir dir;
  auto made = make_self_signed(dir.path());
  EventLog log;
  ServerOptions options;
  options.threads = 1;
  options.limits.tls_handshake_timeout = 300ms;
  options.on_event = log.sink();
  options.listeners.push_back(
      {Listener::Kind::tls, "cwmp-tls", "127.0.0.1", 0, made.cert, made.key, {}});
  auto server = start_server(options, std::make_shared<RecordingHandler>());

  auto begin = std::chrono::steady_clock::now();
  auto answer = raw_exchange(server->bound()[0].port, "");
  auto waited = std::chrono::steady_clock::now() - begin;
  CHECK(answer.empty());
  CHECK(waited >= 250ms);
  CHECK(waited < 3s);
  // The timeout closes the socket first; the event follows on the server's thread.
  for (int i = 0; i < 250 && log.events().empty(); ++i) {
    std::this_thread::sleep_for(20ms);
  }
  auto events = log.events();
  REQUIRE(events.size() == 1);
  CHECK(events[0].kind == ServerEvent::Kind::tls_handshake_failed);
  CHECK(events[0].detail == "timed out");
  CHECK(events[0].remote_address == "127.0.0.1");
}

TEST_CASE("a responder called again, or late for a later request, answers nothing") {
  struct Stale : Handler {
    Responder kept;
    void handle(Request request, Responder respond) override {
      if (request.target == "/a") {
        kept = respond;
        respond({200, {}, "a", false});
        kept({200, {}, "a again", false});
      } else {
        kept({200, {}, "stale", false});
        respond({200, {}, "b", false});
      }
    }
  };
  auto server = start_server(one_tcp_listener(), std::make_shared<Stale>());
  CurlClient client;
  CHECK(client.get(base_url(*server) + "/a").body == "a");
  auto b = client.get(base_url(*server) + "/b");
  CHECK(b.body == "b");
  CHECK(b.new_connections == 0);
}

TEST_CASE("a Unix socket file left by a dead server is replaced") {
  TempDir dir;
  auto path = dir.path() / "acs.sock";
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::snprintf(address.sun_path, sizeof address.sun_path, "%s", path.c_str());
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  ::close(fd); // the file stays, nobody listens
  REQUIRE(std::filesystem::is_socket(path));

  ServerOptions options;
  options.threads = 1;
  options.listeners.push_back({Listener::Kind::unix_socket, "management", {}, 0, {}, {}, path});
  auto server = start_server(options, std::make_shared<RecordingHandler>());
  CurlClient client;
  client.set_unix_socket(path);
  CHECK(client.get("http://localhost/").status == 200);
}

TEST_CASE("connections waiting in the listen queue are all taken and answered") {
  auto handler = std::make_shared<RecordingHandler>();
  auto server = start_server(one_tcp_listener(), handler);
  const auto port = server->bound().at(0).port;
  // All connected before any is read: the kernel completes the handshakes,
  // so they wait in the listen queue together, as CPEs that call at once do,
  // and the accept handler takes them in bursts (server.cpp, accept_queued).
  constexpr int kClients = 200;
  std::vector<int> sockets;
  for (int i = 0; i < kClients; ++i) {
    sockets.push_back(connect_local(port));
  }
  const std::string request =
      "POST /acs HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi";
  for (int fd : sockets) {
    REQUIRE(::send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
            static_cast<ssize_t>(request.size()));
  }
  int answered = 0;
  for (int fd : sockets) {
    std::string received;
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) {
        continue;
      }
      char buffer[1024];
      const auto n = ::recv(fd, buffer, sizeof buffer, 0);
      if (n <= 0) {
        break;
      }
      received.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fd);
    answered += received.rfind("HTTP/1.1 200", 0) == 0 ? 1 : 0;
  }
  CHECK(answered == kClients);
  std::set<std::uint64_t> connections;
  for (const auto& r : handler->requests()) {
    connections.insert(r.connection_id);
  }
  CHECK(connections.size() == static_cast<std::size_t>(kClients));
}
