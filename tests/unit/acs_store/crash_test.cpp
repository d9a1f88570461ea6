// The store under kill -9: a child process moves tasks through their states
// as fast as it can and is killed at random moments; after each kill the file
// must be intact, hold every task the child saw committed, exactly once, and
// every task's history must consist of allowed, forward steps that agree with
// the task's row.
#include <vpnaas/acs/sqlite_store.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <poll.h>
#include <random>
#include <set>
#include <signal.h>
#include <sqlite3.h>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "store_test_support.hpp"
#include "support/paths.hpp"

using namespace vpnaas::acs;
using vpnaas::test::TempDir;

namespace {

constexpr int kRounds = 24;
constexpr int kDevices = 6;

// Child side: report a committed fact to the parent on the pipe. One write()
// below PIPE_BUF is atomic, so a kill never leaves half a line behind.
void report(int fd, const std::string& line) {
  const std::string text = line + "\n";
  (void)!write(fd, text.data(), text.size());
}

[[noreturn]] void child_fail(int fd, const vpnaas::Error& error) {
  report(fd, "X " + to_string(error));
  _exit(3);
}

// Runs until killed: enqueue, claim, answer, fault, settle, expire, on
// kDevices devices, reporting each commit.
[[noreturn]] void churn(const std::filesystem::path& path, int round, int fd) {
  auto opened = open_sqlite_store(path);
  if (!opened) {
    child_fail(fd, opened.error());
  }
  Store& store = **opened;
  if (auto recovered = store.recover_after_restart(Clock::now()); !recovered) {
    child_fail(fd, recovered.error());
  }
  std::mt19937 random(static_cast<unsigned>(round) * 7919u + 1);
  const std::vector<TaskKind> kinds{TaskKind::get_parameter_values, TaskKind::set_parameter_values,
                                    TaskKind::reboot, TaskKind::download};
  const RetryPolicy retry_now{std::chrono::seconds(0), std::chrono::seconds(0), 3};
  for (long n = 0;; ++n) {
    const std::string serial = fmt::format("S{}", random() % kDevices);
    const auto now = Clock::now();
    switch (random() % 5) {
    case 0:
    case 1: {
      NewTask task;
      task.serial = serial;
      task.kind = kinds[random() % kinds.size()];
      task.command_key = fmt::format("r{}-{}", round, n);
      auto id = store.enqueue(task, now);
      if (!id) {
        child_fail(fd, id.error());
      }
      report(fd, fmt::format("E {} {}", *id, task.command_key));
      break;
    }
    case 2:
    case 3: {
      auto claimed = store.claim_next(serial, now);
      if (!claimed) {
        child_fail(fd, claimed.error());
      }
      if (!*claimed) {
        break;
      }
      const Task& task = **claimed;
      report(fd, fmt::format("S {} {}", task.id, task.attempts));
      // Only idempotent tasks fault here, so a Reboot or Download sent more
      // than once can only come from the store.
      if (is_idempotent(task.kind) && random() % 3 == 0) {
        auto after = store.record_fault(task.id, 9002, "Internal error", retry_now, now);
        if (!after) {
          child_fail(fd, after.error());
        }
        report(fd, fmt::format("F {} {}", task.id, task_state_name(after->state)));
      } else if (task.kind == TaskKind::download && random() % 2 == 0) {
        // Status 1: the TransferComplete comes later (the settling below).
        if (auto waiting = store.await_report(task.id, now); !waiting) {
          child_fail(fd, waiting.error());
        }
        report(fd, fmt::format("W {}", task.id));
      } else if (random() % 4 != 0) {
        if (auto done = store.complete(task.id, "{}", now); !done) {
          child_fail(fd, done.error());
        }
        report(fd, fmt::format("D {}", task.id));
      }
      break;
    }
    default: {
      // The CPE reports what happened to tasks left open by earlier kills.
      auto open = store.open_tasks(serial);
      if (!open) {
        child_fail(fd, open.error());
      }
      for (const Task& task : *open) {
        if (!task.outcome_unknown) {
          continue;
        }
        const CpeReport said{{{"M Reboot", task.command_key}},
                             TransferOutcome{task.command_key, 0, {}}};
        if (auto settled =
                store.settle(task.id, settle_open_task(task.kind, task.command_key, said), now);
            !settled) {
          child_fail(fd, settled.error());
        }
        report(fd, fmt::format("D {}", task.id));
      }
      break;
    }
    }
  }
}

struct Reported {
  std::map<TaskId, std::string> enqueued; // id -> command key
  std::map<TaskId, int> sent_attempts;    // highest attempt count seen committed
  std::set<TaskId> done;
  std::size_t lines = 0;
};

void parse_reports(const std::string& text, Reported& out) {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (lines.eof()) {
      break; // no newline yet: the write was cut by the kill
    }
    std::istringstream words(line);
    char kind = 0;
    TaskId id = 0;
    words >> kind;
    REQUIRE_MESSAGE(kind != 'X', line);
    words >> id;
    ++out.lines;
    if (kind == 'E') {
      words >> out.enqueued[id];
    } else if (kind == 'S') {
      int attempts = 0;
      words >> attempts;
      out.sent_attempts[id] = std::max(out.sent_attempts[id], attempts);
    } else if (kind == 'D') {
      out.done.insert(id);
    }
  }
}

// Runs the child for a random time, then kill -9; returns what it reported.
std::string run_and_kill(const std::filesystem::path& path, int round, std::mt19937& random) {
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    close(fds[0]);
    churn(path, round, fds[1]);
  }
  close(fds[1]);
  // The random moment counts from the child's first commit, so that a slow
  // start (a loaded machine, a sanitizer build) does not eat the window.
  const auto window = std::chrono::milliseconds(10 + random() % 190);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  bool started = false;
  std::string text;
  char buffer[4096];
  // Drain while it runs, so a full pipe never parks the child in write().
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fds[0], POLLIN, 0};
    if (poll(&p, 1, 5) > 0) {
      const ssize_t got = read(fds[0], buffer, sizeof buffer);
      if (got <= 0) {
        break; // the child died by itself: its X line says why
      }
      text.append(buffer, static_cast<std::size_t>(got));
      if (!started) {
        started = true;
        deadline = std::chrono::steady_clock::now() + window;
      }
    }
  }
  kill(pid, SIGKILL);
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  for (ssize_t got; (got = read(fds[0], buffer, sizeof buffer)) > 0;) {
    text.append(buffer, static_cast<std::size_t>(got));
  }
  close(fds[0]);
  INFO(text.substr(text.size() > 400 ? text.size() - 400 : 0));
  CHECK(WIFSIGNALED(status));
  return text;
}

// Direct SQL on the file, as an operator would check it.
std::vector<std::vector<std::string>> rows(const std::filesystem::path& path,
                                           const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  REQUIRE_MESSAGE(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK,
                  sqlite3_errmsg(db));
  std::vector<std::vector<std::string>> out;
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    std::vector<std::string> row;
    for (int c = 0; c < sqlite3_column_count(stmt); ++c) {
      const unsigned char* text = sqlite3_column_text(stmt, c);
      row.emplace_back(text != nullptr ? reinterpret_cast<const char*>(text) : "");
    }
    out.push_back(std::move(row));
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return out;
}

bool allowed_step(const std::string& from, const std::string& to, bool idempotent) {
  if (from.empty()) {
    return to == "queued";
  }
  if (from == "queued") {
    return to == "sent" || to == "expired";
  }
  if (from == "sent") {
    // sent -> queued is a retry or a requeue after a restart: idempotent
    // kinds only. sent -> sent marks the outcome unknown: the others only.
    return to == "done" || to == "fault" || to == "expired" || (to == "queued" && idempotent) ||
           (to == "sent" && !idempotent);
  }
  return false; // nothing leaves a final state
}

struct Snapshot {
  std::string state;
  int attempts = 0;
  std::size_t changes = 0;
};

} // namespace

TEST_CASE("ACS store: kill -9 at random moments loses, duplicates and rewinds no task") {
  TempDir dir;
  const auto path = dir.path() / "acs.db";
  { auto created = vpnaas::test::open_store(path); }
  std::mt19937 random(20261130);
  Reported reported;
  std::map<TaskId, Snapshot> before;
  std::size_t unknown_outcomes = 0;
  for (int round = 0; round < kRounds; ++round) {
    CAPTURE(round);
    parse_reports(run_and_kill(path, round, random), reported);

    REQUIRE(rows(path, "PRAGMA integrity_check") == std::vector<std::vector<std::string>>{{"ok"}});
    // Every task the child saw committed is there with its CommandKey, once.
    std::map<TaskId, std::vector<std::string>> tasks;
    for (auto& row : rows(path, "SELECT id, command_key, kind, state, attempts FROM tasks")) {
      tasks[std::stoll(row[0])] = row;
    }
    for (const auto& [id, key] : reported.enqueued) {
      REQUIRE_MESSAGE(tasks.count(id) == 1, "task " << id << " was lost");
      CHECK(tasks[id][1] == key);
    }
    CHECK(rows(path, "SELECT command_key FROM tasks GROUP BY command_key HAVING COUNT(*) > 1")
              .empty());
    for (const auto& [id, attempts] : reported.sent_attempts) {
      CHECK(std::stoi(tasks[id][4]) >= attempts);
    }
    for (TaskId id : reported.done) {
      CHECK(tasks[id][3] == "done");
    }

    // Each history is a chain of allowed steps ending in the task's state.
    unknown_outcomes = 0;
    std::map<TaskId, std::vector<std::vector<std::string>>> history;
    for (auto& row : rows(path, "SELECT task_id, COALESCE(from_state, ''), to_state, attempts, "
                                "note FROM task_history ORDER BY id")) {
      history[std::stoll(row[0])].push_back(row);
    }
    for (const auto& [id, row] : tasks) {
      const auto& steps = history[id];
      const bool idempotent = is_idempotent(parse_task_kind(row[2]).value());
      REQUIRE_MESSAGE(!steps.empty(), "task " << id << " has no history");
      std::string state;
      int attempts = 0;
      for (const auto& step : steps) {
        CHECK_MESSAGE(step[1] == state, "task " << id << ": history skips from " << state);
        CHECK_MESSAGE(allowed_step(step[1], step[2], idempotent),
                      "task " << id << " (" << row[2] << "): " << step[1] << " -> " << step[2]);
        CHECK(std::stoi(step[3]) >= attempts);
        state = step[2];
        attempts = std::stoi(step[3]);
        unknown_outcomes += step[4].starts_with("outcome unknown") ? 1U : 0U;
      }
      CHECK(state == row[3]);
      CHECK(attempts == std::stoi(row[4]));
      if (!idempotent) {
        CHECK_MESSAGE(attempts <= 1,
                      "task " << id << " (" << row[2] << ") was sent " << attempts << " times");
      }
      // Against the previous round: nothing undone, nothing final reopened.
      if (auto previous = before.find(id); previous != before.end()) {
        CHECK(steps.size() >= previous->second.changes);
        CHECK(attempts >= previous->second.attempts);
        if (is_final(parse_task_state(previous->second.state).value())) {
          CHECK(row[3] == previous->second.state);
        }
      }
      before[id] = Snapshot{row[3], attempts, steps.size()};
    }
    for (const auto& [id, snapshot] : before) {
      CHECK_MESSAGE(tasks.count(id) == 1, "task " << id << " disappeared");
    }
  }
  std::map<std::string, int> by_state;
  for (const auto& [id, snapshot] : before) {
    ++by_state[snapshot.state];
  }
  MESSAGE(fmt::format("{} kills, {} committed steps reported, {} tasks ({} done, {} queued, {} "
                      "sent, {} fault), {} outcome-unknown marks after restarts",
                      kRounds, reported.lines, before.size(), by_state["done"], by_state["queued"],
                      by_state["sent"], by_state["fault"], unknown_outcomes));
  // The run exercised what it claims to: work between kills, and Reboots or
  // Downloads caught in flight by a kill.
  CHECK(reported.enqueued.size() > 100);
  CHECK(unknown_outcomes > 0);
}
