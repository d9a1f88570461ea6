#pragma once

// The ACS store's schema, as migrations: entry i brings a file from schema
// version i to i+1. A released entry is never edited; a change is a new entry.

#include <array>

namespace vpnaas::acs::sqlite {

inline constexpr std::array<const char*, 4> kMigrations{
    // 0 -> 1: the first schema.
    R"sql(
CREATE TABLE devices (
  serial TEXT PRIMARY KEY,
  oui TEXT NOT NULL DEFAULT '',
  product_class TEXT NOT NULL DEFAULT '',
  manufacturer TEXT NOT NULL DEFAULT '',
  binding TEXT NOT NULL CHECK (binding IN ('pending', 'accepted', 'rejected')),
  device_name TEXT NOT NULL DEFAULT '',
  last_inform INTEGER,
  remote_address TEXT NOT NULL DEFAULT '',
  software_version TEXT NOT NULL DEFAULT '',
  data_model_root TEXT NOT NULL DEFAULT '',
  parameters TEXT NOT NULL DEFAULT '{}',
  connection_request_url TEXT NOT NULL DEFAULT '',
  unreachable INTEGER NOT NULL DEFAULT 0
);
-- The events of each device's last Inform, in the order it sent them.
CREATE TABLE device_events (
  serial TEXT NOT NULL REFERENCES devices (serial) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  code TEXT NOT NULL,
  command_key TEXT NOT NULL,
  PRIMARY KEY (serial, position)
);
-- Tasks name a serial, not a devices row: a task may be queued for an
-- inventory device before it ever calls in.
CREATE TABLE tasks (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  serial TEXT NOT NULL,
  kind TEXT NOT NULL,
  payload TEXT NOT NULL,
  command_key TEXT NOT NULL,
  inventory_revision TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('queued', 'sent', 'done', 'fault', 'expired')),
  outcome_unknown INTEGER NOT NULL DEFAULT 0,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  expires_at INTEGER,
  fault_code INTEGER NOT NULL DEFAULT 0,
  fault_text TEXT NOT NULL DEFAULT '',
  result TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX tasks_by_device ON tasks (serial, state, id);
CREATE INDEX tasks_by_state ON tasks (state, expires_at);
CREATE TABLE task_history (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  task_id INTEGER NOT NULL REFERENCES tasks (id),
  from_state TEXT,
  to_state TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  at INTEGER NOT NULL,
  note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX task_history_by_task ON task_history (task_id, id);
CREATE TABLE uploads (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  serial TEXT NOT NULL,
  file_type TEXT NOT NULL,
  size INTEGER NOT NULL,
  content BLOB NOT NULL,
  received_at INTEGER NOT NULL
);
CREATE INDEX uploads_by_device ON uploads (serial, id);
-- Only a SHA-256 of each token: a copy of the database gives no usable URL.
CREATE TABLE download_tokens (
  token_hash TEXT PRIMARY KEY,
  task_id INTEGER NOT NULL UNIQUE REFERENCES tasks (id),
  expires_at INTEGER NOT NULL,
  used_at INTEGER
);
)sql",
    // 1 -> 2: `device reject` forgets a CPE instead of keeping it as
    // rejected; the CPEs an older release kept so are forgotten the same way
    // (Store::forget_device). The CHECK of devices.binding still lists
    // 'rejected': SQLite cannot change it short of rebuilding the table, and
    // nothing writes that value any more.
    R"sql(
DELETE FROM download_tokens WHERE task_id IN
  (SELECT id FROM tasks WHERE serial IN (SELECT serial FROM devices WHERE binding = 'rejected'));
DELETE FROM task_history WHERE task_id IN
  (SELECT id FROM tasks WHERE serial IN (SELECT serial FROM devices WHERE binding = 'rejected'));
DELETE FROM tasks WHERE serial IN (SELECT serial FROM devices WHERE binding = 'rejected');
DELETE FROM uploads WHERE serial IN (SELECT serial FROM devices WHERE binding = 'rejected');
DELETE FROM devices WHERE binding = 'rejected';
)sql",
    // 2 -> 3: each uploaded file names the Upload task whose RPC produced it,
    // so that `device export --via cwmp` reads its own file, not the newest.
    // Files of schema 2 name none.
    R"sql(
ALTER TABLE uploads ADD COLUMN task_id INTEGER REFERENCES tasks (id);
CREATE INDEX uploads_by_task ON uploads (task_id, id);
)sql",
    // 3 -> 4: history rows without AUTOINCREMENT. It made every task change
    // write the sqlite_sequence page as well (one WAL frame more in each
    // session's commits); a history id only orders a task's own rows, and a
    // new row's id is still above every id in the table. Task ids keep
    // AUTOINCREMENT: they are named outside the store and never reused.
    R"sql(
CREATE TABLE task_history_4 (
  id INTEGER PRIMARY KEY,
  task_id INTEGER NOT NULL REFERENCES tasks (id),
  from_state TEXT,
  to_state TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  at INTEGER NOT NULL,
  note TEXT NOT NULL DEFAULT ''
);
INSERT INTO task_history_4 (id, task_id, from_state, to_state, attempts, at, note)
  SELECT id, task_id, from_state, to_state, attempts, at, note FROM task_history;
DROP TABLE task_history;
ALTER TABLE task_history_4 RENAME TO task_history;
CREATE INDEX task_history_by_task ON task_history (task_id, id);
DELETE FROM sqlite_sequence WHERE name = 'task_history';
-- A session's start looks up the device's newest task with a CommandKey
-- (the connection-request login) without reading all of its tasks.
CREATE INDEX tasks_by_command_key ON tasks (serial, command_key, id);
)sql",
};

} // namespace vpnaas::acs::sqlite
