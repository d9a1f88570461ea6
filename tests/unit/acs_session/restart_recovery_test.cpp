// A non-idempotent task the ACS recorded as sent and then crashed before the
// CPE read it: the CPE's first session after the restart shows it never got
// it, and it is sent again instead of staying open for good (found by the
// 200-CPE crash test, tests/unit/acs_e2e_crash).

#include <vpnaas/acs/session/cwmp_service.hpp>
#include <vpnaas/acs/sqlite_store.hpp>
#include <vpnaas/cwmp/codec.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "support/paths.hpp"

namespace vpnaas::acs::session {
namespace {

struct Restarted {
  test::TempDir dir;
  std::shared_ptr<Store> store;
  std::vector<std::string> log;
  TimePoint now = TimePoint(std::chrono::seconds(1'800'000'000));
  std::unique_ptr<CwmpService> service;

  Restarted() {
    auto opened = open_sqlite_store(dir.path() / "acs.sqlite");
    REQUIRE(opened.ok());
    store = std::shared_ptr<Store>(std::move(*opened));
    InformRecord seen;
    seen.serial = "R1";
    seen.at = now;
    REQUIRE(store->record_inform(seen, "acme-r1").ok());
  }

  // The task as the crashed ACS left it: claimed (sent), then the restart.
  TaskId sent_before_crash(TaskKind kind, const std::string& payload) {
    NewTask task;
    task.serial = "R1";
    task.kind = kind;
    task.command_key = "k1";
    task.payload_json = payload;
    auto id = store->enqueue(task, now);
    REQUIRE(id.ok());
    auto claimed = store->claim_next("R1", now);
    REQUIRE(claimed.ok());
    REQUIRE(claimed->has_value());
    return *id;
  }

  void restart() {
    REQUIRE(store->recover_after_restart(now).ok());
    CwmpServiceOptions options;
    options.store = store;
    options.insecure_no_cpe_auth = true;
    options.base_url = "http://acs.test:7547";
    options.log = [this](const std::string& line) { log.push_back(line); };
    options.clock = [this] { return now; };
    service = std::make_unique<CwmpService>(std::move(options), Bindings{{"R1", "acme-r1"}});
  }

  http::Response post(const std::string& body) {
    http::Request request;
    request.method = "POST";
    request.target = "/";
    request.body = body;
    request.remote_address = "192.0.2.7";
    request.connection_id = 1;
    http::Response out;
    service->handle(std::move(request), [&](http::Response r) { out = std::move(r); });
    return out;
  }

  // Inform with `events`, then the empty POST: the ACS's first request.
  http::Response session(std::vector<cwmp::EventStruct> events) {
    cwmp::Inform message;
    message.device_id = {"MikroTik", "E48D8C", "hAP lite", "R1"};
    message.events = std::move(events);
    cwmp::Envelope envelope;
    envelope.body = message;
    REQUIRE(post(cwmp::write_envelope(envelope)).status == 200);
    return post("");
  }

  Task task(TaskId id) {
    auto read = store->task(id);
    REQUIRE(read.ok());
    REQUIRE(read->has_value());
    return **read;
  }
};

} // namespace

TEST_CASE("a Reboot sent just before a crash is sent again when the CPE reports no boot") {
  Restarted h;
  const TaskId id = h.sent_before_crash(TaskKind::reboot, "{}");
  h.restart();
  CHECK(h.task(id).outcome_unknown);
  const http::Response rpc = h.session({{"2 PERIODIC", ""}});
  REQUIRE(rpc.status == 200);
  auto envelope = cwmp::read_envelope(rpc.body);
  REQUIRE(envelope.ok());
  REQUIRE(std::holds_alternative<cwmp::Reboot>(envelope->body));
  CHECK(std::get<cwmp::Reboot>(envelope->body).command_key == "k1");
  const Task resent = h.task(id);
  CHECK(resent.state == TaskState::sent);
  CHECK_FALSE(resent.outcome_unknown);
  CHECK(resent.attempts == 2);
  auto history = h.store->history(id);
  REQUIRE(history.ok());
  bool requeued = false;
  for (const TaskChange& change : *history) {
    requeued = requeued || change.note.find("never received") != std::string::npos;
  }
  CHECK(requeued);
}

TEST_CASE("a Reboot the CPE did run before the crash is settled by its boot and not sent again") {
  Restarted h;
  const TaskId id = h.sent_before_crash(TaskKind::reboot, "{}");
  h.restart();
  const http::Response end = h.session({{"1 BOOT", ""}, {"M Reboot", "k1"}});
  CHECK(end.status == 204);
  CHECK(h.task(id).state == TaskState::done);
}

TEST_CASE("a Download whose file was fetched before the crash waits for its TransferComplete") {
  Restarted h;
  const TaskId id =
      h.sent_before_crash(TaskKind::download, R"({"file_name": "c.rsc", "content": "# c"})");
  auto token = h.store->issue_download_token(id, h.now + std::chrono::hours(1));
  REQUIRE(token.ok());
  REQUIRE(h.store->redeem_download_token(*token, h.now).ok());
  h.restart();
  CHECK(h.session({{"2 PERIODIC", ""}}).status == 204);
  CHECK(h.task(id).state == TaskState::sent);
  CHECK(h.task(id).outcome_unknown);
}

TEST_CASE("a Download whose file was never fetched before the crash is sent with a new link") {
  Restarted h;
  const TaskId id =
      h.sent_before_crash(TaskKind::download, R"({"file_name": "c.rsc", "content": "# c"})");
  auto token = h.store->issue_download_token(id, h.now + std::chrono::hours(1));
  REQUIRE(token.ok());
  h.restart();
  const http::Response rpc = h.session({{"2 PERIODIC", ""}});
  REQUIRE(rpc.status == 200);
  auto envelope = cwmp::read_envelope(rpc.body);
  REQUIRE(envelope.ok());
  REQUIRE(std::holds_alternative<cwmp::Download>(envelope->body));
  CHECK(std::get<cwmp::Download>(envelope->body).url.find(*token) == std::string::npos);
  // The old link is dead: the file can be applied once at most.
  CHECK_FALSE(h.store->redeem_download_token(*token, h.now).ok());
}

TEST_CASE("only Reboot, FactoryReset and an unfetched Download are sent again after a crash") {
  CHECK(decide_unreported(TaskKind::reboot, false) == UnreportedAction::requeue);
  CHECK(decide_unreported(TaskKind::factory_reset, false) == UnreportedAction::requeue);
  CHECK(decide_unreported(TaskKind::download, false) == UnreportedAction::requeue);
  CHECK(decide_unreported(TaskKind::download, true) == UnreportedAction::keep_waiting);
  CHECK(decide_unreported(TaskKind::add_object, false) == UnreportedAction::keep_waiting);
  CHECK(decide_unreported(TaskKind::upload, false) == UnreportedAction::keep_waiting);
}

} // namespace vpnaas::acs::session
