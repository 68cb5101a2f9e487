package dev.cast.workflows.shared;

/**
 * What a rollout tolerates and how long it waits.
 *
 * @param healthyDeadlineMillis how long each host's services may take to pass their checks
 * @param unreachableAfterMillis a host whose agent picks up none of its work for this long is
 *     unreachable (0: the activity profile's default)
 * @param progressDeadlineMillis the rollout fails when no host makes progress for this long (0:
 *     never)
 * @param autoRevert on failure, put every switched host back; otherwise leave them for a person
 * @param maxUnavailable unreachable hosts the rollout goes on without
 */
public record RolloutPolicy(
    long healthyDeadlineMillis,
    long unreachableAfterMillis,
    long progressDeadlineMillis,
    boolean autoRevert,
    int maxUnavailable) {

  /** Every host must take part, failures revert, no progress deadline. */
  public static RolloutPolicy strict(long healthyDeadlineMillis, long unreachableAfterMillis) {
    return new RolloutPolicy(healthyDeadlineMillis, unreachableAfterMillis, 0, true, 0);
  }
}
