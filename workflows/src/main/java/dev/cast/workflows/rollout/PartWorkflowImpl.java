package dev.cast.workflows.rollout;

import dev.cast.workflows.shared.DeploymentProgress;
import dev.cast.workflows.shared.Failures;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

public class PartWorkflowImpl implements PartWorkflow {
  private Rollout rollout;
  private boolean paused;
  // Whether the rollout's hold reached the part before its run began: it is newer than the
  // request's.
  private boolean heldBeforeRun;
  private boolean stopped;
  // Hosts the rollout forwarded before this part's rollout existed.
  private final Set<String> lostEarly = new HashSet<>();

  @Override
  public PartResult run(PartRequest request) {
    rollout = Rollout.forPart(request);
    if (!heldBeforeRun) {
      paused = request.paused();
    }
    if (stopped) {
      rollout.stop();
    }
    lostEarly.forEach(rollout::hostLost);
    return switch (request.kind()) {
      case STAGE -> stage(request);
      case SWITCH -> rollout.runPart(() -> switchBatches(request));
      case REVERT -> revert(request);
      case PRUNE ->
          rollout.runPart(
              () -> {
                rollout.phase("pruning old releases", request.batchCount(), request.batchCount());
                rollout.pruneAll(request.keepReleases());
              });
    };
  }

  private PartResult stage(PartRequest request) {
    if (request.share() != null && request.shares() != null) {
      rollout.staging().shares(new Staging.Shares(request.share(), request.shares()));
    }
    return rollout.runPart(rollout::stageAll);
  }

  private void switchBatches(PartRequest request) {
    rollout.staging().known(request.hosts(), orEmpty(request.previous()));
    List<List<String>> batches = request.batches();
    for (int i = 0; i < batches.size(); i++) {
      int number = request.firstBatch() + i;
      if (paused) {
        rollout.phase("paused", number, request.batchCount());
        rollout.hold(true);
        Workflow.await(() -> !paused);
        rollout.hold(false);
      }
      String phase = number == 1 && request.canaryFirst() ? "canary" : request.label();
      rollout.phase(phase, number, request.batchCount());
      rollout.activateBatch(batches.get(i), request.runPostActivate());
      if (request.minHealthyMillis() > 0) {
        rollout.phase(phase + ", staying healthy", number, request.batchCount());
        Workflow.sleep(Duration.ofMillis(request.minHealthyMillis()));
        rollout.confirmHealthy(batches.get(i));
      }
    }
  }

  /** Reverts run to the end whatever happens to the rollout, like a saga's compensations. */
  private PartResult revert(PartRequest request) {
    rollout.finish();
    String cause = null;
    try {
      rollout.revertAll(
          request.hosts(),
          orEmpty(request.previous()),
          new HashSet<>(request.switched() == null ? List.of() : request.switched()));
    } catch (RuntimeException e) {
      cause = Failures.describe(e);
    }
    DeploymentProgress now = rollout.snapshot();
    return new PartResult(
        cause == null ? PartResult.Outcome.DONE : PartResult.Outcome.FAILED,
        cause,
        now.hosts(),
        List.of(),
        Map.of(),
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        now.phase());
  }

  private static Map<String, String> orEmpty(Map<String, String> map) {
    return map == null ? Map.of() : map;
  }

  @Override
  public void hold(boolean paused) {
    this.paused = paused;
    heldBeforeRun = rollout == null;
  }

  @Override
  public void stop() {
    stopped = true;
    if (rollout != null) {
      rollout.stop();
    }
  }

  @Override
  public void hostUnreachable(String host) {
    if (rollout == null) {
      lostEarly.add(host);
    } else {
      rollout.hostLost(host);
    }
  }

  @Override
  public DeploymentProgress progress() {
    return rollout == null
        ? new DeploymentProgress(null, null, null, List.of())
        : rollout.snapshot();
  }
}
