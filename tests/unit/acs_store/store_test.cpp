#include <vpnaas/acs/sqlite_store.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <sqlite3.h>
#include <string>

#include "store_test_support.hpp"
#include "support/paths.hpp"

using namespace vpnaas::acs;
using std::chrono::seconds;
using vpnaas::ErrorCode;
using vpnaas::test::kNow;
using vpnaas::test::must;
using vpnaas::test::open_store;
using vpnaas::test::query_text;
using vpnaas::test::TempDir;

namespace {

NewTask task_for(const std::string& serial, TaskKind kind, const std::string& key = {}) {
  NewTask t;
  t.serial = serial;
  t.kind = kind;
  t.command_key = key;
  t.inventory_revision = "abc123";
  return t;
}

InformRecord inform(const std::string& serial, std::vector<InformEvent> events = {}) {
  InformRecord r;
  r.serial = serial;
  r.oui = "E48D8C";
  r.product_class = "RB750Gr3";
  r.manufacturer = "MikroTik";
  r.events = std::move(events);
  r.remote_address = "192.0.2.10";
  r.software_version = "7.16";
  r.data_model_root = "Device.";
  r.connection_request_url = "http://192.0.2.10:7547/abc";
  r.at = kNow;
  return r;
}

// Runs a whole SQL script on a separate connection (a fixture database).
void exec_sql(const std::filesystem::path& path, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  char* message = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
  const std::string error = message != nullptr ? message : "";
  sqlite3_free(message);
  sqlite3_close(db);
  REQUIRE_MESSAGE(rc == SQLITE_OK, error);
}

} // namespace

TEST_CASE(
    "ACS store: a file of schema 1 is migrated, its rejected CPEs forgotten, its files kept") {
  TempDir dir;
  const auto path = dir.path() / "acs.db";
  exec_sql(path, vpnaas::test::read_file(vpnaas::test::data_path("acs/store-v1.sql")));
  auto store = open_store(path);
  CHECK(query_text(path, "SELECT MAX(version) FROM schema_version") ==
        std::to_string(kStoreSchemaVersion));
  auto devices = must(store->devices());
  REQUIRE(devices.size() == 1);
  CHECK(devices[0].serial == "HC-KEPT");
  CHECK(devices[0].binding == Binding::accepted);
  CHECK(must(store->tasks("HC-KEPT", 10)).size() == 1);
  CHECK(must(store->history(1)).size() == 3);
  const auto kept = must(store->uploads("HC-KEPT"));
  REQUIRE(kept.size() == 1);
  CHECK_FALSE(kept[0].task.has_value()); // schema 1 did not link files to tasks
  CHECK(must(store->upload_content(kept[0].id)) == "# kept v1");
  CHECK_FALSE(must(store->task(2)).has_value());
  CHECK(must(store->uploads("HC-REJECTED")).empty());
  CHECK(query_text(path, "SELECT COUNT(*) FROM download_tokens") == "0");
  CHECK(query_text(path, "SELECT COUNT(*) FROM device_events") == "0");
  // Schema 4: history ids without AUTOINCREMENT, still above the old ones.
  CHECK(query_text(path, "SELECT COUNT(*) FROM sqlite_sequence WHERE name = 'task_history'") ==
        "0");
  const TaskId next = must(store->enqueue(task_for("HC-KEPT", TaskKind::reboot), kNow));
  CHECK(must(store->history(next)).size() == 1);
  CHECK(query_text(path, fmt::format("SELECT MIN(id) > (SELECT MAX(id) FROM task_history WHERE "
                                     "task_id = 1) FROM task_history WHERE task_id = {}",
                                     next)) == "1");
  CHECK(query_text(path, "PRAGMA integrity_check") == "ok");
}

TEST_CASE("ACS store: forgetting a device removes its row, tasks, history, links and files") {
  TempDir dir;
  const auto path = dir.path() / "acs.db";
  auto store = open_store(path);
  must(store->record_inform(inform("S1", {{"1 BOOT", ""}}), ""));
  must(store->record_inform(inform("S2"), ""));
  must(store->set_binding("S1", Binding::accepted, "acme-bru-r1"));
  const TaskId done = must(store->enqueue(task_for("S1", TaskKind::upload, "k1"), kNow));
  const TaskId open = must(store->enqueue(task_for("S1", TaskKind::download, "k2"), kNow));
  const TaskId other = must(store->enqueue(task_for("S2", TaskKind::reboot, "k3"), kNow));
  REQUIRE(must(store->claim_next("S1", kNow)).has_value());
  must(store->complete(done, "{}", kNow));
  must(store->issue_download_token(open, kNow + seconds(60)));
  must(store->store_upload("S1", std::nullopt, "1 Vendor Configuration File", "a", kNow));
  must(store->store_upload("S2", std::nullopt, "1 Vendor Configuration File", "b", kNow));

  auto forgotten = must(store->forget_device("S1"));
  CHECK(forgotten.tasks == 2);
  CHECK(forgotten.uploads == 1);
  CHECK_FALSE(must(store->device("S1")).has_value());
  CHECK(must(store->tasks("S1", 10)).empty());
  CHECK(must(store->history(done)).empty());
  CHECK(must(store->uploads("S1")).empty());
  CHECK(query_text(path, "SELECT COUNT(*) FROM download_tokens") == "0");
  CHECK(query_text(path, "SELECT COUNT(*) FROM device_events WHERE serial = 'S1'") == "0");
  // The other device keeps all of its own.
  CHECK(must(store->task(other)).has_value());
  CHECK(must(store->uploads("S2")).size() == 1);

  // It calls in again: a new, pending CPE, even with an accepted name before.
  auto again = must(store->record_inform(inform("S1"), ""));
  CHECK(again.binding == Binding::pending);
  CHECK(again.device_name.empty());

  auto unknown = store->forget_device("S9");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().code == ErrorCode::unknown_name);
  CHECK(unknown.error().message == "no CPE with serial number 'S9' has called the ACS");
}

TEST_CASE("ACS store: a new file is in WAL mode at the current schema version") {
  TempDir dir;
  const auto path = dir.path() / "acs.db";
  { auto store = open_store(path); }
  CHECK(query_text(path, "PRAGMA journal_mode") == "wal");
  CHECK(query_text(path, "SELECT MAX(version) FROM schema_version") ==
        std::to_string(kStoreSchemaVersion));
  // Opening again migrates nothing and keeps one version row per migration.
  { auto store = open_store(path); }
  CHECK(query_text(path, "SELECT COUNT(*) FROM schema_version") ==
        std::to_string(kStoreSchemaVersion));
}

TEST_CASE("ACS store: a file from a newer vpnaas is refused") {
  TempDir dir;
  const auto path = dir.path() / "acs.db";
  { auto store = open_store(path); }
  query_text(path, "INSERT INTO schema_version (version) VALUES (99)");
  auto again = open_sqlite_store(path);
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().code == ErrorCode::environment);
  CHECK(again.error().message.find(fmt::format("has schema version 99, newer than the {} this "
                                               "vpnaas knows",
                                               kStoreSchemaVersion)) != std::string::npos);
}

TEST_CASE("ACS store: a file that is not a database is an io error naming it") {
  TempDir dir;
  const auto path = dir.path() / "acs.db";
  vpnaas::test::write_file(path, std::string(4096, 'x'));
  auto store = open_sqlite_store(path);
  REQUIRE_FALSE(store.ok());
  CHECK(store.error().code == ErrorCode::io);
  CHECK(store.error().message.find(path.string()) != std::string::npos);
  CHECK(store.error().hint.find("not an intact ACS store") != std::string::npos);
}

TEST_CASE("ACS store: an Inform creates a pending device, a listed serial is bound") {
  TempDir dir;
  auto store = open_store(dir.path() / "acs.db");
  auto pending =
      must(store->record_inform(inform("S1", {{"0 BOOTSTRAP", ""}, {"1 BOOT", ""}}), ""));
  CHECK(pending.binding == Binding::pending);
  CHECK(pending.last_events.size() == 2);
  CHECK(pending.last_events[0].code == "0 BOOTSTRAP");
  CHECK(pending.last_inform == kNow);
  CHECK(pending.data_model_root == "Device.");

  auto bound = must(store->record_inform(inform("S2", {{"2 PERIODIC", ""}}), "acme-bru-r1"));
  CHECK(bound.binding == Binding::accepted);
  CHECK(bound.device_name == "acme-bru-r1");

  // The next Inform replaces the events.
  must(store->set_unreachable("S1", true));
  auto again = must(store->record_inform(inform("S1", {{"2 PERIODIC", ""}}), ""));
  CHECK(again.last_events.size() == 1);
  CHECK_FALSE(again.unreachable);
  CHECK(must(store->devices()).size() == 2);

  auto unknown = store->set_binding("S9", Binding::accepted, "x");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().code == ErrorCode::unknown_name);
  CHECK(unknown.error().message == "no CPE with serial number 'S9' has called the ACS");
  CHECK(store->set_parameters("S2", R"({"Device.DeviceInfo.SoftwareVersion":"7.16"})").ok());
  CHECK(must(store->device("S2"))->parameters_json.find("7.16") != std::string::npos);
}

TEST_CASE("ACS store: a device's tasks are claimed in FIFO order, one claim per task") {
  TempDir dir;
  auto store = open_store(dir.path() / "acs.db");
  const TaskId a = must(store->enqueue(task_for("S1", TaskKind::get_parameter_values), kNow));
  const TaskId other = must(store->enqueue(task_for("S2", TaskKind::reboot, "r"), kNow));
  const TaskId b = must(store->enqueue(task_for("S1", TaskKind::set_parameter_values), kNow));
  auto first = must(store->claim_next("S1", kNow));
  REQUIRE(first.has_value());
  CHECK(first->id == a);
  CHECK(first->state == TaskState::sent);
  CHECK(first->attempts == 1);
  auto second = must(store->claim_next("S1", kNow));
  REQUIRE(second.has_value());
  CHECK(second->id == b);
  CHECK_FALSE(must(store->claim_next("S1", kNow)).has_value());
  CHECK(must(store->claim_next("S2", kNow))->id == other);

  CHECK(store->complete(a, R"({"x":1})", kNow + seconds(1)).ok());
  auto done = must(store->task(a));
  CHECK(done->state == TaskState::done);
  CHECK(done->result_json == R"({"x":1})");
  // An answer for a settled task changes nothing.
  auto twice = store->complete(a, "{}", kNow + seconds(2));
  REQUIRE_FALSE(twice.ok());
  CHECK(twice.error().message == "task 1 is done, not sent: an answer for it cannot be recorded");
  auto history = must(store->history(a));
  REQUIRE(history.size() == 3);
  CHECK_FALSE(history[0].from.has_value());
  CHECK(history[1].from == TaskState::queued);
  CHECK(history[1].to == TaskState::sent);
  CHECK(history[2].to == TaskState::done);
}

TEST_CASE("ACS store: a retryable fault requeues after a back-off that holds the queue, a final "
          "one faults") {
  TempDir dir;
  auto store = open_store(dir.path() / "acs.db");
  const RetryPolicy policy{seconds(30), seconds(3600), 2};
  const TaskId a = must(store->enqueue(task_for("S1", TaskKind::get_parameter_values), kNow));
  const TaskId b = must(store->enqueue(task_for("S1", TaskKind::get_parameter_names), kNow));
  REQUIRE(must(store->claim_next("S1", kNow))->id == a);
  auto retried = must(store->record_fault(a, 9002, "Internal error", policy, kNow));
  CHECK(retried.state == TaskState::queued);
  CHECK(retried.fault_code == 9002);
  CHECK(retried.next_attempt_at == kNow + seconds(30));
  // The head waits for its back-off and the task behind it waits too.
  CHECK_FALSE(must(store->claim_next("S1", kNow + seconds(29))).has_value());
  auto again = must(store->claim_next("S1", kNow + seconds(30)));
  REQUIRE(again.has_value());
  CHECK(again->id == a);
  CHECK(again->attempts == 2);
  auto final_fault = must(store->record_fault(a, 9002, "Internal error", policy, kNow));
  CHECK(final_fault.state == TaskState::fault);
  CHECK(must(store->claim_next("S1", kNow + seconds(31)))->id == b);
  auto bad_name = must(store->record_fault(b, 9005, "Invalid parameter name", policy, kNow));
  CHECK(bad_name.state == TaskState::fault);
  CHECK(bad_name.attempts == 1);
}

TEST_CASE("ACS store: after a restart idempotent tasks are requeued, a sent Reboot waits for the "
          "CPE and is settled by it") {
  TempDir dir;
  const auto path = dir.path() / "acs.db";
  TaskId get = 0;
  TaskId reboot = 0;
  TaskId download = 0;
  {
    auto store = open_store(path);
    get = must(store->enqueue(task_for("S1", TaskKind::get_parameter_values), kNow));
    reboot = must(store->enqueue(task_for("S1", TaskKind::reboot, "reboot-7"), kNow));
    download = must(store->enqueue(task_for("S1", TaskKind::download, "dl-8"), kNow));
    for (int i = 0; i < 3; ++i) {
      REQUIRE(must(store->claim_next("S1", kNow)).has_value());
    }
  }
  auto store = open_store(path);
  CHECK(must(store->recover_after_restart(kNow)) == 3);
  CHECK(must(store->task(get))->state == TaskState::queued);
  auto open_reboot = must(store->task(reboot));
  CHECK(open_reboot->state == TaskState::sent);
  CHECK(open_reboot->outcome_unknown);
  // Only the Get is offered again: the Reboot is never sent twice.
  auto next = must(store->claim_next("S1", kNow));
  REQUIRE(next.has_value());
  CHECK(next->id == get);
  CHECK(next->attempts == 2);
  CHECK_FALSE(must(store->claim_next("S1", kNow)).has_value());
  // A second recovery touches the Get just claimed, not the waiting ones again.
  CHECK(must(store->recover_after_restart(kNow)) == 1);

  const CpeReport boot{{{"1 BOOT", ""}, {"M Reboot", "reboot-7"}}, std::nullopt};
  CHECK(store->settle(reboot, settle_open_task(TaskKind::reboot, "reboot-7", boot), kNow).ok());
  CHECK(must(store->task(reboot))->state == TaskState::done);
  // The Download is still waiting; its TransferComplete comes in a later session.
  CHECK(store->settle(download, settle_open_task(TaskKind::download, "dl-8", boot), kNow).ok());
  CHECK(must(store->task(download))->state == TaskState::sent);
  const CpeReport transfer{{}, TransferOutcome{"dl-8", 9010, "Download failure"}};
  CHECK(store->settle(download, settle_open_task(TaskKind::download, "dl-8", transfer), kNow).ok());
  auto failed = must(store->task(download));
  CHECK(failed->state == TaskState::fault);
  CHECK(failed->fault_code == 9010);
}

TEST_CASE("ACS store: queued and outcome-unknown tasks expire, answered ones do not") {
  TempDir dir;
  auto store = open_store(dir.path() / "acs.db");
  auto expiring = [&](const std::string& serial, TaskKind kind) {
    NewTask t = task_for(serial, kind, "k");
    t.expires_at = kNow + seconds(60);
    return must(store->enqueue(t, kNow));
  };
  const TaskId queued = expiring("S1", TaskKind::get_parameter_values);
  const TaskId reboot = expiring("S2", TaskKind::reboot);
  const TaskId in_session = expiring("S3", TaskKind::get_parameter_names);
  REQUIRE(must(store->claim_next("S2", kNow)).has_value());
  REQUIRE(must(store->claim_next("S3", kNow)).has_value());
  REQUIRE(must(store->recover_after_restart(kNow)) == 2); // S3's Get is requeued
  REQUIRE(must(store->claim_next("S3", kNow)).has_value());
  CHECK(must(store->expire_due(kNow + seconds(59))) == 0);
  CHECK(must(store->expire_due(kNow + seconds(60))) == 2);
  CHECK(must(store->task(queued))->state == TaskState::expired);
  CHECK(must(store->task(reboot))->state == TaskState::expired);
  CHECK(must(store->task(in_session))->state == TaskState::sent);
  // A claim also retires an expired head instead of sending it.
  NewTask late = task_for("S4", TaskKind::get_rpc_methods);
  late.expires_at = kNow;
  const TaskId stale = must(store->enqueue(late, kNow));
  CHECK_FALSE(must(store->claim_next("S4", kNow)).has_value());
  CHECK(must(store->task(stale))->state == TaskState::expired);
}

TEST_CASE("ACS store: uploads are size-limited and the oldest make room") {
  TempDir dir;
  SqliteStoreOptions options;
  options.max_upload_bytes = 100;
  options.max_device_upload_bytes = 250;
  auto store = open_store(dir.path() / "acs.db", options);
  const std::string file(std::string(90, 'a') + std::string(1, '\0') + "z");
  const auto first =
      must(store->store_upload("S1", std::nullopt, "1 Vendor Configuration File", file, kNow));
  must(store->store_upload("S1", std::nullopt, "2 Vendor Log File", std::string(100, 'b'), kNow));
  must(store->store_upload("S2", std::nullopt, "2 Vendor Log File", std::string(100, 'c'), kNow));
  CHECK(must(store->upload_content(first)) == file);
  const auto third = must(
      store->store_upload("S1", std::nullopt, "2 Vendor Log File", std::string(80, 'd'), kNow));
  auto kept = must(store->uploads("S1"));
  REQUIRE(kept.size() == 2);
  CHECK(kept[0].file_type == "2 Vendor Log File");
  CHECK(kept[1].id == third);
  CHECK(must(store->uploads("S2")).size() == 1);
  auto big = store->store_upload("S1", std::nullopt, "1 Vendor Configuration File",
                                 std::string(101, 'x'), kNow);
  REQUIRE_FALSE(big.ok());
  CHECK(big.error().code == ErrorCode::invalid_input);
  CHECK(big.error().message ==
        "the file CPE S1 uploaded has 101 bytes, more than the 100 a file may have");
}

TEST_CASE("ACS store: a download token works once, until it expires, and only the latest") {
  TempDir dir;
  const auto path = dir.path() / "acs.db";
  auto store = open_store(path);
  const TaskId id = must(store->enqueue(task_for("S1", TaskKind::download, "d"), kNow));
  const std::string old_token = must(store->issue_download_token(id, kNow + seconds(60)));
  const std::string token = must(store->issue_download_token(id, kNow + seconds(60)));
  CHECK(token.size() == 64);
  CHECK(token != old_token);
  // Only its hash is in the file.
  CHECK(query_text(path, "SELECT COUNT(*) FROM download_tokens WHERE token_hash = '" + token +
                             "'") == "0");
  CHECK_FALSE(store->redeem_download_token(old_token, kNow).ok());
  CHECK_FALSE(store->redeem_download_token(token, kNow + seconds(60)).ok());
  CHECK(must(store->redeem_download_token(token, kNow + seconds(59))) == id);
  auto reused = store->redeem_download_token(token, kNow + seconds(59));
  REQUIRE_FALSE(reused.ok());
  CHECK(reused.error().code == ErrorCode::unknown_name);
  CHECK(reused.error().message == "the download link is unknown, already used or expired");
  CHECK_FALSE(store->issue_download_token(999, kNow).ok());
}

TEST_CASE("ACS store: a Download answered with Status 1 waits for its TransferComplete, then "
          "expires without one") {
  TempDir dir;
  auto store = open_store(dir.path() / "acs.db");
  NewTask download = task_for("S1", TaskKind::download, "dl-1");
  download.expires_at = kNow + seconds(600);
  const TaskId settled = must(store->enqueue(download, kNow));
  download.command_key = "dl-2";
  const TaskId abandoned = must(store->enqueue(download, kNow));
  REQUIRE(must(store->claim_next("S1", kNow))->id == settled);
  CHECK(store->await_report(settled, kNow).ok());
  REQUIRE(must(store->claim_next("S1", kNow))->id == abandoned);
  CHECK(store->await_report(abandoned, kNow).ok());
  // A restart leaves both as they are: their outcome was already awaited.
  CHECK(must(store->recover_after_restart(kNow)) == 0);
  const CpeReport later{{}, TransferOutcome{"dl-1", 0, {}}};
  CHECK(store->settle(settled, settle_open_task(TaskKind::download, "dl-1", later), kNow).ok());
  CHECK(must(store->task(settled))->state == TaskState::done);
  CHECK(must(store->expire_due(kNow + seconds(600))) == 1);
  CHECK(must(store->task(abandoned))->state == TaskState::expired);
  auto history = must(store->history(abandoned));
  REQUIRE(history.size() == 4);
  CHECK(history[2].note == "the CPE will report the outcome in a TransferComplete (Status 1)");
  CHECK_FALSE(store->await_report(abandoned, kNow).ok());
}

TEST_CASE("ACS store: a session's writes ride on its claim, in one transaction with it") {
  TempDir dir;
  const auto path = dir.path() / "acs.db";
  auto store = open_store(path);
  auto ids = must(store->enqueue_all({task_for("S1", TaskKind::get_parameter_values),
                                      task_for("S1", TaskKind::get_rpc_methods, "k1")},
                                     kNow));
  REQUIRE(ids.size() == 2);
  CHECK(ids[1] == ids[0] + 1);

  // Nothing is known of S1 until its session's first claim writes the Inform.
  auto start = must(store->session_start("S1", "k1"));
  CHECK_FALSE(start.device.has_value());
  CHECK(start.open_tasks.size() == 2);
  REQUIRE(start.latest_with_key.has_value());
  CHECK(start.latest_with_key->id == ids[1]);

  SessionWrites writes;
  writes.inform = inform("S1", {{"2 PERIODIC", ""}});
  auto first = must(store->claim_next("S1", kNow, writes));
  REQUIRE(first.has_value());
  CHECK(first->id == ids[0]);
  auto device = must(store->device("S1"));
  REQUIRE(device.has_value());
  CHECK(device->binding == Binding::pending);
  CHECK(device->last_events.size() == 1);

  // The answer, the parameters it read and the next claim: one commit.
  SessionWrites answer;
  answer.completed = ids[0];
  answer.result_json = R"({"parameters":{"Device.A":"1"}})";
  answer.parameters_patch = R"({"Device.A":"1","Device.B":"x"})";
  auto second = must(store->claim_next("S1", kNow, answer));
  REQUIRE(second.has_value());
  CHECK(second->id == ids[1]);
  CHECK_FALSE(answer.refused.has_value());
  CHECK(must(store->task(ids[0]))->state == TaskState::done);
  CHECK(must(store->device("S1"))->parameters_json == R"({"Device.A":"1","Device.B":"x"})");

  // A later read merges into what is stored; an answer to a task that is not
  // sent is refused without stopping the claim.
  SessionWrites late;
  late.completed = ids[0];
  late.parameters_patch = R"({"Device.B":"y","Device.C":"z"})";
  CHECK_FALSE(must(store->claim_next("S1", kNow, late)).has_value());
  REQUIRE(late.refused.has_value());
  CHECK(late.refused->code == ErrorCode::invalid_input);
  CHECK(must(store->device("S1"))->parameters_json ==
        R"({"Device.A":"1","Device.B":"y","Device.C":"z"})");
  CHECK(must(store->task(ids[1]))->state == TaskState::sent);

  // A session that ends without a claim writes its Inform on its own.
  SessionWrites ended;
  ended.inform = inform("S2");
  REQUIRE(store->record_session("S2", ended, kNow).ok());
  CHECK(must(store->device("S2")).has_value());
  CHECK(query_text(path, "PRAGMA integrity_check") == "ok");
}

TEST_CASE(
    "ACS store: a deferred claim of an idempotent head writes nothing until the next commit") {
  TempDir dir;
  const auto path = dir.path() / "acs.db";
  auto store = open_store(path);
  NewTask reboot = task_for("S1", TaskKind::reboot, "r1");
  auto ids = must(store->enqueue_all({task_for("S1", TaskKind::get_parameter_values), reboot,
                                      task_for("S1", TaskKind::get_rpc_methods)},
                                     kNow));
  REQUIRE(ids.size() == 3);

  SessionWrites writes;
  writes.defer_idempotent_sent = true;
  writes.inform = inform("S1", {{"2 PERIODIC", ""}});
  CHECK(writes.can_defer_claim());
  auto first = must(store->claim_next("S1", kNow, writes));
  REQUIRE(first.has_value());
  CHECK(first->id == ids[0]);
  CHECK(first->state == TaskState::sent);
  CHECK(first->attempts == 1);
  // Nothing was committed: the Inform and the move to sent wait in `writes`.
  CHECK_FALSE(writes.committed);
  REQUIRE(writes.sent.has_value());
  CHECK(*writes.sent == ids[0]);
  CHECK_FALSE(writes.can_defer_claim());
  CHECK_FALSE(must(store->device("S1")).has_value());
  CHECK(must(store->task(ids[0]))->state == TaskState::queued);

  // The answer: sent, done, the Inform, and the claim of the Reboot, which
  // is not idempotent and is committed before it is sent, in one commit.
  const TimePoint later = kNow + std::chrono::seconds(2);
  writes.completed = ids[0];
  writes.result_json = R"({"parameters":{}})";
  auto second = must(store->claim_next("S1", later, writes));
  REQUIRE(second.has_value());
  CHECK(second->id == ids[1]);
  CHECK(writes.committed);
  CHECK(must(store->device("S1")).has_value());
  const Task done = *must(store->task(ids[0]));
  CHECK(done.state == TaskState::done);
  CHECK(done.attempts == 1);
  auto history = must(store->history(ids[0]));
  REQUIRE(history.size() == 3);
  CHECK(history[1].to == TaskState::sent);
  CHECK(history[1].at == kNow);
  CHECK(history[2].to == TaskState::done);
  CHECK(history[2].at == later);
  CHECK(must(store->task(ids[1]))->state == TaskState::sent);

  // Without the flag (a caller that commits nothing later), an idempotent
  // head is committed as sent at once.
  SessionWrites none;
  none.completed = ids[1];
  auto third = must(store->claim_next("S1", later, none));
  REQUIRE(third.has_value());
  CHECK(third->id == ids[2]);
  CHECK(none.committed);
  CHECK(must(store->task(ids[2]))->state == TaskState::sent);

  // A deferred move for a task no longer queued changes nothing, and the
  // answer to it is refused.
  SessionWrites stale;
  stale.sent = ids[0];
  stale.sent_at = later;
  stale.completed = ids[0];
  REQUIRE(store->record_session("S1", stale, later).ok());
  CHECK(stale.committed);
  REQUIRE(stale.refused.has_value());
  CHECK(must(store->task(ids[0]))->attempts == 1);
  CHECK(query_text(path, "PRAGMA integrity_check") == "ok");
}
