// The session engine in process, with a real SQLite store and an injected
// clock: what the end-to-end tests cannot time (idle timeout, the cap) and
// the cookie and connection cases one by one.

#include <vpnaas/acs/session/cwmp_service.hpp>
#include <vpnaas/acs/sqlite_store.hpp>
#include <vpnaas/cwmp/codec.hpp>

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "support/paths.hpp"

namespace vpnaas::acs::session {
namespace {

struct Harness {
  test::TempDir dir;
  std::shared_ptr<Store> store;
  std::vector<std::string> log;
  TimePoint now = TimePoint(std::chrono::seconds(1'800'000'000));
  std::unique_ptr<CwmpService> service;

  explicit Harness(Bindings bindings = {{"R1", "acme-r1"}}) {
    auto opened = open_sqlite_store(dir.path() / "acs.sqlite");
    REQUIRE(opened.ok());
    store = std::shared_ptr<Store>(std::move(*opened));
    CwmpServiceOptions options;
    options.store = store;
    options.insecure_no_cpe_auth = true; // auth has its own tests (acs_e2e, acs_auth)
    options.base_url = "http://acs.test:7547";
    options.log = [this](const std::string& line) { log.push_back(line); };
    options.clock = [this] { return now; };
    options.idle_timeout = std::chrono::seconds(30);
    options.session_cap = std::chrono::seconds(120);
    service = std::make_unique<CwmpService>(std::move(options), std::move(bindings));
  }

  // No doctest assertion here: tests call it from several threads.
  http::Response serve(const std::string& body, std::uint64_t connection,
                       std::vector<http::Header> headers, bool& called) {
    http::Request request;
    request.method = "POST";
    request.target = "/";
    request.body = body;
    request.headers = std::move(headers);
    request.remote_address = "192.0.2.7";
    request.connection_id = connection;
    http::Response out;
    called = false;
    service->handle(std::move(request), [&](http::Response r) {
      out = std::move(r);
      called = true;
    });
    return out;
  }

  http::Response post(const std::string& body, std::uint64_t connection,
                      std::vector<http::Header> headers = {}) {
    bool called = false;
    http::Response out = serve(body, connection, std::move(headers), called);
    REQUIRE(called);
    return out;
  }

  std::string log_text() const {
    std::string all;
    for (const auto& l : log) {
      all += l + "\n";
    }
    return all;
  }
};

std::string inform(const std::string& serial, const std::string& event = "2 PERIODIC") {
  cwmp::Inform message;
  message.device_id = {"MikroTik", "E48D8C", "hAP lite", serial};
  message.events = {{event, ""}};
  message.parameters = {{"Device.DeviceInfo.SoftwareVersion", "7.15", "string"}};
  cwmp::Envelope envelope;
  envelope.version = cwmp::Version::v1_2;
  envelope.id = "42";
  envelope.body = message;
  return cwmp::write_envelope(envelope);
}

std::string cookie_of(const http::Response& response) {
  for (const auto& h : response.headers) {
    if (h.name == "Set-Cookie") {
      return h.value.substr(0, h.value.find(';'));
    }
  }
  return {};
}

TaskId queue(Harness& h, TaskKind kind) {
  NewTask task;
  task.serial = "R1";
  task.kind = kind;
  task.payload_json = R"({"names": ["Device.DeviceInfo."]})";
  auto id = h.store->enqueue(task, h.now);
  REQUIRE(id.ok());
  return *id;
}

} // namespace

TEST_CASE("the InformResponse answers in the CPE's version with its cwmp:ID and sets a cookie") {
  Harness h;
  const http::Response response = h.post(inform("R1"), 1);
  CHECK(response.status == 200);
  auto envelope = cwmp::read_envelope(response.body);
  REQUIRE(envelope.ok());
  CHECK(envelope->version == cwmp::Version::v1_2);
  CHECK(envelope->id == std::optional<std::string>("42"));
  CHECK(std::holds_alternative<cwmp::InformResponse>(envelope->body));
  CHECK(cookie_of(response).starts_with("vpnaas-session="));
  CHECK(h.service->open_sessions() == 1);
}

TEST_CASE("a cookie echoed with its attributes continues the session on a new connection") {
  Harness h;
  queue(h, TaskKind::get_parameter_values);
  const std::string cookie = cookie_of(h.post(inform("R1"), 1));
  const http::Response rpc = h.post("", 2, {{"Cookie", "Path=/; " + cookie + "; HttpOnly"}});
  CHECK(rpc.status == 200);
  auto envelope = cwmp::read_envelope(rpc.body);
  REQUIRE(envelope.ok());
  CHECK(std::holds_alternative<cwmp::GetParameterValues>(envelope->body));
  // The answer on yet another connection, the cookie quoted this time.
  cwmp::GetParameterValuesResponse values;
  values.parameters = {{"Device.DeviceInfo.SoftwareVersion", "7.15", "string"}};
  const http::Response end = h.post(cwmp::write_envelope(cwmp::answer(*envelope, values)), 3,
                                    {{"cookie", "vpnaas-session=\"" + cookie.substr(15) + "\""}});
  CHECK(end.status == 204);
  auto device = h.store->device("R1");
  REQUIRE(device.ok());
  REQUIRE(device->has_value());
  CHECK((*device)->parameters_json.find("7.15") != std::string::npos);
  CHECK(h.log_text().find("outcome=done") != std::string::npos);
}

TEST_CASE("without cookies the connection carries the session") {
  Harness h;
  queue(h, TaskKind::get_parameter_values);
  CHECK(h.post(inform("R1"), 7).status == 200);
  CHECK(h.post("", 7).status == 200);
  // On another connection and without a cookie there is no session.
  CHECK(h.post("", 8, {{"Authorization", "Digest username=\"R1\""}}).status == 400);
}

TEST_CASE("a new Inform with a stale cookie starts a new session and ends the old one") {
  Harness h;
  const std::string cookie = cookie_of(h.post(inform("R1"), 1));
  const http::Response again = h.post(inform("R1", "1 BOOT"), 1, {{"Cookie", cookie}});
  CHECK(again.status == 200);
  CHECK(cookie_of(again) != cookie);
  CHECK(h.service->open_sessions() == 1);
  CHECK(h.log_text().find("outcome=replaced-by-new-inform") != std::string::npos);
}

TEST_CASE("an idle session times out and a long one hits the cap") {
  Harness h;
  const std::string cookie = cookie_of(h.post(inform("R1"), 1));
  h.now += std::chrono::seconds(31);
  h.service->sweep();
  CHECK(h.service->open_sessions() == 0);
  CHECK(h.log_text().find("outcome=idle-timeout") != std::string::npos);
  // The cookie of an ended session opens nothing.
  CHECK(h.post("", 2, {{"Cookie", cookie}, {"Authorization", "x"}}).status == 400);

  const std::string busy = cookie_of(h.post(inform("R1"), 3));
  cwmp::Envelope ask;
  ask.body = cwmp::GetRPCMethods{};
  for (int i = 0; i < 4; ++i) {
    h.now += std::chrono::seconds(25); // never idle for 30 s, but 100 s in all
    CHECK(h.post(cwmp::write_envelope(ask), 3, {{"Cookie", busy}}).status == 200);
  }
  CHECK(h.service->open_sessions() == 1);
  h.now += std::chrono::seconds(25);
  h.service->sweep();
  CHECK(h.service->open_sessions() == 0);
  CHECK(h.log_text().find("outcome=session-cap") != std::string::npos);
}

TEST_CASE("a response to nothing and a CPE-only method from the ACS side are handled") {
  Harness h;
  const std::string cookie = cookie_of(h.post(inform("R1"), 1));
  cwmp::Envelope reboot;
  reboot.body = cwmp::Reboot{"k"};
  CHECK(h.post(cwmp::write_envelope(reboot), 1).status == 400);
  cwmp::Envelope stray;
  stray.body = cwmp::RebootResponse{};
  CHECK(h.post(cwmp::write_envelope(stray), 1).status == 204);
  CHECK(h.log_text().find("answered no request") != std::string::npos);
}

TEST_CASE("an Inform and an idempotent task's claim are committed with the answer, once") {
  Harness h;
  const TaskId asked = queue(h, TaskKind::get_parameter_values);
  const std::string cookie = cookie_of(h.post(inform("R1", "1 BOOT"), 1));
  // The InformResponse went out before anything was written.
  CHECK_FALSE(h.store->device("R1")->has_value());
  const TimePoint sent_at = h.now;
  const http::Response rpc = h.post("", 1, {{"Cookie", cookie}});
  REQUIRE(rpc.status == 200);
  // A GetParameterValues sent again after a crash is harmless: its claim
  // waits for the session's next commit, with the Inform.
  CHECK_FALSE(h.store->device("R1")->has_value());
  CHECK(h.store->task(asked)->value().state == TaskState::queued);

  h.now += std::chrono::seconds(1);
  auto envelope = cwmp::read_envelope(rpc.body);
  REQUIRE(envelope.ok());
  cwmp::GetParameterValuesResponse values;
  values.parameters = {{"Device.DeviceInfo.SoftwareVersion", "7.16", "string"}};
  CHECK(h.post(cwmp::write_envelope(cwmp::answer(*envelope, values)), 1, {{"Cookie", cookie}})
            .status == 204);
  auto device = h.store->device("R1");
  REQUIRE(device->has_value());
  CHECK((*device)->binding == Binding::accepted);
  CHECK((*device)->device_name == "acme-r1");
  REQUIRE((*device)->last_events.size() == 1);
  CHECK((*device)->last_events[0].code == "1 BOOT");
  CHECK((*device)->parameters_json == R"({"Device.DeviceInfo.SoftwareVersion":"7.16"})");
  const Task done = h.store->task(asked)->value();
  CHECK(done.state == TaskState::done);
  CHECK(done.attempts == 1);
  // The history keeps both moves with their own times.
  auto history = h.store->history(asked);
  REQUIRE(history.ok());
  REQUIRE(history->size() == 3);
  CHECK((*history)[1].to == TaskState::sent);
  CHECK((*history)[1].at == sent_at);
  CHECK((*history)[2].to == TaskState::done);
  CHECK((*history)[2].at == h.now);
}

TEST_CASE("a Reboot's claim is committed before the RPC goes out, with the Inform") {
  Harness h;
  NewTask reboot;
  reboot.serial = "R1";
  reboot.kind = TaskKind::reboot;
  reboot.command_key = "reboot-1";
  auto id = h.store->enqueue(reboot, h.now);
  REQUIRE(id.ok());
  const std::string cookie = cookie_of(h.post(inform("R1"), 1));
  const http::Response rpc = h.post("", 1, {{"Cookie", cookie}});
  REQUIRE(rpc.status == 200);
  CHECK(rpc.body.find("Reboot") != std::string::npos);
  CHECK(h.store->device("R1")->has_value());
  CHECK(h.store->task(*id)->value().state == TaskState::sent);
  CHECK(h.store->task(*id)->value().attempts == 1);
}

TEST_CASE("a session that ends without an answer writes its Inform and deferred claim then") {
  Harness h;
  const TaskId asked = queue(h, TaskKind::get_parameter_values);
  const std::string cookie = cookie_of(h.post(inform("R1"), 1));
  REQUIRE(h.post("", 1, {{"Cookie", cookie}}).status == 200);
  CHECK(h.store->task(asked)->value().state == TaskState::queued);
  // A session that ends by timing out, never claiming, writes its Inform then.
  cookie_of(h.post(inform("UNLISTED"), 2));
  CHECK_FALSE(h.store->device("UNLISTED")->has_value());
  h.now += std::chrono::seconds(31);
  h.service->sweep();
  // The unanswered read counts as an attempt, sent, settled as any other
  // open task (requeued after a restart).
  const Task sent = h.store->task(asked)->value();
  CHECK(sent.state == TaskState::sent);
  CHECK(sent.attempts == 1);
  CHECK(h.store->device("R1")->has_value());
  auto pending = h.store->device("UNLISTED");
  REQUIRE(pending->has_value());
  CHECK((*pending)->binding == Binding::pending);
  CHECK(h.log_text().find("serial=UNLISTED device=- binding=pending") != std::string::npos);
}

TEST_CASE("a fault to a deferred claim counts its attempt before the retry policy decides") {
  Harness h;
  const TaskId asked = queue(h, TaskKind::get_parameter_values);
  const std::string cookie = cookie_of(h.post(inform("R1"), 1));
  const http::Response rpc = h.post("", 1, {{"Cookie", cookie}});
  REQUIRE(rpc.status == 200);
  auto envelope = cwmp::read_envelope(rpc.body);
  REQUIRE(envelope.ok());
  cwmp::Fault fault;
  fault.fault_code = 9002; // retryable: back to queued, one attempt counted
  fault.fault_string = "Internal error";
  CHECK(h.post(cwmp::write_envelope(cwmp::answer(*envelope, fault)), 1, {{"Cookie", cookie}})
            .status == 204);
  const Task after = h.store->task(asked)->value();
  CHECK(after.state == TaskState::queued);
  CHECK(after.attempts == 1);
  CHECK(after.fault_code == 9002);
}

TEST_CASE("sessions of different CPEs run on several threads at once, each task once") {
  // The io threads serve different CPEs at once (each session has its own
  // lock): 6 threads run 40 sessions each for CPEs of their own while a
  // seventh sweeps; every task ends done once and every session is logged.
  Bindings bindings;
  for (int t = 0; t < 6; ++t) {
    bindings["T" + std::to_string(t)] = "acme-t" + std::to_string(t);
  }
  Harness h(bindings);
  constexpr int kSessions = 40;
  std::vector<std::vector<TaskId>> ids(6); // by thread
  // No doctest assertion on the worker threads: they count what went wrong.
  std::atomic<int> wrong{0};
  auto serve = [&h, &wrong](const std::string& body, std::uint64_t connection,
                            std::vector<http::Header> headers) {
    bool called = false;
    http::Response out = h.serve(body, connection, std::move(headers), called);
    if (!called) {
      ++wrong;
    }
    return out;
  };
  std::atomic<bool> done{false};
  std::thread sweeper([&] {
    while (!done) {
      h.service->sweep();
      std::this_thread::yield();
    }
  });
  std::vector<std::thread> cpes;
  for (int t = 0; t < 6; ++t) {
    cpes.emplace_back([&, t] {
      for (int i = 0; i < kSessions; ++i) {
        // Each session's task is queued just before it: a session runs all
        // the tasks queued for its CPE.
        NewTask task;
        task.serial = "T" + std::to_string(t);
        task.kind = TaskKind::get_parameter_values;
        task.payload_json = R"({"names": ["Device.DeviceInfo."]})";
        auto queued = h.store->enqueue(task, h.now);
        if (!queued) {
          ++wrong;
          continue;
        }
        ids[static_cast<std::size_t>(t)].push_back(*queued);
        const auto connection = static_cast<std::uint64_t>(1000 * (t + 1) + i);
        const http::Response informed = serve(inform("T" + std::to_string(t)), connection, {});
        const std::string cookie = cookie_of(informed);
        const http::Response rpc = serve("", connection, {{"Cookie", cookie}});
        auto envelope = cwmp::read_envelope(rpc.body);
        if (informed.status != 200 || rpc.status != 200 || !envelope.ok()) {
          ++wrong;
          continue;
        }
        cwmp::GetParameterValuesResponse values;
        values.parameters = {{"Device.DeviceInfo.SoftwareVersion", std::to_string(i), "string"}};
        if (serve(cwmp::write_envelope(cwmp::answer(*envelope, values)), connection,
                  {{"Cookie", cookie}})
                .status != 204) {
          ++wrong;
        }
      }
    });
  }
  for (auto& cpe : cpes) {
    cpe.join();
  }
  done = true;
  sweeper.join();
  CHECK(wrong == 0);
  CHECK(h.service->open_sessions() == 0);
  for (const auto& of_thread : ids) {
    CHECK(of_thread.size() == kSessions);
    for (const TaskId id : of_thread) {
      const Task task = h.store->task(id)->value();
      CHECK(task.state == TaskState::done);
      CHECK(task.attempts == 1);
    }
  }
  std::size_t logged = 0;
  for (const std::string& line : h.log) {
    logged += line.find("outcome=done") != std::string::npos ? 1U : 0U;
  }
  CHECK(logged == 6 * kSessions);
  CHECK(h.store->device("T5")->value().parameters_json ==
        R"({"Device.DeviceInfo.SoftwareVersion":"39"})");
}

} // namespace vpnaas::acs::session
