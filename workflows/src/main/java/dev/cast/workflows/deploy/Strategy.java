package dev.cast.workflows.deploy;

import dev.cast.workflows.rollout.RolloutPolicy;

/**
 * How a deploy rolls out, and what it tolerates.
 *
 * @param maxParallel hosts switched at once after the canaries (at least 1)
 * @param canary hosts switched first, before the rest wait for a promote
 * @param manualPromote after the canaries, wait for a promote signal (otherwise for {@code
 *     minHealthyMillis})
 * @param minHealthyMillis how long each batch must stay healthy before the next one starts
 * @param progressDeadlineMillis the rollout fails when no host makes progress (staged, healthy) for
 *     this long, time spent waiting for a promote or a resume aside; 0 means no deadline
 * @param autoRevert on failure, put every switched host back (null means true); false leaves the
 *     hosts as they are for a person to look at
 * @param maxUnavailable hosts that may be unreachable (no agent picks up their work) while the
 *     rollout goes on without them
 */
public record Strategy(
    int maxParallel,
    int canary,
    boolean manualPromote,
    long minHealthyMillis,
    long progressDeadlineMillis,
    Boolean autoRevert,
    int maxUnavailable) {

  public Strategy(int maxParallel, int canary, boolean manualPromote, long minHealthyMillis) {
    this(maxParallel, canary, manualPromote, minHealthyMillis, 0, true, 0);
  }

  /** One host at a time, no canary, no wait: the behaviour before strategies existed. */
  public static Strategy serial() {
    return new Strategy(1, 0, false, 0);
  }

  /**
   * The policy a rollout with this strategy runs by.
   *
   * @param rerenderConfig see {@link RolloutPolicy#rerenderConfig()}
   */
  public RolloutPolicy policy(
      long healthyDeadlineMillis, long unreachableAfterMillis, boolean rerenderConfig) {
    return new RolloutPolicy(
        healthyDeadlineMillis,
        unreachableAfterMillis,
        progressDeadlineMillis(),
        reverts(),
        maxUnavailable(),
        rerenderConfig);
  }

  public boolean reverts() {
    return autoRevert == null || autoRevert;
  }
}
