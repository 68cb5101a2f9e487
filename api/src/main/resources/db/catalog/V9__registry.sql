-- The registry's key/value store, as Consul keeps it. flags is a uint64 kept in a signed integer.
CREATE TABLE kv (
  key           TEXT PRIMARY KEY,
  value         BLOB,
  flags         INTEGER NOT NULL DEFAULT 0,
  create_index  INTEGER NOT NULL,
  modify_index  INTEGER NOT NULL,
  lock_index    INTEGER NOT NULL DEFAULT 0,
  session       TEXT
);

-- Sessions: what holds locks and owns ephemeral keys. Their TTL deadlines live in memory; after a
-- restart every session gets a full TTL again, as Consul does after a leader change.
CREATE TABLE registry_sessions (
  id             TEXT PRIMARY KEY,
  name           TEXT,
  node           TEXT,
  ttl_ms         INTEGER NOT NULL,
  behavior       TEXT NOT NULL,    -- release | delete
  lock_delay_ms  INTEGER NOT NULL,
  create_index   INTEGER NOT NULL,
  modify_index   INTEGER NOT NULL
);

-- Services Cast did not deploy (a database), registered through Consul's catalog or agent API.
CREATE TABLE registry_services (
  node           TEXT NOT NULL,
  address        TEXT NOT NULL,
  service_id     TEXT NOT NULL,
  service        TEXT NOT NULL,
  service_address TEXT,
  port           INTEGER,
  tags           TEXT,             -- JSON list
  meta           TEXT,             -- JSON object
  create_index   INTEGER NOT NULL,
  modify_index   INTEGER NOT NULL,
  PRIMARY KEY (node, service_id)
);

-- The registry's last index, so it never goes back after a restart.
CREATE TABLE registry_meta (
  name   TEXT PRIMARY KEY,
  value  INTEGER NOT NULL
);

-- What a token may do in the registry's key/value store: a JSON list of {prefix, access}.
-- Null: what its role allows, everywhere.
ALTER TABLE tokens ADD COLUMN kv TEXT;
