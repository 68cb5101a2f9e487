package dev.cast.workflows.rollout;

/** What a part of a rollout does on its hosts (see {@link PartWorkflow}). */
public enum PartKind {
  /** Stage the release on each host. */
  STAGE,
  /** Switch its batches one after another, each host of a batch at once. */
  SWITCH,
  /** Put each host back on the release it ran before. */
  REVERT,
  /** Remove old releases on each host. */
  PRUNE
}
