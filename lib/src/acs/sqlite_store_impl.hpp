#pragma once

// The SQLite implementation of acs::Store, shared by sqlite_store.cpp
// (opening, devices, files, tokens) and sqlite_tasks.cpp (the task queue).
// Internal to vpnaas_acs.

#include <vpnaas/acs/sqlite_store.hpp>

#include <fmt/format.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "sqlite_checkpointer.hpp"
#include "sqlite_db.hpp"

namespace vpnaas::acs::sqlite {

inline std::int64_t to_ms(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

inline TimePoint from_ms(std::int64_t ms) {
  return TimePoint(std::chrono::duration_cast<Clock::duration>(std::chrono::milliseconds(ms)));
}

inline std::optional<std::int64_t> to_ms(const std::optional<TimePoint>& t) {
  return t ? std::optional<std::int64_t>(to_ms(*t)) : std::nullopt;
}

inline constexpr const char* kTaskColumns =
    "id, serial, kind, payload, command_key, inventory_revision, state, outcome_unknown, "
    "attempts, next_attempt_at, expires_at, fault_code, fault_text, result, created_at, "
    "updated_at";

inline Task read_task(const Statement& row) {
  Task t;
  t.id = row.integer(0);
  t.serial = row.text(1);
  t.kind = parse_task_kind(row.text(2)).value_or(TaskKind::get_rpc_methods);
  t.payload_json = row.text(3);
  t.command_key = row.text(4);
  t.inventory_revision = row.text(5);
  t.state = parse_task_state(row.text(6)).value_or(TaskState::queued);
  t.outcome_unknown = row.integer(7) != 0;
  t.attempts = static_cast<int>(row.integer(8));
  t.next_attempt_at = from_ms(row.integer(9));
  if (auto expires = row.optional_integer(10)) {
    t.expires_at = from_ms(*expires);
  }
  t.fault_code = static_cast<int>(row.integer(11));
  t.fault_text = row.text(12);
  t.result_json = row.text(13);
  t.created_at = from_ms(row.integer(14));
  t.updated_at = from_ms(row.integer(15));
  return t;
}

inline constexpr const char* kDeviceColumns =
    "serial, oui, product_class, manufacturer, binding, device_name, last_inform, "
    "remote_address, software_version, data_model_root, parameters, connection_request_url, "
    "unreachable";

inline Binding parse_binding(const std::string& name) {
  return name == "accepted" ? Binding::accepted : Binding::pending;
}

inline DeviceRecord read_device(const Statement& row) {
  DeviceRecord d;
  d.serial = row.text(0);
  d.oui = row.text(1);
  d.product_class = row.text(2);
  d.manufacturer = row.text(3);
  d.binding = parse_binding(row.text(4));
  d.device_name = row.text(5);
  if (auto at = row.optional_integer(6)) {
    d.last_inform = from_ms(*at);
  }
  d.remote_address = row.text(7);
  d.software_version = row.text(8);
  d.data_model_root = row.text(9);
  d.parameters_json = row.text(10);
  d.connection_request_url = row.text(11);
  d.unreachable = row.integer(12) != 0;
  return d;
}

class SqliteStore final : public Store {
public:
  SqliteStore(std::unique_ptr<Db> db, SqliteStoreOptions options)
      : m_db(std::move(db)), m_options(options) {}

  Status set_up();

  Status apply_sync_option() { return set_full_sync(m_options.full_sync); }

  Result<DeviceRecord> record_inform(const InformRecord& inform,
                                     const std::string& inventory_device) override;

  Result<std::optional<DeviceRecord>> device(const std::string& serial) override;

  Result<std::vector<DeviceRecord>> devices() override;

  Status set_binding(const std::string& serial, Binding binding,
                     const std::string& device_name) override;

  Result<ForgottenDevice> forget_device(const std::string& serial) override;

  Status set_parameters(const std::string& serial, const std::string& parameters_json) override;
  Status set_unreachable(const std::string& serial, bool unreachable) override;

  Result<TaskId> enqueue(const NewTask& task, TimePoint now) override;
  Result<std::vector<TaskId>> enqueue_all(const std::vector<NewTask>& tasks,
                                          TimePoint now) override;

  Result<SessionStart> session_start(const std::string& serial,
                                     const std::string& command_key) override;

  using Store::claim_next;
  Result<std::optional<Task>> claim_next(const std::string& serial, TimePoint now,
                                         SessionWrites& writes) override;

  Status record_session(const std::string& serial, SessionWrites& writes, TimePoint now) override;

  Status complete(TaskId id, const std::string& result_json, TimePoint now) override;

  Result<Task> record_fault(TaskId id, int fault_code, const std::string& fault_text,
                            const RetryPolicy& policy, TimePoint now) override;

  Status settle(TaskId id, const Settlement& settlement, TimePoint now) override;

  Status await_report(TaskId id, TimePoint now) override;
  Result<std::size_t> recover_after_restart(TimePoint now) override;

  Status requeue_unreceived(TaskId id, const std::string& reason, TimePoint now) override;

  Result<bool> download_fetched(TaskId id) override;

  Result<std::size_t> expire_due(TimePoint now) override;

  Result<std::vector<Task>> open_tasks(const std::string& serial) override;

  Result<std::optional<Task>> task(TaskId id) override;

  Result<std::vector<Task>> tasks(const std::string& serial, std::size_t limit) override;

  Result<std::vector<TaskChange>> history(TaskId id) override;

  Result<std::int64_t> store_upload(const std::string& serial, std::optional<TaskId> task,
                                    const std::string& file_type, const std::string& content,
                                    TimePoint now) override;

  Result<std::vector<UploadedFile>> uploads(const std::string& serial) override;

  Result<std::optional<UploadedFile>> task_upload(TaskId task) override;

  Result<std::string> upload_content(std::int64_t id) override;

  Result<std::string> issue_download_token(TaskId task_id, TimePoint expires_at) override;

  Result<TaskId> redeem_download_token(const std::string& token, TimePoint now) override;

private:
  struct Claim {
    std::optional<Task> task;
    bool needs_full_sync = false; // rolled back: the head needs a FULL commit
  };

  // INSERTs one queued task and its history row in the caller's transaction.
  Result<TaskId> insert_task(const NewTask& task, TimePoint now);

  Result<Claim> claim_head(const std::string& serial, TimePoint now, bool full,
                           SessionWrites& writes);

  // The devices and device_events rows of an Inform, in the caller's
  // transaction.
  Status write_inform(const InformRecord& inform, const std::string& inventory_device);

  // A session's pending writes, in the caller's transaction.
  Status write_session(const std::string& serial, SessionWrites& writes, TimePoint now);

  // PRAGMA synchronous applies from the next transaction; set outside one.
  Status set_full_sync(bool full);

  Status migrate();

  // Prepares `sql`, binds `args` in order and runs it to the end.
  template <class... Args>
  Status bound(const std::string& sql, const Args&... args) {
    auto query = m_db->prepare(sql);
    if (!query) {
      return query.error();
    }
    (query->bind(args), ...);
    return query->run();
  }

  // Prepares `sql`, binds `args` in order and turns every row into a value
  // with `read` (one loop for every listing of the store).
  template <class Read, class... Args>
  auto select_rows(const std::string& sql, Read read, const Args&... args)
      -> Result<std::vector<std::invoke_result_t<Read, const Statement&>>> {
    auto query = m_db->prepare(sql);
    if (!query) {
      return query.error();
    }
    (query->bind(args), ...);
    std::vector<std::invoke_result_t<Read, const Statement&>> out;
    for (;;) {
      auto row = query->step();
      if (!row) {
        return row.error();
      }
      if (!*row) {
        return out;
      }
      out.push_back(read(*query));
    }
  }

  template <class... Args>
  Result<std::vector<Task>> select_tasks(const std::string& sql, const Args&... args) {
    return select_rows(sql, read_task, args...);
  }

  template <class... Args>
  Result<std::optional<Task>> select_task(const std::string& sql, const Args&... args) {
    auto all = select_tasks(sql, args...);
    if (!all) {
      return all.error();
    }
    if (all->empty()) {
      return std::optional<Task>();
    }
    return std::optional<Task>(std::move(all->front()));
  }

  Result<std::vector<InformEvent>> load_events(const std::string& serial);

  Result<std::optional<DeviceRecord>> load_device(const std::string& serial);

  template <class... Args>
  Status update_device(const std::string& serial, const std::string& assignments,
                       const Args&... args) {
    if (auto changed = bound(fmt::format("UPDATE devices SET {} WHERE serial = ?", assignments),
                             args..., serial);
        !changed) {
      return changed;
    }
    if (m_db->changes() == 0) {
      return make_error(ErrorCode::unknown_name,
                        fmt::format("no CPE with serial number '{}' has called the ACS", serial),
                        "check the serial, or wait for the device's first Inform");
    }
    return Ok{};
  }

  Status log_change(TaskId id, std::optional<TaskState> from, TaskState to, int attempts,
                    TimePoint at, const std::string& note);

  // Writes the task's mutable columns with its new state, and the history
  // row, inside the caller's transaction.
  Status move_task(const Task& task, TaskState to, TimePoint now, const std::string& note);

  // Ok when `found` (task `id` as read) is sent, so the CPE's answer to it
  // may be recorded; otherwise why not.
  static Status answerable_task(const std::optional<Task>& found, TaskId id) {
    if (!found) {
      return make_error(ErrorCode::unknown_name, fmt::format("there is no task {}", id));
    }
    if (found->state != TaskState::sent) {
      return make_error(ErrorCode::invalid_input,
                        fmt::format("task {} is {}, not sent: an answer for it cannot be recorded",
                                    id, task_state_name(found->state)),
                        "the CPE answered a task that is already settled; nothing was changed");
    }
    return Ok{};
  }

  // Loads a task that must be `sent`, lets `change` move it, commits.
  template <class Change>
  Status change_open_task(TaskId id, Change change) {
    Transaction tx(*m_db);
    if (auto begun = tx.begin(); !begun) {
      return begun;
    }
    auto found = select_task(fmt::format("SELECT {} FROM tasks WHERE id = ?", kTaskColumns), id);
    if (!found) {
      return found.error();
    }
    if (auto answerable = answerable_task(*found, id); !answerable) {
      return answerable;
    }
    if (auto changed = change(**found); !changed) {
      return changed;
    }
    return tx.commit();
  }

  std::unique_ptr<Db> m_db;
  SqliteStoreOptions m_options;
  std::mutex m_mutex; // one connection, one caller at a time
  bool m_full_sync = false;
  // With background_checkpoint; declared after m_db, so it stops first.
  std::unique_ptr<Checkpointer> m_checkpointer;
};

} // namespace vpnaas::acs::sqlite
