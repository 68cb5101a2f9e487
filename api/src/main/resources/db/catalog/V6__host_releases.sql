-- The releases each host holds of an app, as its agent last reported them (JSON list).
ALTER TABLE host_apps ADD COLUMN releases TEXT;
