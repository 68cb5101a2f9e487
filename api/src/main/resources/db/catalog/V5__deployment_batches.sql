-- The batch a rollout reached and how many it had, kept once the workflow is gone.
ALTER TABLE deployments ADD COLUMN batch INTEGER;
ALTER TABLE deployments ADD COLUMN batches INTEGER;
