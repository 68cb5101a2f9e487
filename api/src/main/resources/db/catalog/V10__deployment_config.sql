-- The config files each host of a deployment rendered from its release's templates, with secrets
-- masked, and the registry index they were rendered at.
CREATE TABLE deployment_config (
  deployment_id  TEXT NOT NULL,
  host           TEXT NOT NULL,
  config_index   INTEGER NOT NULL,
  files          TEXT NOT NULL,    -- JSON list of {src, dest, mode, onChange, content, secrets, truncated}
  recorded_at    INTEGER NOT NULL,
  PRIMARY KEY (deployment_id, host)
);

-- The highest index any of its hosts rendered at; null when its release has no templates.
ALTER TABLE deployments ADD COLUMN config_index INTEGER;
