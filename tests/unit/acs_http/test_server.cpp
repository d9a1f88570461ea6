#include "test_server.hpp"

#include <curl/curl.h>
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <poll.h>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

#include "support/run.hpp"

namespace vpnaas::test::http {

RecordingHandler::~RecordingHandler() {
  for (auto& worker : m_workers) {
    worker.join();
  }
}

void RecordingHandler::handle(Request request, Responder respond) {
  Response response;
  response.headers.push_back({"Content-Type", "text/plain"});
  response.body = request.method + " " + request.target + " " + std::to_string(request.body.size());
  std::string target = request.target;
  {
    std::lock_guard lock(m_mutex);
    m_requests.push_back(std::move(request));
    m_arrived.notify_all();
    if (target == "/never") {
      m_parked.push_back(std::move(respond));
      return;
    }
    if (target == "/slow") {
      m_workers.emplace_back([delay = slow_delay, respond = std::move(respond),
                              response = std::move(response)]() mutable {
        std::this_thread::sleep_for(delay);
        respond(std::move(response));
      });
      return;
    }
  }
  respond(std::move(response));
}

void RecordingHandler::connection_closed(std::uint64_t connection_id) {
  std::lock_guard lock(m_mutex);
  m_closed.insert(connection_id);
}

std::vector<Request> RecordingHandler::requests() const {
  std::lock_guard lock(m_mutex);
  return m_requests;
}

std::set<std::uint64_t> RecordingHandler::closed() const {
  std::lock_guard lock(m_mutex);
  return m_closed;
}

bool RecordingHandler::wait_requests(std::size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(m_mutex);
  return m_arrived.wait_for(lock, timeout, [&] { return m_requests.size() >= n; });
}

EventSink EventLog::sink() {
  return [shared = m_shared](const ServerEvent& event) {
    std::lock_guard lock(shared->mutex);
    shared->events.push_back(event);
  };
}

std::vector<ServerEvent> EventLog::events() const {
  std::lock_guard lock(m_shared->mutex);
  return m_shared->events;
}

bool EventLog::has(ServerEvent::Kind kind) const {
  for (const auto& event : events()) {
    if (event.kind == kind) {
      return true;
    }
  }
  return false;
}

namespace {

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

std::size_t append_header(char* data, std::size_t size, std::size_t count, void* user) {
  std::string line(data, size * count);
  auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    for (auto& c : name) {
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    auto value = line.substr(colon + 1);
    auto first = value.find_first_not_of(" \t");
    auto last = value.find_last_not_of(" \t\r\n");
    (*static_cast<std::map<std::string, std::string>*>(user))[name] =
        first == std::string::npos ? "" : value.substr(first, last - first + 1);
  }
  return size * count;
}

} // namespace

CurlClient::CurlClient() : m_curl(curl_easy_init()) {
  if (m_curl == nullptr) {
    throw std::runtime_error("curl_easy_init failed");
  }
  curl_easy_setopt(m_curl, CURLOPT_TIMEOUT_MS, 10000L);
  curl_easy_setopt(m_curl, CURLOPT_NOSIGNAL, 1L);
}

CurlClient::~CurlClient() {
  curl_easy_cleanup(m_curl);
}

void CurlClient::set_ca_file(const std::filesystem::path& file) {
  curl_easy_setopt(m_curl, CURLOPT_CAINFO, file.c_str());
  curl_easy_setopt(m_curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(m_curl, CURLOPT_SSL_VERIFYHOST, 2L);
}

void CurlClient::set_unix_socket(const std::filesystem::path& path) {
  curl_easy_setopt(m_curl, CURLOPT_UNIX_SOCKET_PATH, path.c_str());
}

void CurlClient::set_timeout(std::chrono::milliseconds timeout) {
  curl_easy_setopt(m_curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
}

CurlReply CurlClient::get(const std::string& url) {
  curl_easy_setopt(m_curl, CURLOPT_HTTPGET, 1L);
  return perform(url);
}

CurlReply CurlClient::post(const std::string& url, const std::string& body) {
  curl_easy_setopt(m_curl, CURLOPT_POST, 1L);
  curl_easy_setopt(m_curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(m_curl, CURLOPT_COPYPOSTFIELDS, body.c_str());
  return perform(url);
}

CurlReply CurlClient::perform(const std::string& url) {
  CurlReply reply;
  char error[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(m_curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(m_curl, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(m_curl, CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(m_curl, CURLOPT_WRITEDATA, &reply.body);
  curl_easy_setopt(m_curl, CURLOPT_HEADERFUNCTION, append_header);
  curl_easy_setopt(m_curl, CURLOPT_HEADERDATA, &reply.headers);
  reply.curl_code = static_cast<int>(curl_easy_perform(m_curl));
  reply.curl_error = error;
  curl_easy_getinfo(m_curl, CURLINFO_RESPONSE_CODE, &reply.status);
  curl_easy_getinfo(m_curl, CURLINFO_NUM_CONNECTS, &reply.new_connections);
  curl_easy_setopt(m_curl, CURLOPT_ERRORBUFFER, nullptr);
  return reply;
}

int connect_local(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  return fd;
}

std::string raw_exchange(std::uint16_t port, const std::string& bytes) {
  const int fd = connect_local(port);
  REQUIRE(::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL) ==
          static_cast<ssize_t>(bytes.size()));
  std::string received;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) {
      continue;
    }
    char buffer[4096];
    auto n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) {
      break;
    }
    received.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return received;
}

SelfSigned make_self_signed(const std::filesystem::path& dir, const std::string& name) {
  SelfSigned made{dir / (name + "-cert.pem"), dir / (name + "-key.pem")};
  auto result = run({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                     "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj",
                     "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                     "-keyout", made.key.string(), "-out", made.cert.string()});
  REQUIRE_MESSAGE(result.exit_code == 0, result.err);
  return made;
}

std::string base_url(const HttpServer& server, std::size_t listener, const std::string& scheme) {
  return scheme + "://127.0.0.1:" + std::to_string(server.bound().at(listener).port);
}

std::unique_ptr<HttpServer> start_server(ServerOptions options, std::shared_ptr<Handler> handler) {
  auto started = HttpServer::start(std::move(options), std::move(handler));
  REQUIRE_MESSAGE(started.ok(), (started.ok() ? "" : to_string(started.error())));
  return std::move(*started);
}

} // namespace vpnaas::test::http
