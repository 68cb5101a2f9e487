package dev.cast.workflows.deploy;

import dev.cast.workflows.rollout.Batching;
import dev.cast.workflows.rollout.LegacyPaths;
import dev.cast.workflows.rollout.PartPlan;
import dev.cast.workflows.rollout.PartedRollout;
import dev.cast.workflows.rollout.Rollout;
import dev.cast.workflows.rollout.RolloutPolicy;
import dev.cast.workflows.shared.DeploymentProgress;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

public class DeployWorkflowImpl implements DeployWorkflow {
  private Rollout rollout;
  private PartedRollout parted;
  private boolean promoted;
  private boolean paused;

  @Override
  public DeploymentProgress run(DeployRequest request) {
    Strategy strategy = request.strategyOrSerial();
    // A deploy renders config with today's values, also for a release a host rendered before; a
    // rollback puts back the files the release had.
    RolloutPolicy policy =
        strategy.policy(request.healthyDeadlineMillis(), request.unreachableAfterMillis(), true);
    if (PartPlan.needsParts(request.hosts().size(), request.hostsPerPart())
        && LegacyPaths.runsInParts()) {
      return inParts(request, strategy, policy);
    }
    rollout = new Rollout(request.deploymentId(), request.release(), request.hosts(), policy);
    Batching batching = new Batching(rollout, () -> promoted, () -> paused);
    return rollout.run(
        () -> {
          rollout.stageAll();
          // Hosts found unreachable while staging are left out of the batches.
          List<List<String>> batches = batches(rollout.reachable(), strategy);
          batching.run(batches, strategy, 0, batches.size(), LegacyPaths::lastBatchStaysHealthy);
          rollout.phase("pruning old releases", batches.size(), batches.size());
          rollout.pruneAll(request.keepReleases());
        });
  }

  /**
   * The deploy in parts (child workflows of at most {@code hostsPerPart} hosts each), so its
   * history and theirs stay far below Temporal's limits at 10,000 hosts. Pauses and promotes are
   * this workflow's: it waits for them between parts, and passes a pause on to the part running.
   */
  private DeploymentProgress inParts(
      DeployRequest request, Strategy strategy, RolloutPolicy policy) {
    parted =
        new PartedRollout(
            request.deploymentId(),
            request.release(),
            Map.of(),
            request.hosts(),
            policy,
            request.hostsPerPart());
    return parted.run(
        () -> {
          parted.stageAll();
          List<List<String>> batches = batches(parted.reachable(), strategy);
          int count = batches.size();
          boolean canary = strategy.canary() > 0;
          boolean promoteGate = canary && strategy.manualPromote() && count > 1;
          parted.switchAll(
              batches,
              new PartedRollout.Batches(
                  count, "rolling out", canary, true, strategy.minHealthyMillis()),
              promoteGate ? 1 : 0,
              first -> awaitPerson(() -> !paused, "paused", first, count),
              last -> {
                if (promoteGate && last == 1) {
                  awaitPerson(() -> promoted, "awaiting promote", 1, count);
                }
              });
          parted.phase("pruning old releases", count, count);
          parted.pruneAll(request.keepReleases(), count);
        });
  }

  /** Waits for a person's signal between the parts of a deploy in parts. */
  private void awaitPerson(Supplier<Boolean> until, String phase, int batch, int batches) {
    if (until.get()) {
      return;
    }
    // No part runs while this workflow waits, so no progress clock either.
    parted.phase(phase, batch, batches);
    Workflow.await(until);
  }

  /** The canaries first, then batches of maxParallel. */
  public static List<List<String>> batches(List<String> hosts, Strategy strategy) {
    List<List<String>> batches = new ArrayList<>();
    int start = Math.min(Math.max(0, strategy.canary()), hosts.size());
    if (start > 0) {
      batches.add(hosts.subList(0, start));
    }
    int size = Math.max(1, strategy.maxParallel());
    for (int i = start; i < hosts.size(); i += size) {
      batches.add(hosts.subList(i, Math.min(i + size, hosts.size())));
    }
    return batches;
  }

  @Override
  public void promote() {
    promoted = true;
  }

  @Override
  public void pause() {
    paused = true;
    if (parted != null) {
      parted.pause(true);
    }
  }

  @Override
  public void resume() {
    paused = false;
    if (parted != null) {
      parted.pause(false);
    }
  }

  @Override
  public void hostUnreachable(String host) {
    if (parted != null) {
      parted.hostLost(host);
    } else if (rollout != null) {
      rollout.hostLost(host);
    }
  }

  @Override
  public DeploymentProgress progress() {
    return parted != null ? parted.snapshot() : rollout.snapshot();
  }
}
