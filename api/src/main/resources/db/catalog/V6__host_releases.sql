-- The releases each host holds of an app, as its agent last reported them (JSON list).
ALTER TABLE host_apps ADD COLUMN releases TEXT;
-- What each target host ran of the app when a deployment started (JSON object host -> version),
-- so that hosts it switched can be told from hosts that already ran its release.
ALTER TABLE deployments ADD COLUMN hosts_before TEXT;
