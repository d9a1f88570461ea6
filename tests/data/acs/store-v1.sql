-- An ACS store as release 1 of its schema wrote it (kMigrations[0] verbatim),
-- with a few rows: the migration tests open it with today's vpnaas.
-- Times are milliseconds since the epoch (1,800,000,000 s).
CREATE TABLE schema_version (version INTEGER NOT NULL);
INSERT INTO schema_version (version) VALUES (1);
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

-- HC-KEPT: accepted, one done task with its history, one upload.
INSERT INTO devices (serial, binding, device_name, last_inform)
  VALUES ('HC-KEPT', 'accepted', 'acme-bru-r1', 1800000000000);
INSERT INTO tasks (id, serial, kind, payload, command_key, inventory_revision, state, attempts,
                   next_attempt_at, result, created_at, updated_at)
  VALUES (1, 'HC-KEPT', 'Upload', '{}', 'vpnaas-up1', 'abc123', 'done', 1, 1800000000000, '{}',
          1800000000000, 1800000000000);
INSERT INTO task_history (task_id, from_state, to_state, attempts, at)
  VALUES (1, NULL, 'queued', 0, 1800000000000), (1, 'queued', 'sent', 1, 1800000000000),
         (1, 'sent', 'done', 1, 1800000000000);
INSERT INTO uploads (serial, file_type, size, content, received_at)
  VALUES ('HC-KEPT', '1 Vendor Configuration File', 9, '# kept v1', 1800000000000);

-- HC-REJECTED: kept as rejected by release 1, with a queued task, a download
-- link, and an upload; today's `device reject` would have forgotten it.
INSERT INTO devices (serial, binding, last_inform)
  VALUES ('HC-REJECTED', 'rejected', 1800000000000);
INSERT INTO device_events (serial, position, code, command_key)
  VALUES ('HC-REJECTED', 0, '1 BOOT', '');
INSERT INTO tasks (id, serial, kind, payload, command_key, inventory_revision, state, attempts,
                   next_attempt_at, created_at, updated_at)
  VALUES (2, 'HC-REJECTED', 'Download', '{}', 'vpnaas-dl1', 'abc123', 'queued', 0,
          1800000000000, 1800000000000, 1800000000000);
INSERT INTO task_history (task_id, from_state, to_state, attempts, at)
  VALUES (2, NULL, 'queued', 0, 1800000000000);
INSERT INTO download_tokens (token_hash, task_id, expires_at)
  VALUES ('00', 2, 1800003600000);
INSERT INTO uploads (serial, file_type, size, content, received_at)
  VALUES ('HC-REJECTED', '1 Vendor Configuration File', 4, 'gone', 1800000000000);
