package dev.cast.workflows.rollback;

import dev.cast.workflows.rollout.LegacyPaths;
import dev.cast.workflows.rollout.PartPlan;
import dev.cast.workflows.rollout.PartedRollout;
import dev.cast.workflows.rollout.Rollout;
import dev.cast.workflows.rollout.RolloutPolicy;
import dev.cast.workflows.shared.DeploymentProgress;
import java.util.ArrayList;
import java.util.List;

public class RollbackWorkflowImpl implements RollbackWorkflow {
  private Rollout rollout;
  private PartedRollout parted;

  @Override
  public DeploymentProgress run(RollbackRequest request) {
    if (PartPlan.needsParts(request.hosts().size(), request.hostsPerPart())
        && LegacyPaths.runsInParts()) {
      return inParts(request);
    }
    rollout =
        new Rollout(
            request.deploymentId(),
            request.release(),
            request.hostReleases(),
            request.hosts(),
            policy(request));
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

  /** The rollback in parts, as a deploy runs in parts. */
  private DeploymentProgress inParts(RollbackRequest request) {
    parted =
        new PartedRollout(
            request.deploymentId(),
            request.release(),
            request.hostReleases(),
            request.hosts(),
            policy(request),
            request.hostsPerPart());
    return parted.run(
        () -> {
          parted.stageAll();
          List<String> hosts = parted.reachable();
          int size = request.maxParallel() > 0 ? request.maxParallel() : hosts.size();
          List<List<String>> batches = new ArrayList<>();
          for (int start = 0; start < hosts.size(); start += size) {
            batches.add(hosts.subList(start, Math.min(start + size, hosts.size())));
          }
          parted.switchAll(
              batches,
              new PartedRollout.Batches(batches.size(), "rolling back", false, false, 0),
              0,
              first -> {},
              last -> {});
        });
  }

  private static RolloutPolicy policy(RollbackRequest request) {
    return request.rerenderConfig()
        ? RolloutPolicy.strictRerendering(
            request.healthyDeadlineMillis(), request.unreachableAfterMillis())
        : RolloutPolicy.strict(request.healthyDeadlineMillis(), request.unreachableAfterMillis());
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
