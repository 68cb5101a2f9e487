-- Users' tokens: only a SHA-256 of each secret is kept. apps is a JSON list of names or globs,
-- null for every app. Times are epoch milliseconds.
CREATE TABLE tokens (
  id           TEXT PRIMARY KEY,
  name         TEXT NOT NULL,
  role         TEXT NOT NULL,   -- viewer | deployer | admin
  apps         TEXT,
  secret_hash  TEXT NOT NULL UNIQUE,
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER,
  revoked_at   INTEGER,
  created_by   TEXT
);

-- Every mutating call: who, what, on which app, with which parameters, and how it ended.
CREATE TABLE audit (
  seq          INTEGER PRIMARY KEY AUTOINCREMENT,
  at           INTEGER NOT NULL,
  actor        TEXT NOT NULL,
  action       TEXT NOT NULL,   -- e.g. POST /v1/apps/{app}/deployments
  path         TEXT NOT NULL,
  app          TEXT,
  params       TEXT,            -- JSON, without secrets
  status       INTEGER NOT NULL,
  source       TEXT
);
CREATE INDEX audit_by_time ON audit (at);

-- Who pushed each release.
ALTER TABLE releases ADD COLUMN pushed_by TEXT;

-- Each host's own token, given at its registration with the join token: only a SHA-256 is kept.
CREATE TABLE host_tokens (
  host         TEXT PRIMARY KEY,
  secret_hash  TEXT NOT NULL,
  created_at   INTEGER NOT NULL
);
