package dev.cast.workflows.shared;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/** Named timeout and retry profiles for activity stubs. */
public final class ActivityProfiles {
  private ActivityProfiles() {}

  /** Short local work: catalog writes, pruning, reading state. */
  public static ActivityOptions quickCall(String taskQueue) {
    return ActivityOptions.newBuilder()
        .setTaskQueue(taskQueue)
        .setStartToCloseTimeout(Duration.ofSeconds(30))
        .setScheduleToStartTimeout(Duration.ofMinutes(5))
        .setRetryOptions(retry(Duration.ofSeconds(1), Duration.ofMinutes(1), 5))
        .build();
  }

  /**
   * Stopping, switching and starting services, waiting for health. The heartbeat timeout lets a
   * killed agent's work be retried on its restarted agent within seconds.
   */
  public static ActivityOptions serviceLifecycle(String taskQueue) {
    return ActivityOptions.newBuilder()
        .setTaskQueue(taskQueue)
        .setStartToCloseTimeout(Duration.ofMinutes(5))
        .setScheduleToStartTimeout(Duration.ofMinutes(5))
        .setHeartbeatTimeout(Duration.ofSeconds(15))
        .setRetryOptions(retry(Duration.ofSeconds(2), Duration.ofMinutes(1), 5))
        .build();
  }

  /**
   * The service lifecycle profile for a step that may legitimately wait {@code waitMillis} (a
   * health deadline) on top of its own work.
   */
  public static ActivityOptions serviceLifecycle(String taskQueue, long waitMillis) {
    ActivityOptions base = serviceLifecycle(taskQueue);
    return ActivityOptions.newBuilder(base)
        .setStartToCloseTimeout(base.getStartToCloseTimeout().plus(Duration.ofMillis(waitMillis)))
        .build();
  }

  /**
   * A host profile with {@code unreachableAfter} as its schedule-to-start timeout: how long a task
   * may wait for the host's agent to pick it up before the host counts as unreachable. Zero keeps
   * the profile's own.
   */
  public static ActivityOptions reachingWithin(ActivityOptions profile, Duration unreachableAfter) {
    if (unreachableAfter.isZero() || unreachableAfter.isNegative()) {
      return profile;
    }
    return ActivityOptions.newBuilder(profile).setScheduleToStartTimeout(unreachableAfter).build();
  }

  /** Fetching, verifying and unpacking a bundle. Heartbeats carry bytes done. */
  public static ActivityOptions bundleFetch(String taskQueue) {
    return ActivityOptions.newBuilder()
        .setTaskQueue(taskQueue)
        .setStartToCloseTimeout(Duration.ofHours(1))
        .setScheduleToStartTimeout(Duration.ofMinutes(5))
        .setHeartbeatTimeout(Duration.ofSeconds(30))
        .setRetryOptions(retry(Duration.ofSeconds(5), Duration.ofMinutes(5), 10))
        .build();
  }

  private static RetryOptions retry(Duration initial, Duration max, int attempts) {
    return RetryOptions.newBuilder()
        .setInitialInterval(initial)
        .setBackoffCoefficient(2.0)
        .setMaximumInterval(max)
        .setMaximumAttempts(attempts)
        .setDoNotRetry(DeployFailure.all())
        .build();
  }
}
