#pragma once

// HTTP authentication of CPEs by the ACS, without sockets: parsing the
// Authorization header, checking Basic, and Digest (RFC 7616 / RFC 2617, MD5,
// qop=auth) with server-side nonces that expire and cannot be replayed.
// The HTTP layer feeds it headers and sends the challenges it builds.

#include <vpnaas/acs/task.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>

namespace vpnaas::acs::auth {

struct Authorization {
  enum class Scheme { basic, digest } scheme = Scheme::basic;
  // Basic: the decoded user-id and password.
  std::string username;
  std::string password;
  // Digest: every parameter, names lower-cased, values unquoted.
  std::map<std::string, std::string> params;
};

// Parses an Authorization header value leniently, as CPEs send them: scheme
// in any case, Digest parameters quoted or not (RouterOS sends qop, nc and
// algorithm bare), in any order, with spaces around '=' and ','. nullopt
// for another scheme, bad base64, a Basic value without ':', an unterminated
// quote or a parameter given twice. A Digest username is params["username"].
std::optional<Authorization> parse_authorization(std::string_view header);

// Whether Basic credentials are the expected ones; compares in constant time.
bool verify_basic(const Authorization& credentials, std::string_view username,
                  std::string_view password);

// `Basic realm="..."` for a WWW-Authenticate header.
std::string basic_challenge(std::string_view realm);

// Lowercase hex MD5, for RFC 2617's KD and H.
std::string md5_hex(std::string_view data);

// The request-digest of RFC 2617 3.2.2.1 for qop=auth and algorithm MD5:
// MD5(MD5(user:realm:password):nonce:nc:cnonce:auth:MD5(method:uri)).
std::string digest_response(std::string_view username, std::string_view realm,
                            std::string_view password, std::string_view method,
                            std::string_view uri, std::string_view nonce, std::string_view nc,
                            std::string_view cnonce);

struct DigestOptions {
  std::string realm = "vpnaas";
  std::chrono::seconds nonce_lifetime{300};
  std::size_t max_nonces = 100'000; // past it, the oldest nonces are dropped
  // Makes nonces; default: 128 random bits as hex. Tests inject RFC examples.
  std::function<std::string()> nonce_source;
};

enum class DigestVerdict {
  ok,
  malformed,       // a required parameter is missing, qop is not auth, algorithm not MD5
  wrong_realm,     // the realm or uri is not this server's / this request's
  bad_credentials, // the response does not match the password
  stale_nonce,     // right password, but a nonce that expired or this server never issued
  replayed,        // right password and nonce, but a nonce count used before
};
const char* digest_verdict_name(DigestVerdict verdict);

// Issues nonces and checks Digest answers. Thread-safe.
class DigestAuthenticator {
public:
  explicit DigestAuthenticator(DigestOptions options = {});

  // A fresh nonce, remembered until it expires, as the value of a
  // WWW-Authenticate header: Digest realm, qop="auth", algorithm=MD5, nonce,
  // opaque, and stale=true when the client's last nonce had expired.
  std::string challenge(TimePoint now, bool stale = false);

  // Checks a parsed Digest Authorization of a request (`method` and the
  // request target `uri` as received) against the user's password. The
  // password is checked first: a wrong one never uses up a nonce count nor
  // tells whether the nonce was valid.
  DigestVerdict verify(const std::map<std::string, std::string>& params, std::string_view method,
                       std::string_view uri, std::string_view password, TimePoint now);

  std::size_t nonces_in_use() const;

private:
  struct Nonce {
    TimePoint expires;
    std::set<std::uint32_t> counts; // nc values already accepted
  };
  void make_room(TimePoint now);

  DigestOptions m_options;
  std::string m_opaque;
  mutable std::mutex m_mutex;
  std::unordered_map<std::string, Nonce> m_nonces;
};

} // namespace vpnaas::acs::auth
