package dev.cast.workflows.rollout;

import dev.cast.workflows.host.ReleaseActivities;
import dev.cast.workflows.shared.ActivityProfiles;
import dev.cast.workflows.shared.TaskQueues;
import io.temporal.activity.ActivityOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * The stubs a rollout calls a host's release activities through, one per kind of step. Each runs on
 * the host's own queue with its profile, and with the rollout's {@code unreachableAfter} as its
 * schedule-to-start timeout, so a host whose agent takes no work shows up as unreachable. Each
 * activity carries a summary naming its step and host ("SwitchRelease web-3"), so the workflow's
 * history in the Temporal UI reads as the deploy.
 */
final class HostStubs {
  private final RolloutPolicy policy;

  HostStubs(RolloutPolicy policy) {
    this.policy = policy;
  }

  /** For staging: a fetch may take long and heartbeats its progress. */
  ReleaseActivities fetch(String host) {
    return Workflow.newActivityStub(
        ReleaseActivities.class,
        reaching(ActivityProfiles.bundleFetch(TaskQueues.host(host)), "StageRelease " + host));
  }

  /** For short local work such as pruning. */
  ReleaseActivities quick(String host, String step) {
    return Workflow.newActivityStub(
        ReleaseActivities.class,
        reaching(ActivityProfiles.quickCall(TaskQueues.host(host)), step + " " + host));
  }

  /** For switching, reverting and health waits, which may take the health deadline on top. */
  ReleaseActivities lifecycle(String host, String step) {
    return Workflow.newActivityStub(
        ReleaseActivities.class,
        reaching(
            ActivityProfiles.serviceLifecycle(
                TaskQueues.host(host), policy.healthyDeadlineMillis()),
            step + " " + host));
  }

  private ActivityOptions reaching(ActivityOptions profile, String summary) {
    return ActivityOptions.newBuilder(
            ActivityProfiles.reachingWithin(
                profile, Duration.ofMillis(policy.unreachableAfterMillis())))
        .setSummary(summary)
        .build();
  }
}
