-- What each host's config rendering read from the registry (JSON {keys, prefixes, services}):
-- what a watched app's config depends on.
ALTER TABLE deployment_config ADD COLUMN reads TEXT;

-- Apps whose config is rolled out by itself when what their templates read changes.
CREATE TABLE config_watch (
  app          TEXT PRIMARY KEY,
  enabled      INTEGER NOT NULL,
  wait_min_ms  INTEGER NOT NULL,  -- quiet time after the last change before the rollout starts
  wait_max_ms  INTEGER NOT NULL,  -- the longest a rollout waits after the first change
  updated_by   TEXT,
  updated_at   INTEGER NOT NULL
);
