#include <vpnaas/acs/sqlite_store.hpp>

#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <mutex>
#include <utility>

#include "sqlite_db.hpp"
#include "sqlite_schema.hpp"

namespace vpnaas::acs {
namespace {

using sqlite::Db;
using sqlite::Statement;
using sqlite::Transaction;

std::int64_t to_ms(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

TimePoint from_ms(std::int64_t ms) {
  return TimePoint(std::chrono::duration_cast<Clock::duration>(std::chrono::milliseconds(ms)));
}

std::optional<std::int64_t> to_ms(const std::optional<TimePoint>& t) {
  return t ? std::optional<std::int64_t>(to_ms(*t)) : std::nullopt;
}

std::string hex(const unsigned char* bytes, std::size_t size) {
  constexpr const char* kDigits = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < size; ++i) {
    out += kDigits[bytes[i] >> 4];
    out += kDigits[bytes[i] & 0x0f];
  }
  return out;
}

std::string sha256_hex(std::string_view text) {
  std::array<unsigned char, 32> digest{};
  unsigned int size = 0;
  EVP_Digest(text.data(), text.size(), digest.data(), &size, EVP_sha256(), nullptr);
  return hex(digest.data(), size);
}

constexpr const char* kTaskColumns =
    "id, serial, kind, payload, command_key, inventory_revision, state, outcome_unknown, "
    "attempts, next_attempt_at, expires_at, fault_code, fault_text, result, created_at, "
    "updated_at";

Task read_task(const Statement& row) {
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

constexpr const char* kDeviceColumns =
    "serial, oui, product_class, manufacturer, binding, device_name, last_inform, "
    "remote_address, software_version, data_model_root, parameters, connection_request_url, "
    "unreachable";

Binding parse_binding(const std::string& name) {
  if (name == "accepted") {
    return Binding::accepted;
  }
  return name == "rejected" ? Binding::rejected : Binding::pending;
}

DeviceRecord read_device(const Statement& row) {
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

  Status set_up() {
    // WAL: readers never block the writer. synchronous=NORMAL: in WAL mode
    // a commit survives a crash of the process (kill -9) and the file is
    // never corrupted; only an OS crash or power loss can undo the last
    // commits. FULL adds an fsync to every commit: 149 commits/s against
    // 15,700 on the test machine's disk, too slow for the 170 sessions/s
    // the ACS must carry. The one commit a power loss must not undo, the
    // claim of a non-idempotent task, is made FULL (claim_next).
    for (const char* pragma :
         {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON"}) {
      if (auto set = m_db->exec(pragma); !set) {
        return set;
      }
    }
    if (auto set = m_db->exec(fmt::format("PRAGMA busy_timeout={}", m_options.busy_timeout_ms));
        !set) {
      return set;
    }
    return migrate();
  }

  Status apply_sync_option() { return set_full_sync(m_options.full_sync); }

  Result<DeviceRecord> record_inform(const InformRecord& inform,
                                     const std::string& inventory_device) override {
    std::lock_guard lock(m_mutex);
    Transaction tx(*m_db);
    if (auto begun = tx.begin(); !begun) {
      return begun.error();
    }
    const Binding binding = inventory_device.empty() ? Binding::pending : Binding::accepted;
    // A listed serial is bound on every Inform, so an inventory edit wins
    // over an earlier pending or accepted state; a rejected one stays so.
    auto upsert = bound(
        "INSERT INTO devices (serial, oui, product_class, manufacturer, binding, device_name, "
        "last_inform, remote_address, software_version, data_model_root, connection_request_url, "
        "unreachable) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0) "
        "ON CONFLICT (serial) DO UPDATE SET oui = excluded.oui, "
        "product_class = excluded.product_class, manufacturer = excluded.manufacturer, "
        "binding = CASE WHEN excluded.device_name != '' AND devices.binding != 'rejected' "
        "THEN 'accepted' ELSE devices.binding END, "
        "device_name = CASE WHEN excluded.device_name != '' AND devices.binding != 'rejected' "
        "THEN excluded.device_name ELSE devices.device_name END, "
        "last_inform = excluded.last_inform, remote_address = excluded.remote_address, "
        "software_version = excluded.software_version, "
        "data_model_root = excluded.data_model_root, "
        "connection_request_url = excluded.connection_request_url, unreachable = 0",
        inform.serial, inform.oui, inform.product_class, inform.manufacturer, binding_name(binding),
        inventory_device, to_ms(inform.at), inform.remote_address, inform.software_version,
        inform.data_model_root, inform.connection_request_url);
    if (!upsert) {
      return upsert.error();
    }
    if (auto cleared = bound("DELETE FROM device_events WHERE serial = ?", inform.serial);
        !cleared) {
      return cleared.error();
    }
    for (std::size_t i = 0; i < inform.events.size(); ++i) {
      auto added = bound("INSERT INTO device_events (serial, position, code, command_key) "
                         "VALUES (?, ?, ?, ?)",
                         inform.serial, static_cast<std::int64_t>(i), inform.events[i].code,
                         inform.events[i].command_key);
      if (!added) {
        return added.error();
      }
    }
    auto stored = load_device(inform.serial);
    if (!stored) {
      return stored.error();
    }
    if (auto committed = tx.commit(); !committed) {
      return committed.error();
    }
    return std::move(**stored);
  }

  Result<std::optional<DeviceRecord>> device(const std::string& serial) override {
    std::lock_guard lock(m_mutex);
    return load_device(serial);
  }

  Result<std::vector<DeviceRecord>> devices() override {
    std::lock_guard lock(m_mutex);
    auto query =
        m_db->prepare(fmt::format("SELECT {} FROM devices ORDER BY serial", kDeviceColumns));
    if (!query) {
      return query.error();
    }
    std::vector<DeviceRecord> out;
    for (;;) {
      auto row = query->step();
      if (!row) {
        return row.error();
      }
      if (!*row) {
        break;
      }
      out.push_back(read_device(*query));
    }
    for (auto& d : out) {
      auto events = load_events(d.serial);
      if (!events) {
        return events.error();
      }
      d.last_events = std::move(*events);
    }
    return out;
  }

  Status set_binding(const std::string& serial, Binding binding,
                     const std::string& device_name) override {
    std::lock_guard lock(m_mutex);
    return update_device(serial, "binding = ?, device_name = ?", binding_name(binding),
                         binding == Binding::accepted ? device_name : std::string());
  }

  Status set_parameters(const std::string& serial, const std::string& parameters_json) override {
    std::lock_guard lock(m_mutex);
    return update_device(serial, "parameters = ?", parameters_json);
  }

  Status set_unreachable(const std::string& serial, bool unreachable) override {
    std::lock_guard lock(m_mutex);
    return update_device(serial, "unreachable = ?", static_cast<std::int64_t>(unreachable));
  }

  Result<TaskId> enqueue(const NewTask& task, TimePoint now) override {
    std::lock_guard lock(m_mutex);
    Transaction tx(*m_db);
    if (auto begun = tx.begin(); !begun) {
      return begun.error();
    }
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
    if (auto committed = tx.commit(); !committed) {
      return committed.error();
    }
    return id;
  }

  Result<std::optional<Task>> claim_next(const std::string& serial, TimePoint now) override {
    std::lock_guard lock(m_mutex);
    // Sending a non-idempotent RPC is the one commit a power loss must not
    // undo (the RPC would be sent again): that claim is committed with
    // synchronous=FULL. The head's kind is only known inside the
    // transaction, so a claim that finds one at NORMAL starts over at FULL.
    bool full = m_options.full_sync;
    for (;;) {
      auto claimed = claim_head(serial, now, full);
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

  Status complete(TaskId id, const std::string& result_json, TimePoint now) override {
    std::lock_guard lock(m_mutex);
    return change_open_task(id, now, [&](Task& task) -> Status {
      task.result_json = result_json;
      return move_task(task, TaskState::done, now, "answered");
    });
  }

  Result<Task> record_fault(TaskId id, int fault_code, const std::string& fault_text,
                            const RetryPolicy& policy, TimePoint now) override {
    std::lock_guard lock(m_mutex);
    Task after;
    auto changed = change_open_task(id, now, [&](Task& task) -> Status {
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

  Status settle(TaskId id, const Settlement& settlement, TimePoint now) override {
    if (settlement.verdict == Settlement::Verdict::keep_waiting) {
      return Ok{};
    }
    std::lock_guard lock(m_mutex);
    return change_open_task(id, now, [&](Task& task) -> Status {
      if (settlement.verdict == Settlement::Verdict::done) {
        return move_task(task, TaskState::done, now, settlement.reason);
      }
      task.fault_code = settlement.fault_code;
      task.fault_text = settlement.reason;
      return move_task(task, TaskState::fault, now, settlement.reason);
    });
  }

  Result<std::size_t> recover_after_restart(TimePoint now) override {
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

  Result<std::size_t> expire_due(TimePoint now) override {
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

  Result<std::vector<Task>> open_tasks(const std::string& serial) override {
    std::lock_guard lock(m_mutex);
    return select_tasks(fmt::format("SELECT {} FROM tasks WHERE serial = ? AND state IN "
                                    "('queued', 'sent') ORDER BY id",
                                    kTaskColumns),
                        serial);
  }

  Result<std::optional<Task>> task(TaskId id) override {
    std::lock_guard lock(m_mutex);
    return select_task(fmt::format("SELECT {} FROM tasks WHERE id = ?", kTaskColumns), id);
  }

  Result<std::vector<Task>> tasks(const std::string& serial, std::size_t limit) override {
    std::lock_guard lock(m_mutex);
    return select_tasks(
        fmt::format("SELECT {} FROM tasks WHERE serial = ? ORDER BY id LIMIT ?", kTaskColumns),
        serial, static_cast<std::int64_t>(limit));
  }

  Result<std::vector<TaskChange>> history(TaskId id) override {
    std::lock_guard lock(m_mutex);
    auto query = m_db->prepare("SELECT from_state, to_state, attempts, at, note FROM "
                               "task_history WHERE task_id = ? ORDER BY id");
    if (!query) {
      return query.error();
    }
    query->bind(id);
    std::vector<TaskChange> out;
    for (;;) {
      auto row = query->step();
      if (!row) {
        return row.error();
      }
      if (!*row) {
        return out;
      }
      TaskChange change;
      change.task = id;
      if (!query->text(0).empty()) {
        change.from = parse_task_state(query->text(0));
      }
      change.to = parse_task_state(query->text(1)).value_or(TaskState::queued);
      change.attempts = static_cast<int>(query->integer(2));
      change.at = from_ms(query->integer(3));
      change.note = query->text(4);
      out.push_back(std::move(change));
    }
  }

  Result<std::int64_t> store_upload(const std::string& serial, const std::string& file_type,
                                    const std::string& content, TimePoint now) override {
    if (content.size() > m_options.max_upload_bytes) {
      return make_error(ErrorCode::invalid_input,
                        fmt::format("the file CPE {} uploaded has {} bytes, more than the {} a "
                                    "file may have",
                                    serial, content.size(), m_options.max_upload_bytes),
                        "raise the upload limit of the ACS, or upload a smaller file");
    }
    std::lock_guard lock(m_mutex);
    Transaction tx(*m_db);
    if (auto begun = tx.begin(); !begun) {
      return begun.error();
    }
    auto query = m_db->prepare("INSERT INTO uploads (serial, file_type, size, content, "
                               "received_at) VALUES (?, ?, ?, ?, ?)");
    if (!query) {
      return query.error();
    }
    query->bind(serial).bind(file_type).bind(static_cast<std::int64_t>(content.size()));
    query->bind_blob(content).bind(to_ms(now));
    if (auto ran = query->run(); !ran) {
      return ran.error();
    }
    const std::int64_t id = m_db->last_insert_id();
    // The oldest files go first, until the device's files fit its total.
    auto pruned = bound(
        "DELETE FROM uploads WHERE serial = ?1 AND id != ?2 AND id IN (SELECT id FROM (SELECT "
        "id, SUM(size) OVER (ORDER BY id DESC) AS newer FROM uploads WHERE serial = ?1) WHERE "
        "newer > ?3)",
        serial, id, static_cast<std::int64_t>(m_options.max_device_upload_bytes));
    if (!pruned) {
      return pruned.error();
    }
    if (auto committed = tx.commit(); !committed) {
      return committed.error();
    }
    return id;
  }

  Result<std::vector<UploadedFile>> uploads(const std::string& serial) override {
    std::lock_guard lock(m_mutex);
    auto query = m_db->prepare("SELECT id, serial, file_type, size, received_at FROM uploads "
                               "WHERE serial = ? ORDER BY id");
    if (!query) {
      return query.error();
    }
    query->bind(serial);
    std::vector<UploadedFile> out;
    for (;;) {
      auto row = query->step();
      if (!row) {
        return row.error();
      }
      if (!*row) {
        return out;
      }
      out.push_back(UploadedFile{query->integer(0), query->text(1), query->text(2),
                                 static_cast<std::size_t>(query->integer(3)),
                                 from_ms(query->integer(4))});
    }
  }

  Result<std::string> upload_content(std::int64_t id) override {
    std::lock_guard lock(m_mutex);
    auto query = m_db->prepare("SELECT content FROM uploads WHERE id = ?");
    if (!query) {
      return query.error();
    }
    query->bind(id);
    auto row = query->step();
    if (!row) {
      return row.error();
    }
    if (!*row) {
      return make_error(ErrorCode::unknown_name, fmt::format("there is no uploaded file {}", id));
    }
    return query->text(0);
  }

  Result<std::string> issue_download_token(TaskId task_id, TimePoint expires_at) override {
    std::array<unsigned char, 32> random{};
    if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) {
      return make_error(ErrorCode::internal, "the random number generator failed");
    }
    std::string token = hex(random.data(), random.size());
    std::lock_guard lock(m_mutex);
    Transaction tx(*m_db);
    if (auto begun = tx.begin(); !begun) {
      return begun.error();
    }
    auto existing =
        select_task(fmt::format("SELECT {} FROM tasks WHERE id = ?", kTaskColumns), task_id);
    if (!existing) {
      return existing.error();
    }
    if (!*existing) {
      return make_error(ErrorCode::unknown_name, fmt::format("there is no task {}", task_id));
    }
    if (auto dropped = bound("DELETE FROM download_tokens WHERE task_id = ?", task_id); !dropped) {
      return dropped.error();
    }
    if (auto added = bound("INSERT INTO download_tokens (token_hash, task_id, expires_at) VALUES "
                           "(?, ?, ?)",
                           sha256_hex(token), task_id, to_ms(expires_at));
        !added) {
      return added.error();
    }
    if (auto committed = tx.commit(); !committed) {
      return committed.error();
    }
    return token;
  }

  Result<TaskId> redeem_download_token(const std::string& token, TimePoint now) override {
    std::lock_guard lock(m_mutex);
    auto query = m_db->prepare("UPDATE download_tokens SET used_at = ?1 WHERE token_hash = ?2 "
                               "AND used_at IS NULL AND expires_at > ?1 RETURNING task_id");
    if (!query) {
      return query.error();
    }
    query->bind(to_ms(now)).bind(sha256_hex(token));
    auto row = query->step();
    if (!row) {
      return row.error();
    }
    if (!*row) {
      return make_error(ErrorCode::unknown_name,
                        "the download link is unknown, already used or expired",
                        "queue the Download again for a new link");
    }
    const TaskId id = query->integer(0);
    if (auto done = query->run(); !done) {
      return done.error();
    }
    return id;
  }

private:
  struct Claim {
    std::optional<Task> task;
    bool needs_full_sync = false; // rolled back: the head needs a FULL commit
  };

  Result<Claim> claim_head(const std::string& serial, TimePoint now, bool full) {
    if (auto set = set_full_sync(full); !set) {
      return set.error();
    }
    Transaction tx(*m_db);
    if (auto begun = tx.begin(); !begun) {
      return begun.error();
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
        if (auto expired = move_task(task, TaskState::expired, now, "expired before it was sent");
            !expired) {
          return expired.error();
        }
        continue;
      }
      if (!full && !is_idempotent(task.kind)) {
        return Claim{std::nullopt, true}; // the transaction rolls back
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
    if (auto committed = tx.commit(); !committed) {
      return committed.error();
    }
    return claim;
  }

  // PRAGMA synchronous applies from the next transaction; set outside one.
  Status set_full_sync(bool full) {
    if (full == m_full_sync) {
      return Ok{};
    }
    auto set = m_db->exec(full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
    if (set) {
      m_full_sync = full;
    }
    return set;
  }

  Status migrate() {
    if (auto made = m_db->exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT "
                               "NULL)");
        !made) {
      return made;
    }
    Transaction tx(*m_db);
    if (auto begun = tx.begin(); !begun) {
      return begun;
    }
    auto query = m_db->prepare("SELECT MAX(version) FROM schema_version");
    if (!query) {
      return query.error();
    }
    auto row = query->step();
    if (!row) {
      return row.error();
    }
    const auto version = static_cast<int>(query->optional_integer(0).value_or(0));
    if (auto finished = query->run(); !finished) {
      return finished;
    }
    if (version > kStoreSchemaVersion) {
      return make_error(ErrorCode::environment,
                        fmt::format("the ACS store {} has schema version {}, newer than the {} "
                                    "this vpnaas knows",
                                    m_db->path().string(), version, kStoreSchemaVersion),
                        "run the vpnaas release that wrote it, or a newer one");
    }
    for (int v = version; v < kStoreSchemaVersion; ++v) {
      if (auto migrated = m_db->exec(sqlite::kMigrations[static_cast<std::size_t>(v)]); !migrated) {
        return migrated;
      }
      if (auto recorded = bound("INSERT INTO schema_version (version) VALUES (?)", v + 1);
          !recorded) {
        return recorded;
      }
    }
    return tx.commit();
  }

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

  template <class... Args>
  Result<std::vector<Task>> select_tasks(const std::string& sql, const Args&... args) {
    auto query = m_db->prepare(sql);
    if (!query) {
      return query.error();
    }
    (query->bind(args), ...);
    std::vector<Task> out;
    for (;;) {
      auto row = query->step();
      if (!row) {
        return row.error();
      }
      if (!*row) {
        return out;
      }
      out.push_back(read_task(*query));
    }
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

  Result<std::vector<InformEvent>> load_events(const std::string& serial) {
    auto query = m_db->prepare("SELECT code, command_key FROM device_events WHERE serial = ? "
                               "ORDER BY position");
    if (!query) {
      return query.error();
    }
    query->bind(serial);
    std::vector<InformEvent> out;
    for (;;) {
      auto row = query->step();
      if (!row) {
        return row.error();
      }
      if (!*row) {
        return out;
      }
      out.push_back(InformEvent{query->text(0), query->text(1)});
    }
  }

  Result<std::optional<DeviceRecord>> load_device(const std::string& serial) {
    std::optional<DeviceRecord> found;
    {
      auto query =
          m_db->prepare(fmt::format("SELECT {} FROM devices WHERE serial = ?", kDeviceColumns));
      if (!query) {
        return query.error();
      }
      query->bind(serial);
      auto row = query->step();
      if (!row) {
        return row.error();
      }
      if (!*row) {
        return found;
      }
      found = read_device(*query);
    }
    auto events = load_events(serial);
    if (!events) {
      return events.error();
    }
    found->last_events = std::move(*events);
    return found;
  }

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
  Status move_task(const Task& task, TaskState to, TimePoint now, const std::string& note) {
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

  // Loads a task that must be `sent`, lets `change` move it, commits.
  template <class Change>
  Status change_open_task(TaskId id, TimePoint now, Change change) {
    (void)now;
    Transaction tx(*m_db);
    if (auto begun = tx.begin(); !begun) {
      return begun;
    }
    auto found = select_task(fmt::format("SELECT {} FROM tasks WHERE id = ?", kTaskColumns), id);
    if (!found) {
      return found.error();
    }
    if (!*found) {
      return make_error(ErrorCode::unknown_name, fmt::format("there is no task {}", id));
    }
    if ((*found)->state != TaskState::sent) {
      return make_error(ErrorCode::invalid_input,
                        fmt::format("task {} is {}, not sent: an answer for it cannot be recorded",
                                    id, task_state_name((*found)->state)),
                        "the CPE answered a task that is already settled; nothing was changed");
    }
    if (auto changed = change(**found); !changed) {
      return changed;
    }
    return tx.commit();
  }

  std::unique_ptr<Db> m_db;
  SqliteStoreOptions m_options;
  std::mutex m_mutex;
  bool m_full_sync = false;
};

} // namespace

const char* binding_name(Binding binding) {
  switch (binding) {
  case Binding::pending:
    return "pending";
  case Binding::accepted:
    return "accepted";
  case Binding::rejected:
    return "rejected";
  }
  return "pending";
}

Result<std::unique_ptr<Store>> open_sqlite_store(const std::filesystem::path& path,
                                                 const SqliteStoreOptions& options) {
  auto db = Db::open(path);
  if (!db) {
    return db.error();
  }
  auto store = std::make_unique<SqliteStore>(std::move(*db), options);
  if (auto ready = store->set_up(); !ready) {
    return ready.error();
  }
  if (auto ready = store->apply_sync_option(); !ready) {
    return ready.error();
  }
  return std::unique_ptr<Store>(std::move(store));
}

} // namespace vpnaas::acs
