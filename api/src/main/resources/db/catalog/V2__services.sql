-- Service management: what each agent reports about its supervised services, where to read
-- their logs, and which service an operation acted on.
ALTER TABLE hosts ADD COLUMN logs_url TEXT;
ALTER TABLE deployments ADD COLUMN service TEXT;

CREATE TABLE service_status (
  host           TEXT NOT NULL,
  app            TEXT NOT NULL,
  service        TEXT NOT NULL,
  version        TEXT,
  state          TEXT NOT NULL,
  pid            INTEGER,
  started_at     TEXT,
  restarts       INTEGER NOT NULL,
  health         TEXT NOT NULL,
  health_output  TEXT,
  health_since   TEXT,
  enabled        INTEGER NOT NULL,
  reported_at    INTEGER NOT NULL,
  PRIMARY KEY (host, app, service)
);
