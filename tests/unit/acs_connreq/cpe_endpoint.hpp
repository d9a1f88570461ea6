#pragma once

// A CPE's connection-request server for the tests: our own HttpServer on
// 127.0.0.1 with a handler that challenges with Digest through acs/auth.hpp,
// as a RouterOS tr069-client does on its port 7547.

#include <vpnaas/acs/auth.hpp>
#include <vpnaas/acs/http/server.hpp>

#include <atomic>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace vpnaas::test::connreq {

using namespace vpnaas::acs;

class CpeHandler : public http::Handler {
public:
  enum class Mode {
    digest,       // challenge, then 200 for the right login
    stale_first,  // as digest, but the first right answer is told its nonce is stale
    always_stale, // every right answer is told its nonce is stale
    redirect,     // 302 to /elsewhere on the same server, before any challenge
    never,        // keeps every request without answering
    basic_only,   // challenges with Basic only, every time
  };

  CpeHandler(std::string username, std::string password, Mode mode = Mode::digest);
  ~CpeHandler() override;
  void handle(http::Request request, http::Responder respond) override;

  std::vector<http::Request> requests() const;
  int accepted() const { return m_accepted.load(); }
  int most_in_flight() const { return m_most_in_flight.load(); }
  std::string location; // for redirect: where to send the client

private:
  std::string m_username;
  std::string m_password;
  Mode m_mode;
  auth::DigestAuthenticator m_auth;
  mutable std::mutex m_mutex;
  std::vector<http::Request> m_requests;
  std::vector<http::Responder> m_parked;
  bool m_told_stale = false;
  std::atomic<int> m_accepted{0};
  std::atomic<int> m_in_flight{0};
  std::atomic<int> m_most_in_flight{0};
};

// A started server with one listener on 127.0.0.1, any port: plain TCP, or
// TLS when given a certificate and key.
std::unique_ptr<http::HttpServer> start_cpe(std::shared_ptr<CpeHandler> handler,
                                            const std::filesystem::path& cert = {},
                                            const std::filesystem::path& key = {});
std::string cpe_url(const http::HttpServer& server, const std::string& path = "/cr-7f3c");

// A port on 127.0.0.1 nothing listens on (bound, then closed).
std::uint16_t closed_port();

} // namespace vpnaas::test::connreq
