// `vpnaas acs serve --max-sessions`: past the bound an Inform is turned away
// with 503 and a Retry-After, and a session that ends frees its slot. Real
// server process, real TCP.

#include <doctest/doctest.h>

#include <string>

#include "support/cwmp/acs_process.hpp"
#include "support/cwmp/cpe_simulator.hpp"
#include "support/paths.hpp"
#include "support/run.hpp"

namespace vpnaas::test {
namespace {

std::optional<std::string> inform_for(const std::string& serial) {
  auto path = shared_path("data/cwmp/mikrotik-inform-haplite-6.42rc49.xml");
  if (!path) {
    return std::nullopt;
  }
  std::string xml = read_file(*path);
  const auto at = xml.find("XXXXXXXXXXXX");
  REQUIRE(at != std::string::npos);
  return xml.replace(at, 12, serial);
}

HttpReply post(const AcsProcess& server, const std::string& body, const std::string& cookie = {}) {
  HttpCall call;
  call.url = server.url() + "/";
  call.body = body;
  if (!cookie.empty()) {
    call.headers.push_back("Cookie: " + cookie);
  }
  return http_call(call);
}

} // namespace

TEST_CASE("past --max-sessions an Inform gets 503 with Retry-After until a session ends") {
  AcsProcess server({"--max-sessions", "1", "--insecure-no-cpe-auth"});
  INFO("server log:\n", server.log());
  auto first = inform_for("BOUND00001");
  auto second = inform_for("BOUND00002");
  if (!first || !second) {
    return;
  }
  const HttpReply opened = post(server, *first);
  REQUIRE(opened.status == 200);
  const std::string cookie =
      opened.headers.at("set-cookie").substr(0, opened.headers.at("set-cookie").find(';'));

  const HttpReply turned_away = post(server, *second);
  CHECK(turned_away.status == 503);
  REQUIRE(turned_away.headers.count("retry-after") == 1);
  const int retry_after = std::stoi(turned_away.headers.at("retry-after"));
  CHECK(retry_after >= 2);
  CHECK(retry_after <= 6);
  CHECK(server.wait_for_log("refused status=503 remote=127.0.0.1 serial=BOUND00002"));

  // The open session's own CPE may start over: that replaces its session.
  const HttpReply again = post(server, *first, cookie);
  CHECK(again.status == 200);
  const std::string cookie2 =
      again.headers.at("set-cookie").substr(0, again.headers.at("set-cookie").find(';'));

  // The empty POST ends the pending serial's session with 204: the slot is free.
  CHECK(post(server, "", cookie2).status == 204);
  auto template_path = shared_path("data/cwmp/mikrotik-inform-haplite-6.42rc49.xml");
  REQUIRE(template_path.has_value());
  CpeConfig config;
  config.acs_url = server.url() + "/";
  config.serial = "BOUND00002";
  config.inform_template = template_path->string();
  CpeSimulator cpe(config);
  const SessionLog session = cpe.run_session();
  CHECK(session.error == "");
  CHECK(session.inform_status == 200);
  CHECK(session.final_status == 204);
}

TEST_CASE("acs serve refuses a --max-sessions of 0") {
  const RunResult run = run_cli(
      {"acs", "serve", "--max-sessions", "0", "--insecure-no-cpe-auth", "--listen", "127.0.0.1:0"});
  CHECK(run.exit_code == 2);
  CHECK(run.err.find("--max-sessions") != std::string::npos);
}

} // namespace vpnaas::test
