package dev.cast.workflows.rollback;

import dev.cast.workflows.rollout.Rollout;
import dev.cast.workflows.rollout.RolloutPolicy;
import dev.cast.workflows.shared.DeploymentProgress;
import java.util.List;

public class RollbackWorkflowImpl implements RollbackWorkflow {
  private Rollout rollout;

  @Override
  public DeploymentProgress run(RollbackRequest request) {
    rollout =
        new Rollout(
            request.deploymentId(),
            request.release(),
            request.hostReleases(),
            request.hosts(),
            RolloutPolicy.strict(
                request.healthyDeadlineMillis(), request.unreachableAfterMillis()));
    return rollout.run(
        () -> {
          // Staging is a no-op on hosts that hold the release (the usual case) and a fetch on a
          // host that pruned it or never had it.
          rollout.stageAll();
          List<String> hosts = rollout.reachable();
          int size = request.maxParallel() > 0 ? request.maxParallel() : hosts.size();
          int batches = (hosts.size() + size - 1) / size;
          for (int start = 0, batch = 1; start < hosts.size(); start += size, batch++) {
            rollout.phase("rolling back", batch, batches);
            rollout.activateBatch(
                hosts.subList(start, Math.min(start + size, hosts.size())), false);
          }
        });
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
