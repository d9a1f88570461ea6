#include "cpe_endpoint.hpp"

#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

namespace vpnaas::test::connreq {

CpeHandler::CpeHandler(std::string username, std::string password, Mode mode)
    : m_username(std::move(username)), m_password(std::move(password)), m_mode(mode) {}

CpeHandler::~CpeHandler() = default;

void CpeHandler::handle(http::Request request, http::Responder respond) {
  {
    std::lock_guard lock(m_mutex);
    m_requests.push_back(request);
  }
  int now_in_flight = ++m_in_flight;
  int most = m_most_in_flight.load();
  while (now_in_flight > most && !m_most_in_flight.compare_exchange_weak(most, now_in_flight)) {
  }
  auto answer = [&](http::Response response) {
    --m_in_flight;
    respond(std::move(response));
  };
  auto challenge = [&](bool stale) {
    http::Response response;
    response.status = 401;
    response.headers.push_back({"WWW-Authenticate", m_auth.challenge(Clock::now(), stale)});
    answer(std::move(response));
  };

  if (request.target == "/elsewhere") {
    answer(http::Response{200, {}, "followed", false});
    return;
  }
  if (m_mode == Mode::never) {
    std::lock_guard lock(m_mutex);
    m_parked.push_back(std::move(respond));
    return;
  }
  if (m_mode == Mode::redirect) {
    answer(http::Response{302, {{"Location", location}}, {}, false});
    return;
  }
  if (m_mode == Mode::basic_only) {
    answer(http::Response{401, {{"WWW-Authenticate", auth::basic_challenge("cpe")}}, {}, false});
    return;
  }
  const std::string* header = request.header("authorization");
  auto parsed = header != nullptr ? auth::parse_authorization(*header) : std::nullopt;
  if (!parsed || parsed->scheme != auth::Authorization::Scheme::digest ||
      parsed->params["username"] != m_username) {
    challenge(false);
    return;
  }
  auto now = Clock::now();
  bool make_stale = m_mode == Mode::always_stale;
  if (m_mode == Mode::stale_first) {
    std::lock_guard lock(m_mutex);
    make_stale = !m_told_stale;
    m_told_stale = true;
  }
  // Checking "an hour later" makes the nonce expired: the authenticator then
  // says stale for the right password only, as a CPE whose nonce timed out.
  auto verdict = m_auth.verify(parsed->params, request.method, request.target, m_password,
                               make_stale ? now + std::chrono::hours(1) : now);
  if (verdict == auth::DigestVerdict::ok) {
    ++m_accepted;
    answer(http::Response{204, {}, {}, false});
  } else {
    challenge(verdict == auth::DigestVerdict::stale_nonce);
  }
}

std::vector<http::Request> CpeHandler::requests() const {
  std::lock_guard lock(m_mutex);
  return m_requests;
}

std::unique_ptr<http::HttpServer> start_cpe(std::shared_ptr<CpeHandler> handler,
                                            const std::filesystem::path& cert,
                                            const std::filesystem::path& key) {
  http::ServerOptions options;
  auto kind = cert.empty() ? http::Listener::Kind::tcp : http::Listener::Kind::tls;
  options.listeners.push_back({kind, "connection-request", "127.0.0.1", 0, cert, key, {}});
  options.threads = 1;
  auto server = http::HttpServer::start(std::move(options), std::move(handler));
  if (!server) {
    throw std::runtime_error(server.error().message);
  }
  return std::move(server.value());
}

std::string cpe_url(const http::HttpServer& server, const std::string& path) {
  return "http://127.0.0.1:" + std::to_string(server.bound().at(0).port) + path;
}

std::uint16_t closed_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  socklen_t length = sizeof address;
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0);
  ::close(fd);
  return ntohs(address.sin_port);
}

} // namespace vpnaas::test::connreq
