-- A drained host takes no new deploys until undrained.
ALTER TABLE hosts ADD COLUMN drained INTEGER NOT NULL DEFAULT 0;
