-- The api's catalog: apps, their releases, hosts, deployments and what runs where.
-- Times are epoch milliseconds.
CREATE TABLE apps (
  name        TEXT PRIMARY KEY,
  created_at  INTEGER NOT NULL
);

CREATE TABLE releases (
  app         TEXT NOT NULL REFERENCES apps(name),
  version     TEXT NOT NULL,
  sha256      TEXT NOT NULL,
  size        INTEGER NOT NULL,
  services    TEXT NOT NULL,   -- JSON list of service names
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (app, version)
);

CREATE TABLE hosts (
  name          TEXT PRIMARY KEY,
  address       TEXT NOT NULL,
  agent_version TEXT,
  registered_at INTEGER NOT NULL,
  last_seen_at  INTEGER NOT NULL
);

CREATE TABLE deployments (
  id            TEXT PRIMARY KEY,
  kind          TEXT NOT NULL,   -- deploy | rollback
  app           TEXT NOT NULL,
  version       TEXT NOT NULL,
  state         TEXT NOT NULL,
  cause         TEXT,
  hosts         TEXT NOT NULL,   -- JSON list of {host, state, message}
  workflow_id   TEXT NOT NULL,
  run_id        TEXT,
  requested_by  TEXT,
  reason        TEXT,
  started_at    INTEGER NOT NULL,
  ended_at      INTEGER
);
CREATE INDEX deployments_by_app ON deployments (app, started_at);

-- Which release is current on each host, and the one before it.
CREATE TABLE host_apps (
  app               TEXT NOT NULL,
  host              TEXT NOT NULL,
  version           TEXT,
  previous_version  TEXT,
  updated_at        INTEGER NOT NULL,
  PRIMARY KEY (app, host)
);

-- Where each release's services listen on each host.
CREATE TABLE instances (
  app       TEXT NOT NULL,
  host      TEXT NOT NULL,
  version   TEXT NOT NULL,
  service   TEXT NOT NULL,
  address   TEXT NOT NULL,
  ports     TEXT NOT NULL,     -- JSON object {name: port}, in declaration order
  health    TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (app, host, version, service)
);
