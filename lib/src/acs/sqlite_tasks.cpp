// The task queue of the SQLite store: every transition is one IMMEDIATE
// transaction that writes the task's row and its history row together.
#include <fmt/format.h>

#include <utility>

#include "sqlite_store_impl.hpp"

namespace vpnaas::acs::sqlite {

Result<TaskId> SqliteStore::enqueue(const NewTask& task, TimePoint now) {
  auto ids = enqueue_all({task}, now);
  if (!ids) {
    return ids.error();
  }
  return ids->front();
}

Result<std::vector<TaskId>> SqliteStore::enqueue_all(const std::vector<NewTask>& tasks,
                                                     TimePoint now) {
  std::lock_guard lock(m_mutex);
  Transaction tx(*m_db);
  if (auto begun = tx.begin(); !begun) {
    return begun.error();
  }
  std::vector<TaskId> ids;
  ids.reserve(tasks.size());
  for (const NewTask& task : tasks) {
    auto id = insert_task(task, now);
    if (!id) {
      return id.error();
    }
    ids.push_back(*id);
  }
  if (auto committed = tx.commit(); !committed) {
    return committed.error();
  }
  return ids;
}

Result<TaskId> SqliteStore::insert_task(const NewTask& task, TimePoint now) {
  auto inserted =
      bound("INSERT INTO tasks (serial, kind, payload, command_key, inventory_revision, state, "
            "next_attempt_at, expires_at, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?)",
            task.serial, task_kind_name(task.kind), task.payload_json, task.command_key,
            task.inventory_revision, to_ms(now), to_ms(task.expires_at), to_ms(now), to_ms(now));
  if (!inserted) {
    return inserted.error();
  }
  const TaskId id = m_db->last_insert_id();
  if (auto logged = log_change(id, std::nullopt, TaskState::queued, 0, now, "queued"); !logged) {
    return logged.error();
  }
  return id;
}

Result<std::optional<Task>> SqliteStore::claim_next(const std::string& serial, TimePoint now,
                                                    SessionWrites& writes) {
  std::lock_guard lock(m_mutex);
  // Sending a non-idempotent RPC is the one commit a power loss must not
  // undo (the RPC would be sent again): that claim is committed with
  // synchronous=FULL. The head's kind is only known inside the
  // transaction, so a claim that finds one at NORMAL starts over at FULL.
  bool full = m_options.full_sync;
  for (;;) {
    auto claimed = claim_head(serial, now, full, writes);
    if (!claimed) {
      return claimed.error();
    }
    if (!claimed->needs_full_sync) {
      if (auto reset = set_full_sync(m_options.full_sync); !reset) {
        return reset.error();
      }
      return std::move(claimed->task);
    }
    full = true;
  }
}

Status SqliteStore::complete(TaskId id, const std::string& result_json, TimePoint now) {
  std::lock_guard lock(m_mutex);
  return change_open_task(id, [&](Task& task) -> Status {
    task.result_json = result_json;
    return move_task(task, TaskState::done, now, "answered");
  });
}

Result<Task> SqliteStore::record_fault(TaskId id, int fault_code, const std::string& fault_text,
                                       const RetryPolicy& policy, TimePoint now) {
  std::lock_guard lock(m_mutex);
  Task after;
  auto changed = change_open_task(id, [&](Task& task) -> Status {
    task.fault_code = fault_code;
    task.fault_text = fault_text;
    const FaultDecision decision = decide_fault(policy, fault_code, task.attempts, now);
    if (decision.retry) {
      task.next_attempt_at = decision.next_attempt;
      auto moved = move_task(task, TaskState::queued, now,
                             fmt::format("fault {}, retry after a back-off", fault_code));
      task.state = TaskState::queued;
      after = task;
      return moved;
    }
    auto moved = move_task(task, TaskState::fault, now, fmt::format("fault {}", fault_code));
    task.state = TaskState::fault;
    after = task;
    return moved;
  });
  if (!changed) {
    return changed.error();
  }
  return after;
}

Status SqliteStore::settle(TaskId id, const Settlement& settlement, TimePoint now) {
  if (settlement.verdict == Settlement::Verdict::keep_waiting) {
    return Ok{};
  }
  std::lock_guard lock(m_mutex);
  return change_open_task(id, [&](Task& task) -> Status {
    if (settlement.verdict == Settlement::Verdict::done) {
      return move_task(task, TaskState::done, now, settlement.reason);
    }
    task.fault_code = settlement.fault_code;
    task.fault_text = settlement.reason;
    return move_task(task, TaskState::fault, now, settlement.reason);
  });
}

Status SqliteStore::await_report(TaskId id, TimePoint now) {
  std::lock_guard lock(m_mutex);
  return change_open_task(id, [&](Task& task) -> Status {
    task.outcome_unknown = true;
    return move_task(task, TaskState::sent, now,
                     "the CPE will report the outcome in a TransferComplete (Status 1)");
  });
}

Result<std::size_t> SqliteStore::recover_after_restart(TimePoint now) {
  std::lock_guard lock(m_mutex);
  Transaction tx(*m_db);
  if (auto begun = tx.begin(); !begun) {
    return begun.error();
  }
  auto open = select_tasks(fmt::format("SELECT {} FROM tasks WHERE state = 'sent' AND "
                                       "outcome_unknown = 0 ORDER BY id",
                                       kTaskColumns));
  if (!open) {
    return open.error();
  }
  for (Task& task : *open) {
    Status changed = Ok{};
    if (decide_after_restart(task.kind) == RestartAction::requeue) {
      task.next_attempt_at = now;
      changed = move_task(task, TaskState::queued, now,
                          "requeued after a restart: its answer was not recorded and sending "
                          "it again is harmless");
    } else {
      task.outcome_unknown = true;
      changed = move_task(task, TaskState::sent, now,
                          "outcome unknown after a restart: waiting for the CPE to report it");
    }
    if (!changed) {
      return changed.error();
    }
  }
  if (auto committed = tx.commit(); !committed) {
    return committed.error();
  }
  return open->size();
}

Status SqliteStore::requeue_unreceived(TaskId id, const std::string& reason, TimePoint now) {
  std::lock_guard lock(m_mutex);
  return change_open_task(id, [&](Task& task) -> Status {
    if (!task.outcome_unknown) {
      return make_error(ErrorCode::invalid_input,
                        fmt::format("task {} is sent in this run of the ACS, its outcome known to "
                                    "come: it is not requeued",
                                    id));
    }
    task.outcome_unknown = false;
    task.next_attempt_at = now;
    return move_task(task, TaskState::queued, now, reason);
  });
}

Result<std::size_t> SqliteStore::expire_due(TimePoint now) {
  std::lock_guard lock(m_mutex);
  Transaction tx(*m_db);
  if (auto begun = tx.begin(); !begun) {
    return begun.error();
  }
  auto due = select_tasks(
      fmt::format("SELECT {} FROM tasks WHERE expires_at <= ? AND (state = 'queued' OR "
                  "(state = 'sent' AND outcome_unknown = 1)) ORDER BY id",
                  kTaskColumns),
      to_ms(now));
  if (!due) {
    return due.error();
  }
  for (Task& task : *due) {
    const char* note = task.state == TaskState::queued
                           ? "expired before it was sent"
                           : "expired with its outcome unknown: the CPE never reported it";
    if (auto moved = move_task(task, TaskState::expired, now, note); !moved) {
      return moved.error();
    }
  }
  if (auto committed = tx.commit(); !committed) {
    return committed.error();
  }
  return due->size();
}

Result<std::vector<Task>> SqliteStore::open_tasks(const std::string& serial) {
  std::lock_guard lock(m_mutex);
  return select_tasks(fmt::format("SELECT {} FROM tasks WHERE serial = ? AND state IN "
                                  "('queued', 'sent') ORDER BY id",
                                  kTaskColumns),
                      serial);
}

Result<std::optional<Task>> SqliteStore::task(TaskId id) {
  std::lock_guard lock(m_mutex);
  return select_task(fmt::format("SELECT {} FROM tasks WHERE id = ?", kTaskColumns), id);
}

Result<std::vector<Task>> SqliteStore::tasks(const std::string& serial, std::size_t limit) {
  std::lock_guard lock(m_mutex);
  return select_tasks(
      fmt::format("SELECT {} FROM tasks WHERE serial = ? ORDER BY id LIMIT ?", kTaskColumns),
      serial, static_cast<std::int64_t>(limit));
}

Result<std::vector<TaskChange>> SqliteStore::history(TaskId id) {
  std::lock_guard lock(m_mutex);
  return select_rows(
      "SELECT from_state, to_state, attempts, at, note FROM task_history WHERE task_id = ? "
      "ORDER BY id",
      [id](const Statement& row) {
        TaskChange change;
        change.task = id;
        if (!row.text(0).empty()) {
          change.from = parse_task_state(row.text(0));
        }
        change.to = parse_task_state(row.text(1)).value_or(TaskState::queued);
        change.attempts = static_cast<int>(row.integer(2));
        change.at = from_ms(row.integer(3));
        change.note = row.text(4);
        return change;
      },
      id);
}

Result<SqliteStore::Claim> SqliteStore::claim_head(const std::string& serial, TimePoint now,
                                                   bool full, SessionWrites& writes) {
  if (auto set = set_full_sync(full); !set) {
    return set.error();
  }
  Transaction tx(*m_db);
  if (auto begun = tx.begin(); !begun) {
    return begun.error();
  }
  writes.committed = false;
  // The session's writes go first (a claim that starts over at FULL rolls
  // them back and writes them again), unless the claim may be deferred:
  // then only once the head turns out to need a write.
  bool written = false;
  auto write_first = [&]() -> Status {
    if (written) {
      return Ok{};
    }
    written = true;
    return write_session(serial, writes, now);
  };
  // One deferred claim and one answer at a time: writes that already hold
  // either are written now.
  if (!writes.can_defer_claim()) {
    if (auto first = write_first(); !first) {
      return first.error();
    }
  }
  Claim claim;
  // Expired heads are retired on the way, so one call finds the live head.
  for (;;) {
    auto head = select_task(fmt::format("SELECT {} FROM tasks WHERE serial = ? AND state = "
                                        "'queued' ORDER BY id LIMIT 1",
                                        kTaskColumns),
                            serial);
    if (!head) {
      return head.error();
    }
    if (!*head || (*head)->next_attempt_at > now) {
      break;
    }
    Task& task = **head;
    if (task.expires_at && *task.expires_at <= now) {
      if (auto first = write_first(); !first) {
        return first.error();
      }
      if (auto expired = move_task(task, TaskState::expired, now, "expired before it was sent");
          !expired) {
        return expired.error();
      }
      continue;
    }
    if (!full && !is_idempotent(task.kind)) {
      return Claim{std::nullopt, true}; // the transaction rolls back
    }
    if (!written && is_idempotent(task.kind)) {
      // Nothing was written: the transaction rolls back, and the move to
      // sent waits in `writes` for the session's next commit.
      writes.defer_sent(task, now);
      claim.task = std::move(task);
      return claim;
    }
    if (auto first = write_first(); !first) {
      return first.error();
    }
    task.attempts += 1;
    if (auto sent = move_task(task, TaskState::sent, now, "sent"); !sent) {
      return sent.error();
    }
    task.state = TaskState::sent;
    task.updated_at = now;
    claim.task = std::move(task);
    break;
  }
  if (auto first = write_first(); !first) {
    return first.error();
  }
  if (auto committed = tx.commit(); !committed) {
    return committed.error();
  }
  writes.committed = true;
  return claim;
}

Status SqliteStore::record_session(const std::string& serial, SessionWrites& writes,
                                   TimePoint now) {
  std::lock_guard lock(m_mutex);
  writes.committed = false;
  Transaction tx(*m_db);
  if (auto begun = tx.begin(); !begun) {
    return begun;
  }
  if (auto written = write_session(serial, writes, now); !written) {
    return written;
  }
  if (auto committed = tx.commit(); !committed) {
    return committed;
  }
  writes.committed = true;
  return Ok{};
}

Status SqliteStore::write_session(const std::string& serial, SessionWrites& writes, TimePoint now) {
  writes.refused.reset();
  if (writes.inform) {
    if (auto written = write_inform(*writes.inform, writes.inventory_device); !written) {
      return written;
    }
  }
  if (writes.sent) {
    auto found =
        select_task(fmt::format("SELECT {} FROM tasks WHERE id = ?", kTaskColumns), *writes.sent);
    if (!found) {
      return found.error();
    }
    // Another session of the CPE may have taken it meanwhile: then its
    // answer here is refused below, as any answer to a settled task.
    if (*found && (*found)->state == TaskState::queued) {
      Task& task = **found;
      task.attempts += 1;
      if (auto moved = move_task(task, TaskState::sent, writes.sent_at, "sent"); !moved) {
        return moved;
      }
    }
  }
  if (writes.completed) {
    const TaskId id = *writes.completed;
    auto found = select_task(fmt::format("SELECT {} FROM tasks WHERE id = ?", kTaskColumns), id);
    if (!found) {
      return found.error();
    }
    if (auto answerable = answerable_task(*found, id); !answerable) {
      writes.refused = answerable.error();
    } else {
      Task& task = **found;
      task.result_json = writes.result_json;
      if (auto moved = move_task(task, TaskState::done, now, "answered"); !moved) {
        return moved;
      }
    }
  }
  if (!writes.parameters_patch.empty()) {
    // A JSON merge patch of name -> value strings adds and replaces names
    // and keeps the others; an unreadable stored value is replaced. Values
    // read again unchanged (the usual periodic read) write no page.
    auto merged = bound("UPDATE devices SET parameters = merged FROM (SELECT CASE WHEN "
                        "json_valid(parameters) AND json_type(parameters) = 'object' THEN "
                        "json_patch(parameters, ?1) ELSE json(?1) END AS merged FROM devices "
                        "WHERE serial = ?2) WHERE serial = ?2 AND parameters IS NOT merged",
                        writes.parameters_patch, serial);
    if (!merged) {
      return merged;
    }
  }
  return Ok{};
}

// PRAGMA synchronous applies from the next transaction; set outside one.
Status SqliteStore::set_full_sync(bool full) {
  if (full == m_full_sync) {
    return Ok{};
  }
  auto set = m_db->exec(full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
  if (set) {
    m_full_sync = full;
  }
  return set;
}

Status SqliteStore::log_change(TaskId id, std::optional<TaskState> from, TaskState to, int attempts,
                               TimePoint at, const std::string& note) {
  auto query = m_db->prepare("INSERT INTO task_history (task_id, from_state, to_state, "
                             "attempts, at, note) VALUES (?, ?, ?, ?, ?, ?)");
  if (!query) {
    return query.error();
  }
  query->bind(id);
  if (from) {
    query->bind(task_state_name(*from));
  } else {
    query->bind(std::optional<std::int64_t>());
  }
  query->bind(task_state_name(to)).bind(attempts).bind(to_ms(at)).bind(note);
  return query->run();
}

// Writes the task's mutable columns with its new state, and the history
// row, inside the caller's transaction.
Status SqliteStore::move_task(const Task& task, TaskState to, TimePoint now,
                              const std::string& note) {
  auto updated =
      bound("UPDATE tasks SET state = ?, outcome_unknown = ?, attempts = ?, next_attempt_at = ?, "
            "fault_code = ?, fault_text = ?, result = ?, updated_at = ? WHERE id = ?",
            task_state_name(to), static_cast<std::int64_t>(task.outcome_unknown), task.attempts,
            to_ms(task.next_attempt_at), task.fault_code, task.fault_text, task.result_json,
            to_ms(now), task.id);
  if (!updated) {
    return updated;
  }
  return log_change(task.id, task.state, to, task.attempts, now, note);
}

} // namespace vpnaas::acs::sqlite
