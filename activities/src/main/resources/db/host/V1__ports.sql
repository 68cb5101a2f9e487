-- Ports handed out on this host. A (app, service, name) keeps its port across releases;
-- the UNIQUE constraint makes sure no two services ever share one.
CREATE TABLE ports (
  app     TEXT    NOT NULL,
  service TEXT    NOT NULL,
  name    TEXT    NOT NULL,
  port    INTEGER NOT NULL UNIQUE,
  PRIMARY KEY (app, service, name)
);
