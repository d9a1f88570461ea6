#include <vpnaas/acs/connection_request.hpp>

#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace vpnaas::acs {
namespace {

// A connection request's answer has no use beyond its status: a CPE that
// sends more than this is not answering a connection request.
constexpr std::size_t kMaxBodyBytes = 64 * 1024;
// The first 401 is the challenge and a second one may carry stale=true;
// a third means the CPE does not take the login (libcurl would otherwise
// answer each stale challenge again until the time limit).
constexpr int kMaxChallenges = 2;

void init_curl_once() {
  // curl_global_init is not thread-safe, and curl_easy_init would call it
  // lazily from whichever worker comes first.
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

bool starts_with_ci(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) {
    return false;
  }
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) {
      return false;
    }
  }
  return true;
}

// Only http(s), and nothing libcurl would have to guess about: a URL from an
// Inform is the CPE's word, and the login must not go anywhere else.
bool acceptable_url(std::string_view url) {
  if (!starts_with_ci(url, "http://") && !starts_with_ci(url, "https://")) {
    return false;
  }
  return std::none_of(url.begin(), url.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u == 0x7f;
  });
}

struct Exchange {
  int challenges = 0;
  bool too_many_challenges = false;
  std::size_t body_bytes = 0;
  bool body_too_large = false;
};

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* exchange = static_cast<Exchange*>(user);
  std::string_view line(data, size * count);
  // Each response of the exchange starts with its status line.
  if (starts_with_ci(line, "http/")) {
    auto space = line.find(' ');
    if (space != std::string_view::npos && line.substr(space + 1, 3) == "401") {
      if (++exchange->challenges > kMaxChallenges) {
        exchange->too_many_challenges = true;
        return 0; // aborts the transfer
      }
    }
  }
  return size * count;
}

std::size_t on_body(char*, std::size_t size, std::size_t count, void* user) {
  auto* exchange = static_cast<Exchange*>(user);
  exchange->body_bytes += size * count;
  if (exchange->body_bytes > kMaxBodyBytes) {
    exchange->body_too_large = true;
    return 0;
  }
  return size * count;
}

ConnectionRequestOutcome classify_curl_failure(CURLcode code) {
  switch (code) {
  case CURLE_UNSUPPORTED_PROTOCOL:
  case CURLE_URL_MALFORMAT:
    return ConnectionRequestOutcome::invalid_url;
  default:
    // Refused, timed out, not resolved, reset, TLS: the device cannot be
    // reached from here now.
    return ConnectionRequestOutcome::unreachable;
  }
}

struct EasyHandle {
  CURL* curl = curl_easy_init();
  ~EasyHandle() {
    if (curl != nullptr) {
      curl_easy_cleanup(curl);
    }
  }
};

} // namespace

const char* connection_request_outcome_name(ConnectionRequestOutcome outcome) {
  switch (outcome) {
  case ConnectionRequestOutcome::accepted:
    return "accepted";
  case ConnectionRequestOutcome::auth_refused:
    return "auth-refused";
  case ConnectionRequestOutcome::unreachable:
    return "unreachable";
  case ConnectionRequestOutcome::other_status:
    return "other-status";
  case ConnectionRequestOutcome::invalid_url:
    return "invalid-url";
  }
  return "unknown";
}

ConnectionRequestResult send_connection_request(const std::string& url,
                                                const secrets::CpeLogin& login,
                                                const ConnectionRequestOptions& options) {
  ConnectionRequestResult result;
  auto begin = std::chrono::steady_clock::now();
  auto finish = [&](ConnectionRequestOutcome outcome, std::string detail) {
    result.outcome = outcome;
    result.detail = std::move(detail);
    result.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - begin);
    return result;
  };
  if (!acceptable_url(url)) {
    return finish(ConnectionRequestOutcome::invalid_url,
                  "the connection request URL is not an http:// or https:// URL");
  }

  init_curl_once();
  EasyHandle easy;
  if (easy.curl == nullptr) {
    return finish(ConnectionRequestOutcome::unreachable, "libcurl could not make a handle");
  }
  CURL* curl = easy.curl;
  Exchange exchange;
  char error_buffer[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  // A connection request goes straight to the CPE: an http_proxy from the
  // environment must neither see the login nor stand in for the device.
  curl_easy_setopt(curl, CURLOPT_PROXY, "");
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options.connect_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(options.total_timeout.count()));
  // Digest alone: libcurl sends no credentials until the CPE challenges,
  // and then only the digest, never the password.
  curl_easy_setopt(curl, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_DIGEST));
  curl_easy_setopt(curl, CURLOPT_USERNAME, login.username.c_str());
  curl_easy_setopt(curl, CURLOPT_PASSWORD, login.password.c_str());
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, options.verify_tls ? 1L : 0L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, options.verify_tls ? 2L : 0L);
  if (!options.ca_file.empty()) {
    curl_easy_setopt(curl, CURLOPT_CAINFO, options.ca_file.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &exchange);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &exchange);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);

  CURLcode code = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  result.http_status = status;
  result.challenges = exchange.challenges;

  if (exchange.too_many_challenges) {
    return finish(ConnectionRequestOutcome::auth_refused,
                  fmt::format("the CPE kept answering 401 ({} challenges)", exchange.challenges));
  }
  if (exchange.body_too_large) {
    return finish(ConnectionRequestOutcome::other_status,
                  fmt::format("HTTP {} with a body over {} bytes", status, kMaxBodyBytes));
  }
  if (code != CURLE_OK) {
    std::string words = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(code);
    return finish(classify_curl_failure(code), words);
  }
  if (status == 200 || status == 204) {
    return finish(ConnectionRequestOutcome::accepted, fmt::format("HTTP {}", status));
  }
  if (status == 401) {
    // One 401 alone: libcurl found no Digest challenge it could answer (a
    // Basic-only CPE gets no password in clear from us).
    return finish(ConnectionRequestOutcome::auth_refused,
                  exchange.challenges <= 1
                      ? "HTTP 401 without a Digest challenge: the CPE asks for another scheme"
                      : "HTTP 401: the CPE refused the connection-request login");
  }
  if (status >= 300 && status < 400) {
    return finish(ConnectionRequestOutcome::other_status,
                  fmt::format("HTTP {}: a redirect, not followed", status));
  }
  return finish(ConnectionRequestOutcome::other_status, fmt::format("HTTP {}", status));
}

// --- ConnectionRequester -------------------------------------------------------

class ConnectionRequester::Impl {
public:
  Impl(secrets::MasterKey key, Store* store, RequesterOptions options)
      : m_key(std::move(key)), m_store(store), m_options(options) {
    unsigned workers = std::max(1U, m_options.workers);
    for (unsigned i = 0; i < workers; ++i) {
      m_workers.emplace_back([this] { run(); });
    }
  }

  ~Impl() { stop(); }

  Result<Submitted> submit(const std::string& serial, const std::string& url, Callback done) {
    auto credentials = secrets::derive_cpe_credentials(m_key, serial);
    if (!credentials) {
      return credentials.error();
    }
    std::lock_guard lock(m_mutex);
    if (m_stopping) {
      return Submitted::stopped;
    }
    if (m_pending.count(serial) != 0) {
      return Submitted::already_pending;
    }
    if (m_queue.size() >= m_options.max_pending) {
      return Submitted::queue_full;
    }
    m_pending.insert(serial);
    m_queue.push_back(
        Job{serial, url, std::move(credentials.value().connection_request), std::move(done)});
    m_wake.notify_one();
    return Submitted::queued;
  }

  bool wait_idle(std::chrono::milliseconds timeout) {
    std::unique_lock lock(m_mutex);
    return m_idle.wait_for(lock, timeout, [this] { return m_pending.empty() && m_busy == 0; });
  }

  void stop() {
    {
      std::lock_guard lock(m_mutex);
      if (m_stopping && m_workers.empty()) {
        return;
      }
      m_stopping = true;
      for (const auto& job : m_queue) {
        m_pending.erase(job.serial);
      }
      m_queue.clear();
    }
    m_wake.notify_all();
    for (auto& worker : m_workers) {
      if (worker.joinable()) {
        worker.join();
      }
    }
    m_workers.clear();
    m_idle.notify_all();
  }

private:
  struct Job {
    std::string serial;
    std::string url;
    secrets::CpeLogin login;
    Callback done;
  };

  void run() {
    for (;;) {
      Job job;
      {
        std::unique_lock lock(m_mutex);
        m_wake.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
        if (m_stopping) {
          return;
        }
        job = std::move(m_queue.front());
        m_queue.pop_front();
        ++m_busy;
      }
      auto result = send_connection_request(job.url, job.login, m_options.request);
      if (m_store != nullptr) {
        // A failure only says where the device stands: its tasks stay
        // queued for its next periodic Inform, which clears the flag.
        bool unreachable = result.outcome != ConnectionRequestOutcome::accepted;
        auto marked = m_store->set_unreachable(job.serial, unreachable);
        if (!marked) {
          result.detail += "; not recorded in the store: " + marked.error().message;
        }
      }
      {
        std::lock_guard lock(m_mutex);
        // Before the callback, so that it may ask again for the same device.
        m_pending.erase(job.serial);
      }
      if (job.done) {
        job.done(job.serial, result);
      }
      {
        std::lock_guard lock(m_mutex);
        --m_busy;
      }
      m_idle.notify_all();
    }
  }

  secrets::MasterKey m_key;
  Store* m_store;
  RequesterOptions m_options;
  std::mutex m_mutex;
  std::condition_variable m_wake;
  std::condition_variable m_idle;
  std::deque<Job> m_queue;
  std::set<std::string> m_pending; // queued or in flight
  unsigned m_busy = 0;
  bool m_stopping = false;
  std::vector<std::thread> m_workers;
};

ConnectionRequester::ConnectionRequester(secrets::MasterKey key, Store* store,
                                         RequesterOptions options)
    : m_impl(std::make_unique<Impl>(std::move(key), store, options)) {}

ConnectionRequester::~ConnectionRequester() = default;

Result<ConnectionRequester::Submitted>
ConnectionRequester::submit(const std::string& serial, const std::string& url, Callback done) {
  return m_impl->submit(serial, url, std::move(done));
}

bool ConnectionRequester::wait_idle(std::chrono::milliseconds timeout) {
  return m_impl->wait_idle(timeout);
}

void ConnectionRequester::stop() {
  m_impl->stop();
}

} // namespace vpnaas::acs
