package dev.cast.workflows.rollout;

import dev.cast.workflows.host.ActivateRequest;
import dev.cast.workflows.host.Activation;
import dev.cast.workflows.host.HealthRequest;
import dev.cast.workflows.host.HookRequest;
import dev.cast.workflows.host.ReleaseActivities;
import dev.cast.workflows.shared.HostState;
import dev.cast.workflows.shared.ReleaseRef;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;

/**
 * Every {@code Workflow.getVersion} branch of the deploy and rollback workflows, with its change id
 * and versions exactly as runs recorded them, and the code that only runs recorded before each
 * change still take. Replaying such a run must issue the commands it recorded, in the same order,
 * so these paths stay as they were. Once no run recorded before a change is open any more, its old
 * path goes: raise the minimum version of its {@code getVersion} call to 1 and keep the call, as
 * Temporal requires of a version marker that histories still carry.
 */
public final class LegacyPaths {
  private LegacyPaths() {}

  /**
   * Whether a deploy or rollback runs its steps in parts, child workflows of a few hundred hosts
   * each ({@link PartedRollout}), so no history grows with the number of hosts; runs recorded
   * before run every step in their own workflow ({@link Rollout}).
   */
  public static boolean runsInParts() {
    return Workflow.getVersion("rollout-in-parts", Workflow.DEFAULT_VERSION, 1) == 1;
  }

  /**
   * Whether a service operation on more hosts than one part takes runs in parts (child workflows of
   * its own type); runs recorded before act on every host in their own workflow.
   */
  public static boolean serviceControlInParts() {
    return Workflow.getVersion("service-control-in-parts", Workflow.DEFAULT_VERSION, 1) == 1;
  }

  /**
   * Whether the last batch of a deploy, too, must stay healthy for {@code minHealthyTime} before
   * the deploy succeeds. Runs recorded before this was so end right after their last switch.
   */
  public static boolean lastBatchStaysHealthy() {
    return Workflow.getVersion("last-batch-stays-healthy", Workflow.DEFAULT_VERSION, 1) == 1;
  }

  /**
   * Whether a batch is recorded in the catalog in one activity; runs recorded before that was so
   * record each host on its own ({@link #activateHostByHost}). Asked once per batch.
   */
  static boolean recordsPerBatch() {
    return Workflow.getVersion("batch-record", Workflow.DEFAULT_VERSION, 1) == 1;
  }

  /**
   * Whether a host switches in one activity ({@code switchRelease}); runs recorded before it
   * existed switch in three ({@link #switchInSteps}). Asked once per host switched.
   */
  static boolean switchesInOneStep() {
    return Workflow.getVersion("one-step-switch", Workflow.DEFAULT_VERSION, 1) == 1;
  }

  /** Whether hosts are pruned all at once; runs recorded before that was so prune one by one. */
  static boolean prunesInParallel() {
    return Workflow.getVersion("parallel-prune", Workflow.DEFAULT_VERSION, 1) == 1;
  }

  /**
   * A batch as runs recorded before {@link #recordsPerBatch} activated it: each host switched and
   * recorded on its own, side by side, and a batch of one host in the workflow's own thread. The
   * deploy and the rollback did the same, except that the rollback ran a batch of one in a thread
   * of its own too; a rollback runs no other thread (it has no progress deadline), so both issue
   * the same commands in the same order.
   */
  static void activateHostByHost(Rollout rollout, List<String> batch, boolean runPostActivate) {
    if (batch.size() == 1) {
      activateAndRecord(rollout, batch.get(0), runPostActivate);
      return;
    }
    List<Promise<Void>> running = new ArrayList<>();
    for (String host : batch) {
      running.add(Async.procedure(() -> activateAndRecord(rollout, host, runPostActivate)));
    }
    Promises.awaitAll(running);
  }

  /** Switches one host and records it in the catalog at once. */
  private static void activateAndRecord(Rollout rollout, String host, boolean runPostActivate) {
    if (rollout.hostSteps().unreachable(host)) {
      return;
    }
    try {
      rollout.catalog().recordActivation(rollout.switchHost(host, runPostActivate));
      rollout
          .progress()
          .mark(host, HostState.HEALTHY, rollout.releaseOf(host).version() + " is serving");
    } catch (HostSteps.SkipHost skipped) {
      // Reported in its progress; the rollout goes on without it.
    }
  }

  /** The switch as runs recorded before {@link #switchesInOneStep} did it: three activities. */
  static Activation switchInSteps(
      Rollout rollout, String host, ReleaseActivities lifecycle, boolean runPostActivate) {
    ReleaseRef release = rollout.releaseOf(host);
    long healthyDeadline = rollout.policy().healthyDeadlineMillis();
    Activation activation =
        rollout
            .hostSteps()
            .onHost(
                host,
                () ->
                    lifecycle.activateRelease(
                        new ActivateRequest(
                            rollout.deploymentId(), release.app(), release.version(), false)));
    rollout.progress().mark(host, HostState.ACTIVATING, "started, waiting for health checks");
    rollout
        .hostSteps()
        .onHost(
            host,
            () ->
                lifecycle.awaitHealthy(
                    new HealthRequest(release.app(), release.version(), healthyDeadline)));
    if (runPostActivate) {
      rollout
          .hostSteps()
          .onHost(
              host,
              () -> {
                lifecycle.runHook(
                    new HookRequest(release.app(), release.version(), "post_activate"));
                return null;
              });
    }
    return activation;
  }

  /** Pruning as runs recorded before {@link #prunesInParallel} did it: one host after another. */
  static void pruneOneByOne(Rollout rollout, int keep) {
    for (String host : rollout.reachable()) {
      rollout.prune(host, keep);
    }
  }
}
