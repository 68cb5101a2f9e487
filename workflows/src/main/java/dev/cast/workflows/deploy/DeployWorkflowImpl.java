package dev.cast.workflows.deploy;

import dev.cast.workflows.shared.DeploymentProgress;
import dev.cast.workflows.shared.Rollout;

public class DeployWorkflowImpl implements DeployWorkflow {
  private Rollout rollout;

  @Override
  public DeploymentProgress run(DeployRequest request) {
    rollout =
        new Rollout(
            request.deploymentId(),
            request.release(),
            request.hosts(),
            request.healthyDeadlineMillis());
    return rollout.run(
        () -> {
          rollout.stageAll();
          for (String host : request.hosts()) {
            rollout.activate(host, true);
          }
          rollout.pruneAll(request.keepReleases());
        });
  }

  @Override
  public DeploymentProgress progress() {
    return rollout.snapshot();
  }
}
