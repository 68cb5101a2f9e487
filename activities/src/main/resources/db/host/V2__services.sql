-- What the operator wants of each service on this host, so the supervisor never undoes it:
-- a disabled service stays stopped across agent restarts and deploys until enabled; a service
-- stopped on purpose is not started again when the agent restarts. No row: enabled, running.
CREATE TABLE services (
  app     TEXT    NOT NULL,
  service TEXT    NOT NULL,
  enabled INTEGER NOT NULL DEFAULT 1,
  wanted  TEXT    NOT NULL DEFAULT 'running' CHECK (wanted IN ('running', 'stopped')),
  PRIMARY KEY (app, service)
);
