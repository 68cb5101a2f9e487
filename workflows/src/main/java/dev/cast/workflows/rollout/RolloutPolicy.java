package dev.cast.workflows.rollout;

import static dev.cast.workflows.shared.Limits.MAX_HEALTHY_DEADLINE;
import static dev.cast.workflows.shared.Limits.MAX_HOSTS;
import static dev.cast.workflows.shared.Limits.MAX_PROGRESS_DEADLINE;
import static dev.cast.workflows.shared.Limits.MAX_UNREACHABLE_AFTER;
import static dev.cast.workflows.shared.Limits.MIN_HEALTHY_DEADLINE;
import static dev.cast.workflows.shared.Limits.outside;

import java.time.Duration;

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
 * @param rerenderConfig a host switching to a release it rendered config for before renders it
 *     again at the registry's current index, instead of putting back the files it had (a rollback
 *     asked {@code {"rerender": true}})
 */
public record RolloutPolicy(
    long healthyDeadlineMillis,
    long unreachableAfterMillis,
    long progressDeadlineMillis,
    boolean autoRevert,
    int maxUnavailable,
    boolean rerenderConfig) {

  /** Every host must take part, failures revert, no progress deadline. */
  public static RolloutPolicy strict(long healthyDeadlineMillis, long unreachableAfterMillis) {
    return new RolloutPolicy(healthyDeadlineMillis, unreachableAfterMillis, 0, true, 0, false);
  }

  /** {@link #strict}, with config rendered again on every host that switches. */
  public static RolloutPolicy strictRerendering(
      long healthyDeadlineMillis, long unreachableAfterMillis) {
    return new RolloutPolicy(healthyDeadlineMillis, unreachableAfterMillis, 0, true, 0, true);
  }

  /** What is out of range in this policy, or null when nothing is. */
  public String violation() {
    String problem =
        outside(
            "healthyDeadline", healthyDeadlineMillis, MIN_HEALTHY_DEADLINE, MAX_HEALTHY_DEADLINE);
    if (problem == null && progressDeadlineMillis != 0) {
      problem =
          outside(
              "progressDeadline",
              progressDeadlineMillis,
              Duration.ofSeconds(1),
              MAX_PROGRESS_DEADLINE);
    }
    if (problem == null) {
      problem =
          outside("unreachableAfter", unreachableAfterMillis, Duration.ZERO, MAX_UNREACHABLE_AFTER);
    }
    if (problem == null && (maxUnavailable < 0 || maxUnavailable > MAX_HOSTS)) {
      problem = "maxUnavailable " + maxUnavailable + " is outside 0 to " + MAX_HOSTS + " hosts";
    }
    return problem;
  }
}
