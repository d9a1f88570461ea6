// The SQLite store: opening and migrating the file, devices, uploaded files
// and download tokens (the task queue is in sqlite_tasks.cpp).
#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <utility>

#include "sqlite_schema.hpp"
#include "sqlite_store_impl.hpp"

namespace vpnaas::acs {
namespace sqlite {
namespace {

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

} // namespace

Status SqliteStore::set_up() {
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
  m_db->set_busy_timeout(std::chrono::milliseconds(m_options.busy_timeout_ms));
  if (auto migrated = migrate(); !migrated) {
    return migrated;
  }
  if (m_options.background_checkpoint) {
    auto checkpointer =
        Checkpointer::start(m_db->path(), std::chrono::milliseconds(m_options.busy_timeout_ms));
    if (!checkpointer) {
      return checkpointer.error();
    }
    m_checkpointer = std::move(*checkpointer);
    // Runs inside each commit, with m_mutex held by the committing call.
    m_db->on_wal_commit([this](int pages) { m_checkpointer->wal_grew(pages); });
  }
  return Ok{};
}

Result<DeviceRecord> SqliteStore::record_inform(const InformRecord& inform,
                                                const std::string& inventory_device) {
  std::lock_guard lock(m_mutex);
  Transaction tx(*m_db);
  if (auto begun = tx.begin(); !begun) {
    return begun.error();
  }
  if (auto written = write_inform(inform, inventory_device); !written) {
    return written.error();
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

Status SqliteStore::write_inform(const InformRecord& inform, const std::string& inventory_device) {
  const Binding binding = inventory_device.empty() ? Binding::pending : Binding::accepted;
  // A listed serial is bound on every Inform, so an inventory edit wins
  // over an earlier pending or accepted state.
  auto upsert = bound(
      "INSERT INTO devices (serial, oui, product_class, manufacturer, binding, device_name, "
      "last_inform, remote_address, software_version, data_model_root, connection_request_url, "
      "unreachable) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0) "
      "ON CONFLICT (serial) DO UPDATE SET oui = excluded.oui, "
      "product_class = excluded.product_class, manufacturer = excluded.manufacturer, "
      "binding = CASE WHEN excluded.device_name != '' "
      "THEN 'accepted' ELSE devices.binding END, "
      "device_name = CASE WHEN excluded.device_name != '' "
      "THEN excluded.device_name ELSE devices.device_name END, "
      "last_inform = excluded.last_inform, remote_address = excluded.remote_address, "
      "software_version = excluded.software_version, "
      "data_model_root = excluded.data_model_root, "
      "connection_request_url = excluded.connection_request_url, unreachable = 0",
      inform.serial, inform.oui, inform.product_class, inform.manufacturer, binding_name(binding),
      inventory_device, to_ms(inform.at), inform.remote_address, inform.software_version,
      inform.data_model_root, inform.connection_request_url);
  if (!upsert) {
    return upsert;
  }
  // Most Informs repeat the last one's events (2 PERIODIC): rewriting them
  // would dirty two more pages of every session's commit for nothing.
  auto stored = load_events(inform.serial);
  if (!stored) {
    return stored.error();
  }
  if (*stored == inform.events) {
    return Ok{};
  }
  if (auto cleared = bound("DELETE FROM device_events WHERE serial = ?", inform.serial); !cleared) {
    return cleared;
  }
  for (std::size_t i = 0; i < inform.events.size(); ++i) {
    auto added = bound("INSERT INTO device_events (serial, position, code, command_key) "
                       "VALUES (?, ?, ?, ?)",
                       inform.serial, static_cast<std::int64_t>(i), inform.events[i].code,
                       inform.events[i].command_key);
    if (!added) {
      return added;
    }
  }
  return Ok{};
}

Result<Store::SessionStart> SqliteStore::session_start(const std::string& serial,
                                                       const std::string& command_key) {
  std::lock_guard lock(m_mutex);
  // One read transaction (one snapshot, one WAL read lock) for all three.
  Transaction tx(*m_db, Transaction::Mode::read);
  if (auto begun = tx.begin(); !begun) {
    return begun.error();
  }
  // Formatted once: every Inform runs these.
  static const std::string kDevice =
      fmt::format("SELECT {} FROM devices WHERE serial = ?", kDeviceColumns);
  static const std::string kOpen = fmt::format(
      "SELECT {} FROM tasks WHERE serial = ? AND state IN ('queued', 'sent') ORDER BY id",
      kTaskColumns);
  static const std::string kLatest = fmt::format(
      "SELECT {} FROM tasks WHERE serial = ? AND command_key = ? ORDER BY id DESC LIMIT 1",
      kTaskColumns);
  SessionStart start;
  auto device = select_rows(kDevice, read_device, serial);
  if (!device) {
    return device.error();
  }
  if (!device->empty()) {
    start.device = std::move(device->front());
  }
  auto open = select_tasks(kOpen, serial);
  if (!open) {
    return open.error();
  }
  start.open_tasks = std::move(*open);
  auto latest = select_task(kLatest, serial, command_key);
  if (!latest) {
    return latest.error();
  }
  start.latest_with_key = std::move(*latest);
  if (auto committed = tx.commit(); !committed) {
    return committed.error();
  }
  return start;
}

Result<std::optional<DeviceRecord>> SqliteStore::device(const std::string& serial) {
  std::lock_guard lock(m_mutex);
  return load_device(serial);
}

Result<std::vector<DeviceRecord>> SqliteStore::devices() {
  std::lock_guard lock(m_mutex);
  auto devices = select_rows(fmt::format("SELECT {} FROM devices ORDER BY serial", kDeviceColumns),
                             read_device);
  if (!devices) {
    return devices.error();
  }
  std::vector<DeviceRecord> out = std::move(*devices);
  for (auto& d : out) {
    auto events = load_events(d.serial);
    if (!events) {
      return events.error();
    }
    d.last_events = std::move(*events);
  }
  return out;
}

Status SqliteStore::set_binding(const std::string& serial, Binding binding,
                                const std::string& device_name) {
  std::lock_guard lock(m_mutex);
  return update_device(serial, "binding = ?, device_name = ?", binding_name(binding),
                       binding == Binding::accepted ? device_name : std::string());
}

Result<ForgottenDevice> SqliteStore::forget_device(const std::string& serial) {
  std::lock_guard lock(m_mutex);
  Transaction tx(*m_db);
  if (auto begun = tx.begin(); !begun) {
    return begun.error();
  }
  // Runs one DELETE for the serial; returns the rows it removed.
  auto remove = [&](const char* sql) -> Result<std::size_t> {
    if (auto deleted = bound(sql, serial); !deleted) {
      return deleted.error();
    }
    return static_cast<std::size_t>(m_db->changes());
  };
  // Children first: history and download links name their task by foreign key.
  for (const char* sql :
       {"DELETE FROM download_tokens WHERE task_id IN (SELECT id FROM tasks WHERE serial = ?)",
        "DELETE FROM task_history WHERE task_id IN (SELECT id FROM tasks WHERE serial = ?)"}) {
    if (auto removed = remove(sql); !removed) {
      return removed.error();
    }
  }
  // Files before tasks too: a file names the task that uploaded it.
  auto uploads = remove("DELETE FROM uploads WHERE serial = ?");
  auto tasks = uploads ? remove("DELETE FROM tasks WHERE serial = ?") : uploads;
  auto device = tasks ? remove("DELETE FROM devices WHERE serial = ?") : tasks;
  if (!device) {
    return device.error();
  }
  if (*device == 0) {
    return make_error(ErrorCode::unknown_name,
                      fmt::format("no CPE with serial number '{}' has called the ACS", serial),
                      "`vpnaas device list` shows the serials that did");
  }
  if (auto committed = tx.commit(); !committed) {
    return committed.error();
  }
  return ForgottenDevice{*tasks, *uploads};
}

Status SqliteStore::set_parameters(const std::string& serial, const std::string& parameters_json) {
  std::lock_guard lock(m_mutex);
  return update_device(serial, "parameters = ?", parameters_json);
}

Status SqliteStore::set_unreachable(const std::string& serial, bool unreachable) {
  std::lock_guard lock(m_mutex);
  return update_device(serial, "unreachable = ?", static_cast<std::int64_t>(unreachable));
}

Result<std::int64_t> SqliteStore::store_upload(const std::string& serial,
                                               std::optional<TaskId> task,
                                               const std::string& file_type,
                                               const std::string& content, TimePoint now) {
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
  auto query = m_db->prepare("INSERT INTO uploads (serial, task_id, file_type, size, content, "
                             "received_at) VALUES (?, ?, ?, ?, ?, ?)");
  if (!query) {
    return query.error();
  }
  query->bind(serial).bind(task).bind(file_type).bind(static_cast<std::int64_t>(content.size()));
  query->bind_blob(content).bind(to_ms(now));
  if (auto ran = query->run(); !ran) {
    return ran.error();
  }
  const std::int64_t id = m_db->last_insert_id();
  // The oldest files go first, until the device's files fit its total.
  auto pruned =
      bound("DELETE FROM uploads WHERE serial = ?1 AND id != ?2 AND id IN (SELECT id FROM (SELECT "
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

namespace {

constexpr const char* kUploadColumns = "id, serial, task_id, file_type, size, received_at";

UploadedFile read_upload(const Statement& row) {
  UploadedFile file;
  file.id = row.integer(0);
  file.serial = row.text(1);
  file.task = row.optional_integer(2);
  file.file_type = row.text(3);
  file.size = static_cast<std::size_t>(row.integer(4));
  file.received_at = from_ms(row.integer(5));
  return file;
}

} // namespace

Result<std::vector<UploadedFile>> SqliteStore::uploads(const std::string& serial) {
  std::lock_guard lock(m_mutex);
  return select_rows(
      fmt::format("SELECT {} FROM uploads WHERE serial = ? ORDER BY id", kUploadColumns),
      read_upload, serial);
}

Result<std::optional<UploadedFile>> SqliteStore::task_upload(TaskId task) {
  std::lock_guard lock(m_mutex);
  auto files = select_rows(fmt::format("SELECT {} FROM uploads WHERE task_id = ? ORDER BY id "
                                       "DESC LIMIT 1",
                                       kUploadColumns),
                           read_upload, task);
  if (!files) {
    return files.error();
  }
  if (files->empty()) {
    return std::optional<UploadedFile>();
  }
  return std::optional<UploadedFile>(std::move(files->front()));
}

Result<std::string> SqliteStore::upload_content(std::int64_t id) {
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

Result<std::string> SqliteStore::issue_download_token(TaskId task_id, TimePoint expires_at) {
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

Result<bool> SqliteStore::download_fetched(TaskId id) {
  std::lock_guard lock(m_mutex);
  auto query = m_db->prepare(
      "SELECT count(*) FROM download_tokens WHERE task_id = ? AND used_at IS NOT NULL");
  if (!query) {
    return query.error();
  }
  query->bind(id);
  auto row = query->step();
  if (!row) {
    return row.error();
  }
  return *row && query->integer(0) > 0;
}

Result<TaskId> SqliteStore::redeem_download_token(const std::string& token, TimePoint now) {
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

Status SqliteStore::migrate() {
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

Result<std::vector<InformEvent>> SqliteStore::load_events(const std::string& serial) {
  return select_rows(
      "SELECT code, command_key FROM device_events WHERE serial = ? ORDER BY position",
      [](const Statement& row) {
        return InformEvent{row.text(0), row.text(1)};
      },
      serial);
}

Result<std::optional<DeviceRecord>> SqliteStore::load_device(const std::string& serial) {
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

} // namespace sqlite

const char* binding_name(Binding binding) {
  switch (binding) {
  case Binding::pending:
    return "pending";
  case Binding::accepted:
    return "accepted";
  }
  return "pending";
}

Result<std::unique_ptr<Store>> open_sqlite_store(const std::filesystem::path& path,
                                                 const SqliteStoreOptions& options) {
  auto db = sqlite::Db::open(path);
  if (!db) {
    return db.error();
  }
  auto store = std::make_unique<sqlite::SqliteStore>(std::move(*db), options);
  if (auto ready = store->set_up(); !ready) {
    return ready.error();
  }
  if (auto ready = store->apply_sync_option(); !ready) {
    return ready.error();
  }
  return std::unique_ptr<Store>(std::move(store));
}

} // namespace vpnaas::acs
