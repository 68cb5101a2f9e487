package dev.cast.workflows.rollout;

import dev.cast.workflows.catalog.CatalogActivities;
import dev.cast.workflows.shared.ActivityProfiles;
import dev.cast.workflows.shared.CastSearch;
import dev.cast.workflows.shared.DeploymentProgress;
import dev.cast.workflows.shared.DeploymentState;
import dev.cast.workflows.shared.Failures;
import dev.cast.workflows.shared.ReleaseRef;
import dev.cast.workflows.shared.TaskQueues;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;
import org.slf4j.Logger;

/**
 * A rollout run in parts: the same steps as {@link Rollout} (stage, switch batch by batch, revert
 * on failure or cancellation, prune), each done by child workflows ({@link PartWorkflow}) of at
 * most {@code hostsPerPart} hosts, so this workflow's history grows with the number of parts, not
 * of hosts. It keeps the rollout's bookkeeping: each host's state as its part left it, which hosts
 * are unreachable or silent, what each host ran before, and every host whose switch started in any
 * part, which a failure or a cancel reverts (in parts too). The parts that run now are {@link
 * Parts}. Workflow code only: no I/O.
 */
public final class PartedRollout {
  private static final Logger log = Workflow.getLogger(PartedRollout.class);

  private final String deploymentId;
  private final ReleaseRef release;
  private final Map<String, ReleaseRef> perHost;
  private final RolloutPolicy policy;
  private final int hostsPerPart;
  private final RolloutProgress progress;
  private final Parts parts;
  private final CatalogActivities catalog =
      Workflow.newActivityStub(
          CatalogActivities.class, ActivityProfiles.quickCall(TaskQueues.CONTROL));
  private final Set<String> unreachable = new LinkedHashSet<>();
  private final Set<String> lost = new LinkedHashSet<>();
  // What each staged host ran before (absent: nothing), and the hosts staged, in rollout order.
  private final Map<String, String> previous = new HashMap<>();
  private final Set<String> staged = new LinkedHashSet<>();
  // Hosts whose switch started (to revert) and those whose switch completed (to restore in the
  // catalog too), across every part.
  private final Set<String> attempted = new LinkedHashSet<>();
  private final Set<String> switched = new LinkedHashSet<>();
  private boolean finished;

  /** Ends the steps: a part failed, or too many hosts are unreachable. The cause is set. */
  static final class PartFailed extends RuntimeException {
    PartFailed() {
      super(null, null, false, false);
    }
  }

  /**
   * @param perHost the release of each host that does not go to {@code release}
   * @param hostsPerPart the most hosts a part acts on
   */
  public PartedRollout(
      String deploymentId,
      ReleaseRef release,
      Map<String, ReleaseRef> perHost,
      List<String> hostNames,
      RolloutPolicy policy,
      int hostsPerPart) {
    this.deploymentId = deploymentId;
    this.release = release;
    this.perHost = perHost == null ? Map.of() : Map.copyOf(perHost);
    this.policy = policy;
    this.hostsPerPart = PartPlan.hostsPerPart(hostsPerPart);
    this.progress = new RolloutProgress(deploymentId, hostNames);
    this.progress.onPhase(CastSearch::phase);
    this.progress.phase("starting");
    this.parts = new Parts(Workflow.getInfo().getWorkflowId(), deploymentId);
  }

  /**
   * Records RUNNING, runs the steps, reverts on failure or cancellation (or, with autoRevert off,
   * leaves the hosts as they are), records and returns the final state; as {@link Rollout#run}.
   */
  public DeploymentProgress run(Rollout.Steps work) {
    String invalid = policy.violation();
    if (invalid != null) {
      progress.end(DeploymentState.FAILED);
      progress.cause("INVALID_REQUEST: " + invalid + "; nothing was changed on any host");
      progress.phase("done");
      finished = true;
      DeploymentProgress refused = progress.snapshot();
      catalog.recordDeployment(refused);
      return refused;
    }
    catalog.recordDeployment(progress.snapshot());
    CancellationScope scope = Workflow.newCancellationScope(work::run);
    parts.stopWhen(scope::isCancelRequested);
    try {
      scope.run();
      finished = true;
      progress.end(DeploymentState.SUCCEEDED);
      progress.phase("done");
      if (!unreachable.isEmpty()) {
        progress.cause(
            summary()
                + ", within maxUnavailable "
                + policy.maxUnavailable()
                + "; the rest succeeded");
      }
    } catch (ActivityFailure | CanceledFailure | PartFailed failure) {
      finished = true;
      if (scope.isCancelRequested()) {
        progress.cause("cancelled by request");
        compensate(DeploymentState.CANCELLED);
      } else {
        progress.causeIfNone(Failures.describe(failure));
        fail();
      }
    }
    DeploymentProgress result = progress.snapshot();
    Workflow.newDetachedCancellationScope(() -> catalog.recordDeployment(result)).run();
    return result;
  }

  private void fail() {
    if (policy.autoRevert()) {
      log.warn("deployment {} failed, reverting: {}", deploymentId, progress.cause());
      compensate(DeploymentState.ROLLED_BACK);
    } else {
      log.warn("deployment {} failed, autoRevert off: {}", deploymentId, progress.cause());
      progress.end(DeploymentState.FAILED);
      progress.cause(progress.cause() + "; autoRevert is off, so every host stays as it is");
      progress.phase("done");
    }
  }

  /**
   * Reverts every host whose switch started, in any part, all at once in parts of their own; a
   * cancel cannot stop them.
   */
  private void compensate(DeploymentState endState) {
    progress.phase("reverting");
    Workflow.newDetachedCancellationScope(
            () -> {
              List<PartRequest> requests = new ArrayList<>();
              for (List<String> group : PartPlan.groups(List.copyOf(attempted), hostsPerPart)) {
                requests.add(
                    request(PartKind.REVERT, group)
                        .previous(previousOf(group))
                        .switched(group.stream().filter(switched::contains).toList())
                        .build());
              }
              String failed = null;
              for (PartResult result : parts.run(requests, false)) {
                progress.update(result.hosts());
                if (result.outcome() != PartResult.Outcome.DONE && failed == null) {
                  failed = result.cause();
                }
              }
              if (failed == null) {
                progress.end(endState);
              } else {
                progress.end(DeploymentState.FAILED);
                progress.cause(progress.cause() + "; reverting also failed: " + failed);
              }
            })
        .run();
    progress.phase("done");
  }

  /** What the rollout is doing, shown in its progress. */
  public void phase(String now, Integer batchNumber, Integer batchCount) {
    progress.phase(now, batchNumber, batchCount);
  }

  /** Stages the release on every host at once, in parts. */
  public void stageAll() {
    progress.phase("staging");
    List<String> hostNames = progress.hostNames();
    // Hosts that stage the same release share its pieces among them, across parts.
    Map<String, Integer> share = new HashMap<>();
    Map<String, Integer> shares = new HashMap<>();
    for (String host : hostNames) {
      share.put(host, shares.merge(releaseOf(host).version(), 1, Integer::sum) - 1);
    }
    List<PartRequest> requests = new ArrayList<>();
    for (List<String> group : PartPlan.groups(hostNames, hostsPerPart)) {
      Map<String, Integer> groupShare = new HashMap<>();
      group.forEach(h -> groupShare.put(h, share.get(h)));
      requests.add(request(PartKind.STAGE, group).shares(groupShare, shares).build());
    }
    for (PartResult result : take(parts.run(requests, true))) {
      staged.addAll(result.staged());
      previous.putAll(result.previous());
    }
    check();
  }

  /** The hosts not found unreachable so far, in rollout order. */
  public List<String> reachable() {
    return progress.hostNames().stream().filter(h -> !unreachable.contains(h)).toList();
  }

  /**
   * Switches the batches of one step, each part's batches one after another, the parts side by
   * side; see {@link PartPlan}.
   */
  void switchStep(List<PartPlan.Part> step, Batches how) {
    List<PartRequest> requests = new ArrayList<>();
    for (PartPlan.Part part : step) {
      List<String> hostNames = part.hosts();
      requests.add(
          request(PartKind.SWITCH, hostNames)
              .previous(previousOf(hostNames))
              .batches(part.batches(), part.firstBatch(), how)
              .paused(parts.paused())
              .build());
    }
    take(parts.run(requests, true));
    check();
  }

  /**
   * Switches {@code batches} (numbered from 1 in the rollout) step by step; before each step {@code
   * beforeStep} runs with the number of its first batch (a pause, a promote), after each {@code
   * afterStep} with the number of its last.
   */
  public void switchAll(
      List<List<String>> batches,
      Batches how,
      int aloneFirst,
      IntConsumer beforeStep,
      IntConsumer afterStep) {
    for (List<PartPlan.Part> step : PartPlan.steps(batches, hostsPerPart, aloneFirst)) {
      int first = step.get(0).firstBatch();
      int last = step.get(step.size() - 1).lastBatch();
      beforeStep.accept(first);
      progress.phase(
          first == 1 && how.canaryFirst() ? "canary" : how.label(), first, how.batchCount());
      switchStep(step, how);
      progress.phase(progress.phase(), last, how.batchCount());
      afterStep.accept(last);
    }
  }

  /**
   * How a rollout switches its batches.
   *
   * @param batchCount how many batches it has
   * @param label what a batch is called in the phase
   * @param canaryFirst batch 1 is the canary
   * @param runPostActivate run {@code post_activate}
   * @param minHealthyMillis how long each batch stays healthy before the next
   */
  public record Batches(
      int batchCount,
      String label,
      boolean canaryFirst,
      boolean runPostActivate,
      long minHealthyMillis) {}

  /** Removes old releases on every reachable host, in parts; failures only show in the log. */
  public void pruneAll(int keep, int batchCount) {
    List<PartRequest> requests = new ArrayList<>();
    for (List<String> group : PartPlan.groups(reachable(), hostsPerPart)) {
      requests.add(request(PartKind.PRUNE, group).prune(keep, batchCount).build());
    }
    parts.run(requests, true);
  }

  /** Pauses the rollout's switching parts before their next batch, or lets them go on. */
  public void pause(boolean paused) {
    parts.pause(paused);
  }

  /** The api heard nothing from the host's agent for too long: its part is told. */
  public void hostLost(String host) {
    if (!progress.has(host) || unreachable.contains(host) || finished) {
      return;
    }
    log.warn("deployment {}: host {} stopped reporting to the api", deploymentId, host);
    lost.add(host);
    parts.hostLost(host);
  }

  /** Every host as the rollout last heard of it, naming the parts that run now. */
  public DeploymentProgress snapshot() {
    return progress.snapshot(parts.runningIds());
  }

  /** Takes the parts' news of their hosts; the first part that failed gives the cause. */
  private List<PartResult> take(List<PartResult> results) {
    boolean failed = false;
    for (PartResult result : results) {
      progress.update(result.hosts());
      unreachable.addAll(result.unreachable());
      lost.addAll(result.lost());
      attempted.addAll(result.attempted());
      switched.addAll(result.switched());
      if (result.outcome() == PartResult.Outcome.FAILED) {
        progress.causeIfNone(result.cause());
        failed = true;
      }
    }
    if (results.stream().anyMatch(r -> r.outcome() == PartResult.Outcome.STOPPED)) {
      throw new CanceledFailure("the rollout was cancelled");
    }
    if (failed) {
      throw new PartFailed();
    }
    return results;
  }

  /**
   * Parts side by side each allow maxUnavailable hosts of their own: together they may have
   * exceeded it.
   */
  private void check() {
    if (unreachable.size() > policy.maxUnavailable()
        || (!unreachable.isEmpty() && unreachable.size() >= progress.hostCount())) {
      progress.causeIfNone(
          summary() + ", more than maxUnavailable " + policy.maxUnavailable() + " allows");
      throw new PartFailed();
    }
  }

  private String summary() {
    return unreachable.size()
        + (unreachable.size() == 1 ? " host" : " hosts")
        + " unreachable ("
        + String.join(", ", unreachable)
        + ")";
  }

  private Map<String, String> previousOf(List<String> hostNames) {
    Map<String, String> of = new HashMap<>();
    for (String host : hostNames) {
      if (previous.get(host) != null) {
        of.put(host, previous.get(host));
      }
    }
    return of;
  }

  private ReleaseRef releaseOf(String host) {
    return perHost.getOrDefault(host, release);
  }

  private PartRequests.Builder request(PartKind kind, List<String> hostNames) {
    Map<String, ReleaseRef> own = new HashMap<>();
    for (String host : hostNames) {
      if (perHost.containsKey(host)) {
        own.put(host, perHost.get(host));
      }
    }
    return new PartRequests.Builder(
        kind,
        deploymentId,
        release,
        own,
        hostNames,
        policy,
        progress.hostCount(),
        List.copyOf(unreachable),
        List.copyOf(lost));
  }
}
