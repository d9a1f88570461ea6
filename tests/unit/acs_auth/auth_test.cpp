#include <vpnaas/acs/auth.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <string>

#include "support/run.hpp"

using namespace vpnaas::acs;
using namespace vpnaas::acs::auth;
using std::chrono::seconds;

namespace {

const TimePoint kNow = TimePoint(seconds(1'800'000'000));

// RFC 2617 section 3.5.
constexpr const char* kMufasa =
    R"(Digest username="Mufasa", realm="testrealm@host.com", )"
    R"(nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="/dir/index.html", qop=auth, )"
    R"(nc=00000001, cnonce="0a4f113b", response="6629fae49393a05397450978507c4ef1", )"
    R"(opaque="5ccc069c403ebaf9f0171e9517f40e41")";

DigestAuthenticator mufasa_server(seconds lifetime = seconds(300)) {
  DigestOptions options;
  options.realm = "testrealm@host.com";
  options.nonce_lifetime = lifetime;
  options.nonce_source = [] { return std::string("dcd98b7102dd2f0e8b11d0f600bfb0c093"); };
  return DigestAuthenticator(options);
}

std::map<std::string, std::string> params_of(const std::string& header) {
  auto parsed = parse_authorization(header);
  REQUIRE(parsed.has_value());
  REQUIRE(parsed->scheme == Authorization::Scheme::digest);
  return parsed->params;
}

// The nonce between the quotes after nonce= in a challenge.
std::string nonce_in(const std::string& challenge) {
  const auto at = challenge.find("nonce=\"");
  REQUIRE(at != std::string::npos);
  const auto start = at + 7;
  return challenge.substr(start, challenge.find('"', start) - start);
}

// The client side computed by python's hashlib, which shares no code with ours.
std::string python_digest(const std::string& user, const std::string& realm,
                          const std::string& password, const std::string& method,
                          const std::string& uri, const std::string& nonce, const std::string& nc,
                          const std::string& cnonce) {
  const char* script =
      "import hashlib, sys\n"
      "u, r, p, m, uri, n, nc, c = sys.argv[1:]\n"
      "h = lambda s: hashlib.md5(s.encode()).hexdigest()\n"
      "print(h(':'.join([h(u + ':' + r + ':' + p), n, nc, c, 'auth', h(m + ':' + uri)])))\n";
  auto run = vpnaas::test::run(
      {"python3", "-c", script, user, realm, password, method, uri, nonce, nc, cnonce});
  REQUIRE_MESSAGE(run.exit_code == 0, "python3 failed: " << run.err);
  return run.out.substr(0, 32);
}

} // namespace

TEST_CASE("HTTP auth: RFC 2617's Mufasa example verifies, once") {
  CHECK(digest_response("Mufasa", "testrealm@host.com", "Circle Of Life", "GET", "/dir/index.html",
                        "dcd98b7102dd2f0e8b11d0f600bfb0c093", "00000001",
                        "0a4f113b") == "6629fae49393a05397450978507c4ef1");
  auto server = mufasa_server();
  const std::string challenge = server.challenge(kNow);
  CHECK(challenge.starts_with(R"(Digest realm="testrealm@host.com", qop="auth", algorithm=MD5, )"
                              R"(nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque=")"));
  const auto params = params_of(kMufasa);
  CHECK(server.verify(params, "GET", "/dir/index.html", "Circle Of Life", kNow) ==
        DigestVerdict::ok);
  CHECK(server.verify(params, "GET", "/dir/index.html", "Circle Of Life", kNow) ==
        DigestVerdict::replayed);
  auto next = params;
  next["nc"] = "00000002";
  next["response"] = digest_response("Mufasa", "testrealm@host.com", "Circle Of Life", "GET",
                                     "/dir/index.html", next["nonce"], "00000002", "0a4f113b");
  CHECK(server.verify(next, "GET", "/dir/index.html", "Circle Of Life", kNow) == DigestVerdict::ok);
}

TEST_CASE("HTTP auth: a digest computed by python hashlib verifies against an issued nonce") {
  DigestAuthenticator server;
  const std::string nonce = nonce_in(server.challenge(kNow));
  CHECK(nonce.size() == 32);
  const std::string response =
      python_digest("HCQ08A2VJ7P", "vpnaas", "0f1e2d3c4b5a69788796a5b4c3d2e1f0", "POST", "/", nonce,
                    "00000001", "6b8b4567327b23c6");
  // The header as a RouterOS 6.42 tr069-client sends it (../shared/data/cwmp).
  const std::string header =
      fmt::format(R"(Digest username="HCQ08A2VJ7P", realm="vpnaas", uri="/", algorithm=MD5, )"
                  R"(nonce="{}", nc=00000001, cnonce="6b8b4567327b23c6", qop=auth, )"
                  R"(response="{}", opaque="")",
                  nonce, response);
  const auto params = params_of(header);
  CHECK(params.at("opaque").empty());
  CHECK(server.verify(params, "POST", "/", "0f1e2d3c4b5a69788796a5b4c3d2e1f0", kNow) ==
        DigestVerdict::ok);
  CHECK(server.verify(params, "POST", "/", "wrong-password", kNow) ==
        DigestVerdict::bad_credentials);
  CHECK(server.verify(params, "POST", "/other", "0f1e2d3c4b5a69788796a5b4c3d2e1f0", kNow) ==
        DigestVerdict::wrong_realm);
}

TEST_CASE("HTTP auth: an expired or unknown nonce is stale, but only with the right password") {
  auto server = mufasa_server(seconds(60));
  server.challenge(kNow);
  const auto params = params_of(kMufasa);
  CHECK(server.verify(params, "GET", "/dir/index.html", "Circle of life", kNow + seconds(60)) ==
        DigestVerdict::bad_credentials);
  CHECK(server.verify(params, "GET", "/dir/index.html", "Circle Of Life", kNow + seconds(60)) ==
        DigestVerdict::stale_nonce);
  CHECK(server.nonces_in_use() == 0);
  CHECK(server.challenge(kNow, true).ends_with(", stale=true"));
  DigestAuthenticator restarted;
  CHECK(restarted.verify(params, "GET", "/dir/index.html", "Circle Of Life", kNow) ==
        DigestVerdict::wrong_realm);
  auto fresh = mufasa_server();
  CHECK(fresh.verify(params, "GET", "/dir/index.html", "Circle Of Life", kNow) ==
        DigestVerdict::stale_nonce);
}

TEST_CASE("HTTP auth: Digest without qop=auth, with another algorithm or a bad nc is malformed") {
  auto server = mufasa_server();
  server.challenge(kNow);
  for (const auto& [name, value] : std::vector<std::pair<std::string, std::string>>{
           {"qop", "auth-int"}, {"algorithm", "SHA-256"}, {"nc", "1"}, {"nc", "0000000g"}}) {
    auto params = params_of(kMufasa);
    params[name] = value;
    CHECK_MESSAGE(server.verify(params, "GET", "/dir/index.html", "Circle Of Life", kNow) ==
                      DigestVerdict::malformed,
                  name << "=" << value);
  }
  auto no_cnonce = params_of(kMufasa);
  no_cnonce.erase("cnonce");
  CHECK(server.verify(no_cnonce, "GET", "/dir/index.html", "Circle Of Life", kNow) ==
        DigestVerdict::malformed);
  CHECK(std::string(digest_verdict_name(DigestVerdict::stale_nonce)) == "stale-nonce");
}

TEST_CASE("HTTP auth: Authorization headers parse leniently, garbage does not") {
  auto basic = parse_authorization("  basic   QWxhZGRpbjpvcGVuIHNlc2FtZQ==  ");
  REQUIRE(basic.has_value());
  CHECK(basic->scheme == Authorization::Scheme::basic);
  CHECK(basic->username == "Aladdin");
  CHECK(basic->password == "open sesame");
  CHECK(verify_basic(*basic, "Aladdin", "open sesame"));
  CHECK_FALSE(verify_basic(*basic, "Aladdin", "open sesame!"));
  CHECK_FALSE(verify_basic(*basic, "aladdin", "open sesame"));
  auto unpadded = parse_authorization("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ");
  REQUIRE(unpadded.has_value());
  CHECK(unpadded->password == "open sesame");

  auto digest = parse_authorization(
      R"(DIGEST  Response = "abc" ,qop=auth,  USERNAME="a \"quoted\" name",nc=00000001)");
  REQUIRE(digest.has_value());
  CHECK(digest->username == R"(a "quoted" name)");
  CHECK(digest->params.at("response") == "abc");
  CHECK(digest->params.at("qop") == "auth");

  for (const char* bad : {"", "Basic", "Bearer abc", "Basic !!!!", "Basic bm9jb2xvbg==",
                          R"(Digest username="open)", R"(Digest nc=1, nc=2)", "Digest =x"}) {
    CHECK_MESSAGE(!parse_authorization(bad).has_value(), bad);
  }
  CHECK(basic_challenge("vpnaas") == R"(Basic realm="vpnaas")");
}

TEST_CASE("HTTP auth: a flood of challenges keeps the nonce table bounded") {
  DigestOptions options;
  options.max_nonces = 100;
  DigestAuthenticator server(options);
  for (int i = 0; i < 1000; ++i) {
    server.challenge(kNow + seconds(i));
  }
  CHECK(server.nonces_in_use() <= 100);
  CHECK(server.nonces_in_use() >= 50);
  // The newest nonce still works.
  const std::string nonce = nonce_in(server.challenge(kNow + seconds(1000)));
  std::map<std::string, std::string> params{
      {"username", "S1"}, {"realm", "vpnaas"}, {"nonce", nonce}, {"uri", "/"},
      {"qop", "auth"},    {"nc", "00000001"},  {"cnonce", "c"}};
  params["response"] = digest_response("S1", "vpnaas", "pw", "POST", "/", nonce, "00000001", "c");
  CHECK(server.verify(params, "POST", "/", "pw", kNow + seconds(1000)) == DigestVerdict::ok);
}

TEST_CASE("HTTP auth: mutated headers never crash the parser or verify") {
  // A cheap stand-in for a fuzz target, run in every build (and under ASan):
  // real headers with bytes flipped, cut and repeated.
  const std::vector<std::string> seeds{kMufasa, "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==",
                                       R"(Digest username="a\"b", nc=00000001, qop=auth)"};
  auto server = mufasa_server();
  server.challenge(kNow);
  std::uint32_t state = 12345;
  auto next = [&] {
    state = state * 1664525u + 1013904223u;
    return state >> 8;
  };
  std::size_t parsed = 0;
  std::size_t accepted = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string header = seeds[next() % seeds.size()];
    for (std::uint32_t edits = next() % 6; edits > 0 && !header.empty(); --edits) {
      const std::size_t at = next() % header.size();
      switch (next() % 3) {
      case 0:
        header[at] = static_cast<char>(next() & 0xff);
        break;
      case 1:
        header.erase(at, next() % 8);
        break;
      default:
        header.insert(at, header.substr(at, next() % 8));
        break;
      }
    }
    auto result = parse_authorization(header);
    if (!result) {
      continue;
    }
    ++parsed;
    if (result->scheme == Authorization::Scheme::basic) {
      CHECK(result->username.find(':') == std::string::npos);
    } else {
      const auto verdict =
          server.verify(result->params, "GET", "/dir/index.html", "Circle Of Life", kNow);
      if (verdict == DigestVerdict::ok || verdict == DigestVerdict::replayed) {
        // Accepted means the fields the digest covers are RFC 2617's own.
        const auto& p = result->params;
        CHECK(p.at("username") == "Mufasa");
        CHECK(p.at("cnonce") == "0a4f113b");
        CHECK(p.at("nc") == "00000001");
        accepted += verdict == DigestVerdict::ok ? 1U : 0U;
      }
    }
  }
  CHECK(parsed > 1000);
  CHECK(accepted == 1); // the first intact copy; every later one is a replay
}
