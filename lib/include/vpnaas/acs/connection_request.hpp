#pragma once

// ACS -> CPE connection requests (TR-069 3.2.2): an HTTP GET to the URL the
// CPE gave in its Inform (ManagementServer.ConnectionRequestURL), answered
// with a 401 Digest challenge, then retried with the connection-request
// login the ACS derived and set on the device. An accepted request only makes
// the CPE open a session to its ACS soon; what to do there stays queued.

#include <vpnaas/acs/store.hpp>
#include <vpnaas/core/error.hpp>
#include <vpnaas/secrets/cpe_credentials.hpp>
#include <vpnaas/secrets/master_key.hpp>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

namespace vpnaas::acs {

enum class ConnectionRequestOutcome {
  accepted,     // 200 or 204: the CPE will call in
  auth_refused, // 401 after answering the challenge (wrong login, or stale nonces without end)
  unreachable,  // connection refused, timed out, name not resolved, TLS failure
  other_status, // any other answer, a redirect included (never followed)
  invalid_url,  // not an http(s) URL: nothing was sent
};
// "accepted", "auth-refused", "unreachable", "other-status", "invalid-url".
const char* connection_request_outcome_name(ConnectionRequestOutcome outcome);

struct ConnectionRequestResult {
  ConnectionRequestOutcome outcome = ConnectionRequestOutcome::unreachable;
  long http_status = 0; // the last status received; 0 when none was
  int challenges = 0;   // 401 answers received (1 normally, 2 after a stale nonce)
  std::string detail;   // libcurl's words or the status; never a credential
  std::chrono::milliseconds elapsed{0};
};

struct ConnectionRequestOptions {
  // A CPE answers at once or not at all: a few seconds bound both.
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(3)};
  std::chrono::milliseconds total_timeout{std::chrono::seconds(5)};
  bool verify_tls = true;        // for https URLs: the CPE's certificate chain and name
  std::filesystem::path ca_file; // https: trusted CAs; empty: the system's
};

// Sends one connection request and waits for its outcome (at most
// total_timeout). Digest only, so the password never crosses the wire: the
// first GET goes without credentials, the challenge's answer with them; a
// 401 with stale=true is answered once more with the new nonce. Never
// follows a redirect, never sends anything to a URL that is not http:// or
// https://. Thread-safe.
ConnectionRequestResult send_connection_request(const std::string& url,
                                                const secrets::CpeLogin& login,
                                                const ConnectionRequestOptions& options = {});

struct RequesterOptions {
  ConnectionRequestOptions request;
  unsigned workers = 2;           // threads sending requests, apart from the server's
  std::size_t max_pending = 1000; // queued, not yet sent; past it, submit() refuses
};

// Sends connection requests off the caller's thread: a small pool of
// workers, at most one request per device at a time. After each request the
// device's `unreachable` flag in the store is set (any failure) or cleared
// (accepted); its tasks stay queued either way, for the next session.
class ConnectionRequester {
public:
  using Callback = std::function<void(const std::string& serial, const ConnectionRequestResult&)>;

  // `store` may be null (nothing recorded) and must outlive the requester.
  ConnectionRequester(secrets::MasterKey key, Store* store, RequesterOptions options = {});
  // Stops: requests not yet sent are dropped, those in flight finish first.
  ~ConnectionRequester();
  ConnectionRequester(const ConnectionRequester&) = delete;
  ConnectionRequester& operator=(const ConnectionRequester&) = delete;

  enum class Submitted {
    queued,
    already_pending, // one for this device is queued or in flight: it serves this one too
    queue_full,
    stopped,
  };
  // Queues a connection request to the device `serial` at `url`, with its
  // derived connection-request login. `done` is called on a worker thread
  // after the store was updated. Fails (usage) when the serial cannot have a
  // derived login.
  Result<Submitted> submit(const std::string& serial, const std::string& url, Callback done = {});

  // Blocks until nothing is queued or in flight, or `timeout` passed; true when idle.
  bool wait_idle(std::chrono::milliseconds timeout);
  void stop();

  class Impl;

private:
  std::unique_ptr<Impl> m_impl;
};

} // namespace vpnaas::acs
