// The ACS's durability promise under fire: 200 simulated CPEs run sessions
// against the real `vpnaas acs serve` while the test kills it with SIGKILL at
// random moments and starts it again on the same data dir and port. Every
// task must end exactly once, none lost, none run twice where running twice
// would change the device, and the database must stay intact throughout.
//
// The 1,000 tasks are queued through the library's store while the server
// is down, in 20 waves (one per restart), so that every kill finds work in
// flight. The time the server is down also stands for time passing: the
// back-off of retried tasks is cut short then, so that a retry does not wait
// its 30 s. VPNAAS_CRASH_SEED replays a run.
//
// Under the sanitizer the run is a fifth as large (40 CPEs, 200 tasks, 10
// waves and kills): ASan finds a memory error on the first pass through the
// restart and recovery paths, and the full run cost 118 CPU-s there against
// 26 s of wall time in the normal build, which CI runs too and where the
// issue's figures (200, 1,000, 20) are checked.

#include <vpnaas/acs/sqlite_store.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <map>
#include <random>
#include <sqlite3.h>
#include <string>
#include <thread>
#include <vector>

#include "support/cwmp/acs_process.hpp"
#include "support/cwmp/cpe_fleet.hpp"
#include "support/cwmp/cpe_simulator.hpp"
#include "support/paths.hpp"
#include "support/sanitizer.hpp"

namespace vpnaas::test {
namespace {

using acs::TaskKind;
using acs::TaskState;

constexpr std::size_t kCpes = kUnderSanitizer ? 40 : 200;
constexpr int kTasks = kUnderSanitizer ? 200 : 1000;
constexpr int kMinKills = kUnderSanitizer ? 10 : 20;
// A kill counts only if tasks were open; a wave is often done before the
// random moment of its kill (11 kills, 8 with tasks open, failed CI's
// sanitizer stage once the server claimed faster), so there are twice as
// many waves as kills needed, and the run goes on while waves are left.
constexpr int kWaves = 2 * kMinKills;

// What a task is meant to end as, for the checks after the run.
enum class Plan { get, get_fault, set, set_busy_once, reboot, download, upload };

struct PlannedTask {
  int index = 0;
  std::size_t cpe = 0;
  Plan plan = Plan::get;
  std::string key; // CommandKey, ParameterKey or the first parameter name
  acs::TaskId id = 0;
};

std::string serial_of(std::size_t cpe) {
  return fmt::format("CRASH{:04d}", cpe);
}

// One statement's first column as text, on a read-only connection.
std::string query_text(const std::filesystem::path& database, const std::string& sql) {
  sqlite3* db = nullptr;
  std::string out = "(cannot open)";
  if (sqlite3_open_v2(database.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* statement = nullptr;
    out = "(cannot prepare)";
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) == SQLITE_OK) {
      out = sqlite3_step(statement) == SQLITE_ROW && sqlite3_column_text(statement, 0) != nullptr
                ? reinterpret_cast<const char*>(sqlite3_column_text(statement, 0))
                : "";
    }
    sqlite3_finalize(statement);
  }
  sqlite3_close(db);
  return out;
}

// The server is down: time passes, so retried tasks are due again.
void skip_back_offs(const std::filesystem::path& database) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(database.c_str(), &db) == SQLITE_OK);
  const auto now =
      std::chrono::duration_cast<std::chrono::milliseconds>(acs::Clock::now().time_since_epoch())
          .count();
  const std::string sql = fmt::format(
      "UPDATE tasks SET next_attempt_at = {} WHERE state = 'queued' AND next_attempt_at > {}", now,
      now);
  CHECK(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
}

acs::NewTask new_task(const PlannedTask& t) {
  acs::NewTask task;
  task.serial = serial_of(t.cpe);
  switch (t.plan) {
  case Plan::get:
  case Plan::get_fault:
    task.kind = TaskKind::get_parameter_values;
    task.payload_json = fmt::format(R"({{"names": ["{}", "Device.DeviceInfo."]}})", t.key);
    break;
  case Plan::set:
  case Plan::set_busy_once:
    task.kind = TaskKind::set_parameter_values;
    task.command_key = t.key;
    task.payload_json = fmt::format(
        R"({{"parameters": {{"Device.DeviceInfo.X_MIKROTIK_SystemIdentity": "{}"}}}})", t.key);
    break;
  case Plan::reboot:
    task.kind = TaskKind::reboot;
    task.command_key = t.key;
    break;
  case Plan::download:
    task.kind = TaskKind::download;
    task.command_key = t.key;
    task.payload_json = fmt::format(
        R"({{"file_type": "3 Vendor Configuration File", "file_name": "vpnaas-{}.alter", )"
        R"("content": "# {}\n"}})",
        t.key, t.key);
    break;
  case Plan::upload:
    task.kind = TaskKind::upload;
    task.command_key = t.key;
    task.payload_json = R"({"file_type": "1 Vendor Configuration File"})";
    break;
  }
  return task;
}

std::vector<PlannedTask> plan_tasks(std::mt19937& rng) {
  std::vector<PlannedTask> tasks;
  std::vector<bool> has_reboot(kCpes, false);
  std::uniform_int_distribution<int> percent(0, 99);
  for (int i = 0; i < kTasks; ++i) {
    PlannedTask t;
    t.index = i;
    t.cpe = static_cast<std::size_t>(i) % kCpes;
    const int r = percent(rng);
    t.plan = r < 22   ? Plan::get
             : r < 30 ? Plan::get_fault
             : r < 50 ? Plan::set
             : r < 58 ? Plan::set_busy_once
             : r < 70 ? Plan::reboot
             : r < 87 ? Plan::download
                      : Plan::upload;
    // One Reboot per CPE: its boot then tells which Reboot it ran.
    if (t.plan == Plan::reboot && has_reboot[t.cpe]) {
      t.plan = Plan::get;
    }
    if (t.plan == Plan::reboot) {
      has_reboot[t.cpe] = true;
    }
    t.key = t.plan == Plan::get || t.plan == Plan::get_fault
                ? fmt::format("Device.X_CRASH_Task.t{}", i)
                : fmt::format("t{}", i);
    tasks.push_back(t);
  }
  return tasks;
}

} // namespace

TEST_CASE("CPEs and tasks through kill -9 of the server end every task exactly once") {
  const auto template_path = shared_path("data/cwmp/mikrotik-inform-haplite-6.42rc49.xml");
  if (!template_path) {
    return;
  }
  const char* seed_text = std::getenv("VPNAAS_CRASH_SEED");
  const unsigned seed = seed_text != nullptr
                            ? static_cast<unsigned>(std::strtoul(seed_text, nullptr, 10))
                            : std::random_device{}();
  MESSAGE("crash test seed ", seed, " (VPNAAS_CRASH_SEED replays it)");
  std::mt19937 rng(seed);
  const auto started = std::chrono::steady_clock::now();

  AcsProcess server;
  // The server made its database; the devices are bound to inventory names
  // through the store, as `vpnaas device accept` does.
  REQUIRE(server.stop(SIGTERM) == 0);
  std::vector<PlannedTask> tasks = plan_tasks(rng);
  {
    auto store = acs::open_sqlite_store(server.database());
    REQUIRE(store.ok());
    for (std::size_t cpe = 0; cpe < kCpes; ++cpe) {
      acs::InformRecord inform;
      inform.serial = serial_of(cpe);
      inform.manufacturer = "MikroTik";
      inform.data_model_root = "Device.";
      inform.at = acs::Clock::now();
      REQUIRE((*store)->record_inform(inform, fmt::format("crash-r{}", cpe)).ok());
    }
  }

  std::vector<CpeConfig> configs;
  for (std::size_t cpe = 0; cpe < kCpes; ++cpe) {
    CpeConfig config;
    config.mode = CpeConfig::Mode::routeros;
    config.acs_url = server.url() + "/";
    config.serial = serial_of(cpe);
    config.username = config.serial;
    config.password = cpe_password(config.serial);
    config.inform_template = template_path->string();
    config.download_later = true;
    config.transfer_complete_without_event_7 = cpe % 2 == 0;
    configs.push_back(config);
  }
  for (const PlannedTask& t : tasks) {
    if (t.plan == Plan::get_fault) {
      configs[t.cpe].faults_by_key[t.key] = {9005, "Invalid parameter name"};
    } else if (t.plan == Plan::set_busy_once) {
      configs[t.cpe].faults_once_by_key[t.key] = {9002, "Internal error"};
    }
  }
  CpeFleet fleet(std::move(configs));

  // Waves of tasks, queued while the server is down.
  int queued = 0;
  auto queue_wave = [&](int wave) {
    auto store = acs::open_sqlite_store(server.database());
    REQUIRE(store.ok());
    for (PlannedTask& t : tasks) {
      if (t.index % kWaves == wave) {
        auto id = (*store)->enqueue(new_task(t), acs::Clock::now());
        REQUIRE(id.ok());
        t.id = *id;
        ++queued;
      }
    }
  };

  std::uniform_int_distribution<int> uptime_ms(100, 700);
  const std::string open_sql = "SELECT count(*) FROM tasks WHERE state IN ('queued', 'sent')";
  int kills = 0;
  long restart_ms = 0;
  int kills_with_open_tasks = 0;
  int wave = 0;
  queue_wave(wave++);
  server.restart();
  FleetOptions pace;
  pace.pause_min = std::chrono::milliseconds(10);
  pace.pause_max = std::chrono::milliseconds(150);
  pace.seed = seed;
  fleet.start(pace);
  // A bound on a stuck run, not a timing check: a run takes about 25 s on a
  // quiet machine and ran out of 50 s at load 10; the sanitizer build starts
  // the server 5 to 10 times slower (restarts took 17.9 s of a 51 s run in
  // CI's ASan stage).
  const auto limit = std::chrono::seconds(kUnderSanitizer ? 150 : 120);
  const auto give_up = started + limit;
  auto kill_and_restart = [&] {
    server.stop(SIGKILL);
    ++kills;
    CHECK_MESSAGE(query_text(server.database(), "PRAGMA integrity_check") == "ok", "after kill ",
                  kills);
    if (query_text(server.database(), open_sql) != "0") {
      ++kills_with_open_tasks;
    }
    skip_back_offs(server.database());
    if (wave < kWaves) {
      queue_wave(wave++);
    }
    const auto down = std::chrono::steady_clock::now();
    server.restart();
    restart_ms += std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - down)
                      .count();
  };
  // The waves, a kill at a random moment after each, until enough kills
  // found tasks open (the last waves may be done before their kill).
  while ((wave < kWaves || kills_with_open_tasks < kMinKills) &&
         std::chrono::steady_clock::now() < give_up) {
    if (wave >= kWaves && query_text(server.database(), open_sql) == "0") {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(uptime_ms(rng)));
    kill_and_restart();
  }
  // The tail: the last tasks settle; a stall (a retry waiting for its
  // back-off) is one more kill, whose downtime stands for the wait.
  bool settled = false;
  std::string open_before;
  auto last_change = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    const std::string open = query_text(server.database(), open_sql);
    if (open == "0") {
      settled = true;
      break;
    }
    if (open != open_before) {
      open_before = open;
      last_change = std::chrono::steady_clock::now();
    } else if (std::chrono::steady_clock::now() - last_change > std::chrono::milliseconds(1500)) {
      kill_and_restart();
      last_change = std::chrono::steady_clock::now();
    }
  }
  server.stop(SIGKILL);
  ++kills;
  MESSAGE("restarts took ", restart_ms, " ms");
  fleet.stop();
  const auto wall = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  MESSAGE(fmt::format("crash test: {} CPEs, {} tasks, {} kills ({} with tasks open), {} "
                      "sessions ({} broken), {} RPCs, {} ms wall",
                      kCpes, queued, kills, kills_with_open_tasks, fleet.sessions(),
                      fleet.broken_sessions(), fleet.rpcs(), wall.count()));
  CHECK(queued == kTasks);
  CHECK(kills >= kMinKills);
  CHECK(kills_with_open_tasks >= kMinKills);
  CHECK(query_text(server.database(), "PRAGMA integrity_check") == "ok");
  if (!settled) {
    const std::string log = server.log();
    MESSAGE("server log tail:\n", log.substr(log.size() > 3000 ? log.size() - 3000 : 0));
    FAIL_CHECK("tasks still open after ", limit.count(), " s: ",
               query_text(server.database(),
                          "SELECT group_concat(id || ':' || kind || ':' || state || ':' || "
                          "outcome_unknown, ' ') FROM tasks WHERE state IN ('queued', 'sent')"));
  }

  // The store's side: 1,000 tasks, each entered a final state once. Besides
  // them the server queues, once per device, the connection-request login
  // (see connection_request_login.hpp): at most one per CPE, and final too.
  CHECK(query_text(server.database(),
                   "SELECT count(*) FROM tasks WHERE command_key != "
                   "'vpnaas-connection-request-login'") == std::to_string(kTasks));
  CHECK(query_text(server.database(),
                   "SELECT count(*) FROM (SELECT serial FROM tasks WHERE command_key = "
                   "'vpnaas-connection-request-login' GROUP BY serial HAVING count(*) > 1)") ==
        "0");
  CHECK(query_text(server.database(),
                   "SELECT count(*) FROM (SELECT task_id FROM task_history WHERE to_state IN "
                   "('done', 'fault', 'expired') GROUP BY task_id HAVING count(*) != 1)") == "0");
  CHECK(query_text(server.database(),
                   "SELECT count(*) FROM tasks WHERE state NOT IN ('done', 'fault')") == "0");

  auto store = acs::open_sqlite_store(server.database());
  REQUIRE(store.ok());
  std::map<Plan, int> done_by_plan;
  for (const PlannedTask& t : tasks) {
    auto read = (*store)->task(t.id);
    REQUIRE(read.ok());
    REQUIRE(read->has_value());
    const acs::Task& task = **read;
    CpeSimulator& cpe = fleet.cpe(t.cpe);
    const auto received =
        static_cast<int>(std::count_if(cpe.received().begin(), cpe.received().end(),
                                       [&](const ReceivedRpc& r) { return r.key == t.key; }));
    const auto applied = static_cast<int>(
        std::count(cpe.applied_downloads().begin(), cpe.applied_downloads().end(), t.key));
    INFO("task ", t.id, " key ", t.key, " state ", std::string(acs::task_state_name(task.state)),
         " received ", received, " attempts ", task.attempts);
    if (task.state == TaskState::done) {
      ++done_by_plan[t.plan];
    }
    switch (t.plan) {
    case Plan::get:
    case Plan::set:
      CHECK(task.state == TaskState::done);
      CHECK(received >= 1);
      break;
    case Plan::get_fault:
      CHECK(task.state == TaskState::fault);
      CHECK(task.fault_code == 9005);
      break;
    case Plan::set_busy_once:
      // Busy the first time, then retried after the back-off.
      CHECK(task.state == TaskState::done);
      CHECK(received >= 2);
      break;
    case Plan::reboot:
      // Never run twice, and done only when the CPE ran it.
      CHECK(received <= 1);
      CHECK(task.state == TaskState::done);
      CHECK(received == 1);
      break;
    case Plan::download:
      CHECK(received <= 1);
      CHECK(applied <= 1);
      if (task.state == TaskState::done) {
        CHECK(applied == 1);
      } else {
        // The file could not be fetched (the ACS was down): the CPE said so.
        CHECK(task.state == TaskState::fault);
        CHECK(applied == 0);
      }
      break;
    case Plan::upload:
      CHECK(task.state == TaskState::done);
      CHECK(received >= 1);
      break;
    }
  }
  MESSAGE(fmt::format("done: {} get, {} set, {} set after a busy fault, {} reboot, {} download, "
                      "{} upload",
                      done_by_plan[Plan::get], done_by_plan[Plan::set],
                      done_by_plan[Plan::set_busy_once], done_by_plan[Plan::reboot],
                      done_by_plan[Plan::download], done_by_plan[Plan::upload]));
}

} // namespace vpnaas::test
