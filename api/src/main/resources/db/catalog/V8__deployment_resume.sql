-- What a deploy was started with beyond its release and hosts (JSON {strategy, healthyDeadlineMillis}),
-- so that an INTERRUPTED one can be started again as it was asked for; null for other kinds and
-- for deploys recorded before this column.
ALTER TABLE deployments ADD COLUMN plan TEXT;
-- The INTERRUPTED deployment this one resumes or reverts.
ALTER TABLE deployments ADD COLUMN follows TEXT;
-- The deployment that resumed or reverted this INTERRUPTED one (set once: it is ended only once).
ALTER TABLE deployments ADD COLUMN ended_by TEXT;
