// Stopping the server while requests are in flight.

#include <vpnaas/acs/http/server.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <future>
#include <thread>

#include "test_server.hpp"

using namespace vpnaas::test::http;
using namespace std::chrono_literals;

namespace {

ServerOptions one_listener() {
  ServerOptions options;
  options.listeners.push_back({Listener::Kind::tcp, "cwmp", "127.0.0.1", 0, {}, {}, {}});
  options.threads = 2;
  return options;
}

} // namespace

TEST_CASE("graceful stop lets a slow asynchronous handler finish and closes idle connections") {
  auto handler = std::make_shared<RecordingHandler>();
  handler->slow_delay = 600ms;
  auto server = start_server(one_listener(), handler);
  auto url = base_url(*server);

  CurlClient idle;
  REQUIRE(idle.get(url + "/first").status == 200);

  auto slow = std::async(std::launch::async, [&] {
    CurlClient client;
    return client.post(url + "/slow", "task");
  });
  REQUIRE(handler->wait_requests(2, 5s));

  auto begin = std::chrono::steady_clock::now();
  server->stop(5s);
  auto took = std::chrono::steady_clock::now() - begin;

  auto reply = slow.get();
  REQUIRE_MESSAGE(reply.curl_code == 0, reply.curl_error);
  CHECK(reply.status == 200);
  CHECK(reply.body == "POST /slow 4");
  CHECK(reply.headers["connection"] == "close");
  CHECK(took >= 300ms);
  CHECK(took < 5s);
  CHECK(server->stats().open_connections == 0);
  auto requests = handler->requests();
  CHECK(handler->closed().count(requests[0].connection_id) == 1);

  // Nobody listens any more.
  CurlClient late;
  late.set_timeout(2s);
  CHECK(late.get(url + "/late").curl_code != 0);
}

TEST_CASE("stop past its deadline closes what is left, and a late responder does nothing") {
  auto handler = std::make_shared<RecordingHandler>();
  handler->slow_delay = 1500ms;
  auto server = start_server(one_listener(), handler);
  auto url = base_url(*server);

  auto slow = std::async(std::launch::async, [&] {
    CurlClient client;
    return client.get(url + "/slow");
  });
  REQUIRE(handler->wait_requests(1, 5s));
  auto begin = std::chrono::steady_clock::now();
  server->stop(200ms);
  auto took = std::chrono::steady_clock::now() - begin;
  CHECK(took < 1200ms);
  CHECK(slow.get().curl_code != 0);
  server.reset();
  // The handler's thread answers after the server is gone (checked under
  // ASan by the sanitizer build); the handler joins it on destruction.
  std::this_thread::sleep_for(1500ms);
  CHECK(handler->requests().size() == 1);
}
