package dev.cast.workflows.config;

import dev.cast.workflows.deploy.DeployWorkflowImpl;
import dev.cast.workflows.deploy.Strategy;
import dev.cast.workflows.rollout.Batching;
import dev.cast.workflows.rollout.Rollout;
import dev.cast.workflows.rollout.RolloutPolicy;
import dev.cast.workflows.shared.DeploymentProgress;
import java.util.ArrayList;
import java.util.List;

public class ConfigRolloutWorkflowImpl implements ConfigRolloutWorkflow {
  private Rollout rollout;
  private boolean promoted;
  private boolean paused;

  @Override
  public DeploymentProgress run(ConfigRolloutRequest request) {
    Strategy strategy = request.strategyOrSerial();
    RolloutPolicy policy =
        strategy.policy(request.healthyDeadlineMillis(), request.unreachableAfterMillis(), false);
    rollout =
        Rollout.forConfig(
            request.deploymentId(),
            request.release(),
            request.hostReleases(),
            request.hosts(),
            policy);
    Batching batching = new Batching(rollout, () -> promoted, () -> paused);
    return rollout.run(
        () -> {
          rollout.renderAll();
          // Only hosts whose config changed (and that answered) take part from here.
          List<String> atOnce = new ArrayList<>();
          List<String> rolling = new ArrayList<>();
          for (String host : rollout.reachable()) {
            (rollout.configAction(host).equals("rollout") ? rolling : atOnce).add(host);
          }
          List<List<String>> batches = DeployWorkflowImpl.batches(rolling, strategy);
          int total = batches.size() + (atOnce.isEmpty() ? 0 : 1);
          if (!atOnce.isEmpty()) {
            batching.awaitPerson(() -> !paused, "paused", 1, total);
            rollout.phase("applying config", 1, total);
            rollout.activateBatch(atOnce, false);
          }
          batching.run(batches, strategy, total - batches.size(), total, () -> true);
        });
  }

  @Override
  public void promote() {
    promoted = true;
  }

  @Override
  public void pause() {
    paused = true;
  }

  @Override
  public void resume() {
    paused = false;
  }

  @Override
  public void hostUnreachable(String host) {
    if (rollout != null) {
      rollout.hostLost(host);
    }
  }

  @Override
  public DeploymentProgress progress() {
    return rollout.snapshot();
  }
}
